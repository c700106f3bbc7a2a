import type { MessageListMessage } from './types';

/** The image URLs of a message's `image_url` parts. */
export function messageImages(message: Pick<MessageListMessage, 'content'>): string[] {
  const { content } = message;
  if (typeof content === 'string') return [];
  return content.flatMap((part) => (part.type === 'image_url' ? [part.image_url.url] : []));
}

const LOCAL_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$/i;

/** A user's own attachment (an inline raster image) loads without a request to anyone. */
export function isLocalImage(url: string): boolean {
  return LOCAL_IMAGE.test(url);
}
