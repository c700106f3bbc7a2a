import { forwardRef, useEffect, useState, type ComponentPropsWithoutRef } from 'react';

import {
  isImageExpired,
  isSafeImageSrc,
  type GeneratedImage,
  type ImageHistoryEntry,
  type ImagePacerTicket,
} from '../../core';
import type { ParlanceLocale, ParlanceTheme } from '../../hooks/parlance-provider';
import { format } from '../i18n/template';
import { imagesCatalogs, type ImagesStrings } from '../i18n/images';
import { useCatalogStrings, useLocale } from '../i18n/locale';
import { cx, useThemeAttribute } from '../primitives/root';

/**
 * Props of {@link ImageGallery}. Any other `section` attribute (`id`, `aria-*`, `data-*`,
 * handlers) is passed to the root element, whose ref is forwarded.
 */
export interface ImageGalleryProps extends Omit<ComponentPropsWithoutRef<'section'>, 'children'> {
  /** Requests to show, newest first: a hook's `history` (or several hooks' histories merged). */
  requests: readonly ImageHistoryEntry[];
  /** Shows "Edit this" on each image. */
  onEdit?: (image: GeneratedImage, request: ImageHistoryEntry) => void;
  /** Shows "Vary this" on each image. */
  onVary?: (image: GeneratedImage, request: ImageHistoryEntry) => void;
  /** Shows "Keep" on images whose URL will expire (pass a hook's `keep`). */
  onKeep?: (image: GeneratedImage, request: ImageHistoryEntry) => unknown;
  /** The queue ticket of a waiting request (a hook's `queue`), shown on queued placeholders. */
  queue?: ImagePacerTicket | null;
  /** Override any word. */
  strings?: Partial<ImagesStrings>;
  /** Default: the provider's locale. */
  locale?: ParlanceLocale;
  /** Colour scheme; default: the provider's, else `auto` (follows the system). Exposed as `data-theme`. */
  theme?: ParlanceTheme;
}

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * The time to judge URL expiry by, re-read when the next URL expires. `null` until the first
 * effect: render reads no clock (prerendering forbids it, and the server's markup would not match
 * the browser's), so an image shows as live until then.
 */
function useNow(requests: readonly ImageHistoryEntry[]): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    let next = Infinity;
    for (const request of requests) {
      for (const image of request.images) {
        if (!image.blob && image.expiresAt !== undefined && (now === null || image.expiresAt > now))
          next = Math.min(next, image.expiresAt);
      }
    }
    if (next === Infinity) return;
    // setTimeout's limit is about 24.8 days; URL lifetimes are an hour. An image that expired
    // before the first effect is marked at once.
    const delay = Math.min(2 ** 31 - 1, Math.max(0, next - Date.now() + 50));
    const timer = setTimeout(() => setNow(Date.now()), delay);
    return () => clearTimeout(timer);
  }, [requests, now]);
  return now;
}

async function copyImage(image: GeneratedImage): Promise<void> {
  const blob = image.blob ?? (await (await fetch(image.src, { credentials: 'omit' })).blob());
  if (typeof ClipboardItem !== 'undefined' && navigator.clipboard?.write) {
    // Clipboards accept PNG everywhere; other types are not guaranteed.
    const png = blob.type === 'image/png' ? blob : new Blob([blob], { type: 'image/png' });
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })]);
    return;
  }
  await navigator.clipboard.writeText(image.src);
}

/**
 * A grid of image results: one placeholder per requested image while a request waits or runs,
 * then the images with download, copy, "edit this" and "vary this"; expired, blocked, failed and
 * cancelled states per request. Thumbnails load lazily; only `blob:`, `data:image/` and `https:`
 * sources are ever put in an `<img>`.
 *
 * Theming: `parlance-image-gallery*` classes under `parlance-root`, `data-slot` parts, and `data-state` on each item
 * (`queued`, `loading`, `ready`, `expired`, `blocked`, `error`, `cancelled`).
 *
 * @example
 * ```tsx
 * const generation = useImageGeneration();
 * <ImageGallery requests={generation.history} queue={generation.queue} onKeep={generation.keep} />
 * ```
 */
export const ImageGallery = forwardRef<HTMLElement, ImageGalleryProps>(function ImageGallery(
  {
    requests,
    onEdit,
    onVary,
    onKeep,
    queue,
    strings: overrides,
    locale: localeProp,
    theme: themeProp,
    className,
    ...rest
  },
  ref,
) {
  const ambientLocale = useLocale();
  const locale = localeProp ?? ambientLocale;
  const strings = useCatalogStrings(imagesCatalogs, overrides, locale);
  const theme = useThemeAttribute(themeProp);
  const now = useNow(requests);
  const [copied, setCopied] = useState<Record<string, CopyState>>({});

  // Requests without a prompt (variations) are told apart by number: "Variation 1", "Variation 2".
  const unnamed = new Map<string, number>();
  for (const operation of ['generate', 'edit', 'variation'] as const) {
    requests
      .filter((r) => r.prompt === undefined && r.operation === operation)
      .sort((a, b) => a.createdAt - b.createdAt)
      .forEach((r, index) => unnamed.set(r.id, index + 1));
  }
  const items = requests.flatMap((request) => {
    const caption =
      request.prompt ??
      `${strings[request.operation === 'generate' ? 'generate' : request.operation]} ${unnamed.get(request.id) ?? 1}`;
    if (request.status === 'queued' || request.status === 'pending') {
      const label =
        request.status === 'queued' && queue
          ? format(strings.queued, {
              position: queue.position,
              seconds: Math.max(0, Math.ceil(queue.waitMs / 1000)),
            })
          : strings.generating;
      return Array.from({ length: request.n }, (_, index) => (
        <li
          key={`${request.id}-${index}`}
          className="parlance-image-gallery-item"
          data-slot="item"
          data-state={request.status === 'queued' ? 'queued' : 'loading'}
          aria-busy="true"
        >
          <div className="parlance-image-gallery-frame" data-slot="frame">
            <p className="parlance-image-gallery-message">{label}</p>
          </div>
          <p className="parlance-image-gallery-caption" title={caption}>
            {caption}
          </p>
        </li>
      ));
    }
    if (request.status === 'error' || request.status === 'cancelled') {
      const message =
        request.status === 'cancelled'
          ? strings.cancelled
          : format(strings.requestFailed, {
              message: request.error instanceof Error ? request.error.message : String(request.error),
            });
      return [
        <li
          key={request.id}
          className="parlance-image-gallery-item"
          data-slot="item"
          data-state={request.status === 'error' ? 'error' : 'cancelled'}
        >
          <div className="parlance-image-gallery-frame" data-slot="frame">
            <p
              className="parlance-image-gallery-message"
              role={request.status === 'error' ? 'alert' : undefined}
            >
              {message}
            </p>
          </div>
          <p className="parlance-image-gallery-caption" title={caption}>
            {caption}
          </p>
        </li>,
      ];
    }
    return request.images.map((image, index) => {
      const key = `${request.id}-${index}`;
      // Restored images come marked `expired`; live URLs are judged by the clock after mount.
      const expired = isImageExpired(image, now ?? -Infinity);
      const safe = isSafeImageSrc(image.src);
      const state = expired ? 'expired' : safe ? 'ready' : 'blocked';
      const alt = format(strings.imageAlt, {
        index: index + 1,
        total: request.images.length,
        prompt: caption,
      });
      const copyState = copied[key] ?? 'idle';
      return (
        <li key={key} className="parlance-image-gallery-item" data-slot="item" data-state={state}>
          <figure className="parlance-image-gallery-figure" data-slot="figure">
            <div className="parlance-image-gallery-frame" data-slot="frame">
              {state === 'ready' ? (
                <img src={image.src} alt={alt} loading="lazy" decoding="async" data-slot="image" />
              ) : (
                <p className="parlance-image-gallery-message" data-slot="expired">
                  {expired ? strings.expired : strings.blocked}
                </p>
              )}
            </div>
            <figcaption
              className="parlance-image-gallery-caption"
              data-slot="caption"
              title={image.revisedPrompt ? `${strings.revisedPrompt} ${image.revisedPrompt}` : caption}
            >
              {image.revisedPrompt ? (
                <>
                  <span>{strings.revisedPrompt}</span> {image.revisedPrompt}
                </>
              ) : (
                caption
              )}
            </figcaption>
          </figure>
          {request.reduced && index === 0 && (
            <p className="parlance-image-gallery-notice" data-slot="reduced">
              {format(strings.reduced, {
                from: request.reduced.fromSide,
                to: request.reduced.toSide,
              })}
            </p>
          )}
          <div className="parlance-image-gallery-actions" data-slot="actions" role="group" aria-label={alt}>
            {state === 'ready' && (
              <a
                className="parlance-button"
                data-slot="download"
                href={image.src}
                download={`parlance-${request.id}-${index + 1}.png`}
              >
                {strings.download}
              </a>
            )}
            {state === 'ready' && (
              <button
                type="button"
                className="parlance-button"
                data-slot="copy"
                aria-live="polite"
                onClick={() => {
                  copyImage(image).then(
                    () => setCopied((c) => ({ ...c, [key]: 'copied' })),
                    () => setCopied((c) => ({ ...c, [key]: 'failed' })),
                  );
                }}
              >
                {copyState === 'copied'
                  ? strings.copied
                  : copyState === 'failed'
                    ? strings.copyFailed
                    : strings.copy}
              </button>
            )}
            {onKeep && !image.blob && !expired && (
              <button
                type="button"
                className="parlance-button"
                data-slot="keep"
                onClick={() => void onKeep(image, request)}
              >
                {strings.keep}
              </button>
            )}
            {onEdit && state === 'ready' && (
              <button
                type="button"
                className="parlance-button"
                data-slot="edit"
                onClick={() => onEdit(image, request)}
              >
                {strings.editThis}
              </button>
            )}
            {onVary && state === 'ready' && (
              <button
                type="button"
                className="parlance-button"
                data-slot="vary"
                onClick={() => onVary(image, request)}
              >
                {strings.varyThis}
              </button>
            )}
          </div>
        </li>
      );
    });
  });

  return (
    <section
      aria-label={strings.gallery}
      {...rest}
      ref={ref}
      className={cx('parlance-root parlance-image-gallery', className)}
      lang={locale}
      data-slot="image-gallery"
      data-state={requests.length === 0 ? 'empty' : 'filled'}
      data-theme={theme}
    >
      {items.length === 0 ? (
        <p className="parlance-image-gallery-notice">{strings.galleryEmpty}</p>
      ) : (
        <ul className="parlance-image-gallery-grid" data-slot="grid">
          {items}
        </ul>
      )}
    </section>
  );
});
