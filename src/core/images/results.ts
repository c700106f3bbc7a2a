import { ApiError } from '../errors';
import { readErrorText } from '../internal/body';
import type { ImagesResponse } from '../wire/images';

/** One result image, whatever form the API sent it in. */
export interface GeneratedImage {
  /**
   * What to put in `<img src>`: a `blob:` URL for images Parlance holds, or the API's URL,
   * which stops working at `expiresAt`.
   */
  src: string;
  /** The PNG bytes, when the API sent `b64_json` or the image was kept. */
  blob?: Blob;
  /** The prompt the model actually used (DALL·E 3), when it rewrote the one given. */
  revisedPrompt?: string;
  /** For URL results, when the URL stops working (`Date.now()` time); absent for held images. */
  expiresAt?: number;
  /**
   * Set on an image restored from storage whose URL had expired or whose bytes were lost:
   * shown as expired rather than as a broken image.
   */
  expired?: true;
}

/** How long the API's image URLs live: one hour. */
const IMAGE_URL_LIFETIME_MS = 60 * 60 * 1000;

function base64ToBlob(b64: string, type = 'image/png'): Blob {
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

function blobSrc(blob: Blob, b64?: string): string {
  if (typeof URL.createObjectURL === 'function') return URL.createObjectURL(blob);
  return `data:${blob.type || 'image/png'};base64,${b64 ?? ''}`;
}

/**
 * Turns an `ImagesResponse` into {@link GeneratedImage}s: `b64_json` becomes a Blob with an object
 * URL; a `url` gets `expiresAt` one hour after `created` (or `now` if `created` is missing).
 */
export function normalizeImagesResponse(
  response: ImagesResponse,
  options: { now?: number; urlLifetimeMs?: number } = {},
): GeneratedImage[] {
  const now = options.now ?? Date.now();
  const issued = response.created ? Math.min(response.created * 1000, now) : now;
  const lifetime = options.urlLifetimeMs ?? IMAGE_URL_LIFETIME_MS;
  const images: GeneratedImage[] = [];
  for (const item of response.data ?? []) {
    const revised = item.revised_prompt ? { revisedPrompt: item.revised_prompt } : {};
    if (item.b64_json) {
      const blob = base64ToBlob(item.b64_json);
      images.push({ src: blobSrc(blob, item.b64_json), blob, ...revised });
    } else if (item.url) {
      images.push({ src: item.url, expiresAt: issued + lifetime, ...revised });
    }
  }
  return images;
}

/** Whether an image's URL has expired and nothing holds its bytes. */
export function isImageExpired(image: GeneratedImage, now: number = Date.now()): boolean {
  if (image.blob !== undefined) return false;
  return image.expired === true || (image.expiresAt !== undefined && now >= image.expiresAt);
}

/**
 * Whether a `src` is safe to render as `<img src>`: only `blob:`, `data:image/…` and `https:`.
 * Anything else (`javascript:`, `http:`, relative paths from a response) is refused.
 */
export function isSafeImageSrc(src: string): boolean {
  if (src.startsWith('blob:')) return true;
  if (/^data:image\/(png|jpeg|webp|gif);/i.test(src)) return true;
  try {
    return new URL(src).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Keeps an image past its URL's expiry: fetches it to a Blob with an object URL. The URL is one
 * the images API returned (trusted as an image source, and fetched without credentials). Images
 * that already hold a Blob come back as they are.
 *
 * @example
 * ```ts
 * const kept = await keepImage(image); // kept.src is a blob: URL, kept.expiresAt is gone
 * ```
 */
export async function keepImage(
  image: GeneratedImage,
  options: {
    fetch?: (input: string, init?: RequestInit) => Promise<Response>;
    signal?: AbortSignal | null;
  } = {},
): Promise<GeneratedImage> {
  if (image.blob) return image;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const response = await fetchImpl(image.src, { credentials: 'omit', signal: options.signal ?? null });
  if (!response.ok) throw ApiError.fromResponse(response, await readErrorText(response));
  const blob = await response.blob();
  const { expiresAt: _expiresAt, expired: _expired, ...rest } = image;
  return { ...rest, src: blobSrc(blob), blob };
}

/** Frees the object URL of an image Parlance created (call when the image leaves the screen for good). */
export function releaseImage(image: GeneratedImage): void {
  if (image.src.startsWith('blob:') && typeof URL.revokeObjectURL === 'function')
    URL.revokeObjectURL(image.src);
}
