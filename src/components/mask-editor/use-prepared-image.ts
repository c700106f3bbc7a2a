import { useEffect, useMemo, useState } from 'react';

import { prepareImage, type ImageFit, type ImageInput } from '../../core';
import { useLatest } from '../../hooks/internal/use-latest';

/** The image the mask is painted over, exactly as the edit request will send it. */
export interface PreparedMaskImage {
  /** The square PNG (under 4 MB). */
  blob: Blob;
  /** Decoded once, to draw on the image canvas. */
  bitmap: ImageBitmap;
  /** The side in pixels. */
  side: number;
}

/** Where loading the image stands. */
export type MaskImageLoad =
  { state: 'loading' } | { state: 'ready'; prepared: PreparedMaskImage } | { state: 'error'; error: unknown };

type LoadKey = { image: ImageInput; side?: number; fit?: ImageFit; background?: string };

/**
 * Image loading: prepares the input (square, sized, PNG under 4 MB) and decodes it to a bitmap;
 * a new input starts over (`loading`), a failure is reported through `onError`. The bitmap is
 * closed when it is replaced or the editor unmounts.
 */
export function usePreparedImage(
  image: ImageInput,
  options: { side?: number; fit?: ImageFit; background?: string; onError?: (error: unknown) => void },
): MaskImageLoad {
  const { side, fit, background } = options;
  const key = useMemo<LoadKey>(() => ({ image, side, fit, background }), [image, side, fit, background]);
  const [loaded, setLoaded] = useState<{ key: LoadKey; load: MaskImageLoad } | null>(null);
  const load: MaskImageLoad = loaded?.key === key ? loaded.load : { state: 'loading' };
  const latest = useLatest(options.onError);

  useEffect(() => {
    let live = true;
    (async () => {
      const prepared = await prepareImage(key.image, {
        side: key.side,
        fit: key.fit,
        background: key.background,
      });
      const bitmap = await createImageBitmap(prepared.blob);
      if (!live) return bitmap.close();
      setLoaded({
        key,
        load: { state: 'ready', prepared: { blob: prepared.blob, bitmap, side: prepared.width } },
      });
    })().catch((error: unknown) => {
      if (!live) return;
      setLoaded({ key, load: { state: 'error', error } });
      latest.current?.(error);
    });
    return () => {
      live = false;
    };
  }, [key, latest]);

  const prepared = load.state === 'ready' ? load.prepared : null;
  useEffect(() => () => prepared?.bitmap.close(), [prepared]);
  return load;
}
