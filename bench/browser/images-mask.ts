// Image work in headless Chromium: mask export (Parlance's encodeMask against a naive baseline
// that reads the painted canvas back with getImageData and writes RGBA byte by byte), image
// preparation (prepareImage: decode, square, PNG under 4 MB) and stroke processing per pointer
// event (MaskModel.line plus the MaskEditor's overlay repaint of the dirty rectangle, against
// the same painter repainting the whole overlay per event). At 1024×1024 and 4000×3000.
// Run: npx tsx bench/browser/images-mask.ts
import { fileURLToPath } from 'node:url';

import { createServer } from 'vite';

import { launchChromium, ratio } from '../support/chromium';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 9);

interface Row {
  task: string;
  size: string;
  parlance: number;
  baseline?: number;
  baselineName?: string;
}

async function main() {
  const server = await createServer({
    root: repo,
    configFile: false,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false },
    optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [
      {
        name: 'bench-page',
        configureServer(s) {
          s.middlewares.use('/__bench', (_req, res) => {
            res.setHeader('content-type', 'text/html');
            res.end('<!doctype html><meta charset="utf-8"><title>images bench</title>');
          });
        },
      },
    ],
  });
  await server.listen();
  const address = server.httpServer!.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // tsx keeps function names with a `__name` helper that the page does not have.
    await page.addInitScript('globalThis.__name = (fn) => fn;');
    if (process.env.VERBOSE) page.on('console', (m) => console.log('[page]', m.text()));
    await page.goto(`http://127.0.0.1:${port}/__bench?sizes=${process.env.SIZES ?? '1024x1024,4000x3000'}`);
    const rows = await page.evaluate(async (runs: number) => {
      const mask = await import('/src/core/images/mask.ts' as string);
      const model = await import('/src/core/images/mask-model.ts' as string);
      const prepare = await import('/src/core/images/prepare.ts' as string);
      const overlayModule = await import('/src/components/mask-editor/overlay.ts' as string);
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const time = async (fn: () => unknown, n = runs) => {
        await fn(); // warm-up
        const xs: number[] = [];
        for (let i = 0; i < n; i++) {
          const t = performance.now();
          await fn();
          xs.push(performance.now() - t);
        }
        return median(xs);
      };
      const out: Array<{
        task: string;
        size: string;
        parlance: number;
        baseline?: number;
        baselineName?: string;
      }> = [];

      const sizes = (new URLSearchParams(location.search).get('sizes') ?? '1024x1024,4000x3000')
        .split(',')
        .map((x) => x.split('x').map(Number) as [number, number]);
      for (const [w, h] of sizes) {
        console.log(`size ${w}x${h}`);
        const size = `${w}×${h}`;
        const n = w * h > 2_000_000 ? 3 : runs;
        // A realistic mask: a few thick strokes.
        const m = new model.MaskModel(w, h);
        for (let i = 0; i < 6; i++)
          m.line(w * 0.1, h * (0.1 + i * 0.15), w * 0.9, h * (0.15 + i * 0.12), w / 30, 1, 'paint');
        // The naive editor keeps its paint on a canvas and reads it back to export.
        const painted = new OffscreenCanvas(w, h);
        const pctx = painted.getContext('2d', { willReadFrequently: true })!;
        pctx.putImageData(mask.maskToImageData(m), 0, 0);
        const naive = async () => {
          const src = pctx.getImageData(0, 0, w, h);
          const dst = new ImageData(w, h);
          for (let i = 0; i < w * h; i++) {
            const painted = src.data[i * 4 + 3]! < 128; // the exported mask is transparent where painted
            dst.data[i * 4] = 0;
            dst.data[i * 4 + 1] = 0;
            dst.data[i * 4 + 2] = 0;
            dst.data[i * 4 + 3] = painted ? 0 : 255;
          }
          const c = new OffscreenCanvas(w, h);
          c.getContext('2d')!.putImageData(dst, 0, 0);
          return c.convertToBlob({ type: 'image/png' });
        };
        out.push({
          task: 'mask export (PNG)',
          size,
          parlance: await time(() => mask.encodeMask(m), n),
          baseline: await time(naive, n),
          baselineName: 'getImageData loop',
        });
        console.log('export done');
        out.push({
          task: 'mask pixels only',
          size,
          parlance: await time(() => mask.maskToImageData(m)),
          baseline: await time(() => {
            const src = pctx.getImageData(0, 0, w, h);
            const dst = new ImageData(w, h);
            for (let i = 0; i < w * h; i++) dst.data[i * 4 + 3] = src.data[i * 4 + 3]! < 128 ? 0 : 255;
            return dst;
          }),
          baselineName: 'getImageData loop',
        });

        console.log('pixels done');
        // Image preparation from a photo-like JPEG.
        const photo = new OffscreenCanvas(w, h);
        const ctx = photo.getContext('2d')!;
        const g = ctx.createLinearGradient(0, 0, w, h);
        g.addColorStop(0, '#1e3a8a');
        g.addColorStop(1, '#f59e0b');
        ctx.fillStyle = g;
        ctx.fillRect(0, 0, w, h);
        const noise = ctx.getImageData(0, 0, w, h);
        for (let i = 0; i < noise.data.length; i += 4)
          noise.data[i] = (noise.data[i]! + Math.random() * 40) | 0;
        ctx.putImageData(noise, 0, 0);
        const jpeg = await photo.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
        out.push({
          task: 'prepareImage (JPEG → 1024 PNG)',
          size,
          parlance: await time(() => prepare.prepareImage(jpeg), n),
        });

        console.log('prepare done');
        // Stroke processing per pointer event: a 48 px brush moving 6 px per event. Both sides do
        // the same pixel work per rectangle (the MaskEditor's own overlay painter); Parlance
        // repaints the event's dirty rectangle, the baseline the whole overlay. One event per
        // frame is the editor's worst case (it repaints once per animation frame, so several
        // events in one frame cost less each).
        const overlay = new OffscreenCanvas(w, h);
        const octx = overlay.getContext('2d')!;
        const palette = overlayModule.overlayPalette('#e11d48');
        const s = new model.MaskModel(w, h);
        const draw = (rect: { x: number; y: number; width: number; height: number }) =>
          overlayModule.paintOverlay(octx, s.coverage, s.width, rect, palette);
        const perEvent = async (full: boolean) => {
          // Repainting the whole overlay is slow enough at 12 MP that fewer events give a stable mean.
          const events = full ? 10 : 200;
          s.begin();
          const t = performance.now();
          for (let i = 0; i < events; i++) {
            const x = 50 + ((i * 6) % (w - 100));
            const rect = s.line(x, h / 2, x + 6, h / 2 + 3, 24, 1, 'paint');
            if (rect) draw(full ? { x: 0, y: 0, width: w, height: h } : rect);
          }
          // Reading one pixel back waits for the canvas to finish the queued work.
          octx.getImageData(0, 0, 1, 1);
          return (performance.now() - t) / events;
        };
        out.push({
          task: 'stroke per pointer event (ms)',
          size,
          parlance: median(await Promise.all([perEvent(false), perEvent(false), perEvent(false)])),
          baseline: median([await perEvent(true), await perEvent(true), await perEvent(true)]),
          baselineName: 'full overlay repaint',
        });
      }
      return out;
    }, RUNS);

    console.log(`\nImages in headless Chromium (median of ${RUNS} runs, ms)`);
    console.table(
      (rows as Row[]).map((r) => ({
        task: r.task,
        size: r.size,
        'parlance ms': r.parlance.toFixed(2),
        baseline: r.baselineName ?? '—',
        'baseline ms': r.baseline?.toFixed(2) ?? '—',
        'baseline / parlance': r.baseline ? ratio(r.baseline, r.parlance) : '—',
      })),
    );
    const exportAt1024 = (rows as Row[]).find(
      (r) => r.task === 'mask export (PNG)' && r.size === '1024×1024',
    )!;
    console.log(
      `Goal: mask export under 50 ms at 1024×1024 — ${exportAt1024.parlance.toFixed(1)} ms (${exportAt1024.parlance < 50 ? 'met' : 'NOT met'})`,
    );
    const stroke = (rows as Row[]).find((r) => r.task.startsWith('stroke') && r.size === '1024×1024')!;
    console.log(
      `Stroke processing at 1024×1024: ${stroke.parlance.toFixed(3)} ms per pointer event (frame budget 16.7 ms)`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
