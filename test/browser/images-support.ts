/** Pixel helpers shared by the image browser tests. */
export async function pixels(
  blob: Blob,
): Promise<{ width: number; height: number; at(x: number, y: number): [number, number, number, number] }> {
  const bitmap = await createImageBitmap(blob, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0);
  const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const { width, height } = bitmap;
  return {
    width,
    height,
    at: (x, y) => {
      const i = (Math.floor(y) * width + Math.floor(x)) * 4;
      return [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    },
  };
}

/** A canvas with a flat background and a coloured rectangle, plus optional noise. */
export function paintedCanvas(
  width: number,
  height: number,
  rect: { x: number; y: number; w: number; h: number; colour: string },
  options: { background?: string; noise?: number } = {},
): OffscreenCanvas {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  context.fillStyle = options.background ?? '#3b82f6';
  context.fillRect(0, 0, width, height);
  if (options.noise) {
    const data = context.getImageData(0, 0, width, height);
    for (let i = 0; i < data.data.length; i += 4) {
      for (let c = 0; c < 3; c++)
        data.data[i + c] = Math.min(
          255,
          Math.max(0, data.data[i + c]! + (Math.random() - 0.5) * options.noise),
        );
    }
    context.putImageData(data, 0, 0);
  }
  context.fillStyle = rect.colour;
  context.fillRect(rect.x, rect.y, rect.w, rect.h);
  return canvas;
}
