/**
 * A scripted OpenAI-compatible images backend for stories, injected as `fetch`: it draws real
 * PNGs on a canvas, so generate → edit → vary works with no server and no key.
 * - generations: `n` pictures labelled with the prompt, as `b64_json` (or `url` as data: URLs);
 * - edits: the image with its transparent mask area repainted;
 * - variations: the image with its hues rotated.
 * A prompt containing "fail" answers 400 with OpenAI's error envelope; "slow" waits 30 s.
 */
export interface ImagesBackendOptions {
  /** Per-request latency. Default `250` ms. */
  delayMs?: number;
}

export interface ImagesBackend {
  fetch: typeof fetch;
  /** Requests seen, by path. */
  calls: Array<{ path: string; fields: Record<string, string> }>;
}

const palette = ['#0ea5e9', '#f97316', '#22c55e', '#a855f7', '#e11d48', '#eab308'];

async function toBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function sideOf(size: string | undefined): number {
  const n = Number(size?.split('x')[0]);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 512) : 256;
}

async function drawScene(prompt: string, index: number, side: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(side, side);
  const context = canvas.getContext('2d')!;
  const gradient = context.createLinearGradient(0, 0, side, side);
  gradient.addColorStop(0, palette[index % palette.length]!);
  gradient.addColorStop(1, palette[(index + 2) % palette.length]!);
  context.fillStyle = gradient;
  context.fillRect(0, 0, side, side);
  context.fillStyle = 'rgba(255,255,255,0.85)';
  context.beginPath();
  context.arc(side * 0.5, side * 0.55, side * 0.22, 0, Math.PI * 2);
  context.fill();
  context.fillStyle = '#111827';
  context.font = `${Math.round(side / 14)}px sans-serif`;
  context.textAlign = 'center';
  context.fillText(prompt.slice(0, 24), side / 2, side * 0.15);
  return canvas.convertToBlob({ type: 'image/png' });
}

async function editScene(image: Blob, mask: Blob | null, prompt: string): Promise<Blob> {
  const bitmap = await createImageBitmap(image);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  // Repaint where the mask is transparent: draw a fill, then keep it only there.
  const fill = new OffscreenCanvas(bitmap.width, bitmap.height);
  const fillContext = fill.getContext('2d')!;
  fillContext.fillStyle = '#facc15';
  fillContext.fillRect(0, 0, bitmap.width, bitmap.height);
  if (mask) {
    fillContext.globalCompositeOperation = 'destination-out';
    fillContext.drawImage(await createImageBitmap(mask), 0, 0, bitmap.width, bitmap.height);
  }
  context.drawImage(fill, 0, 0);
  context.fillStyle = '#111827';
  context.font = `${Math.round(bitmap.width / 16)}px sans-serif`;
  context.fillText(prompt.slice(0, 24), 12, bitmap.height - 16);
  return canvas.convertToBlob({ type: 'image/png' });
}

async function varyScene(image: Blob, index: number): Promise<Blob> {
  const bitmap = await createImageBitmap(image);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.filter = `hue-rotate(${(index + 1) * 60}deg)`;
  context.drawImage(bitmap, 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function wait(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    });
  });
}

export function createImagesBackend(options: ImagesBackendOptions = {}): ImagesBackend {
  const calls: ImagesBackend['calls'] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const path = url.pathname.replace(/^.*\/v1/, '');
    let fields: Record<string, string> = {};
    const files: Record<string, Blob> = {};
    if (init?.body instanceof FormData) {
      for (const [key, value] of init.body.entries()) {
        if (typeof value === 'string') fields[key] = value;
        else files[key] = value;
      }
    } else if (typeof init?.body === 'string') {
      fields = Object.fromEntries(
        Object.entries(JSON.parse(init.body) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
      );
    }
    calls.push({ path, fields });
    const prompt = fields.prompt ?? '';
    await wait(prompt.includes('slow') ? 30_000 : (options.delayMs ?? 250), init?.signal);
    if (prompt.includes('fail')) {
      return json(
        {
          error: {
            message: 'Your request was rejected as a result of our safety system.',
            type: 'invalid_request_error',
            param: null,
            code: 'content_policy_violation',
          },
        },
        400,
      );
    }
    const n = Number(fields.n ?? 1);
    const side = sideOf(fields.size);
    let blobs: Blob[];
    if (path === '/images/generations') {
      blobs = await Promise.all(Array.from({ length: n }, (_, i) => drawScene(prompt, i, side)));
    } else if (path === '/images/edits' && files.image) {
      blobs = await Promise.all(
        Array.from({ length: n }, () => editScene(files.image!, files.mask ?? null, prompt)),
      );
    } else if (path === '/images/variations' && files.image) {
      blobs = await Promise.all(Array.from({ length: n }, (_, i) => varyScene(files.image!, i)));
    } else {
      return json({ error: { message: `Unknown path ${path}`, type: 'invalid_request_error' } }, 404);
    }
    const b64 = await Promise.all(blobs.map(toBase64));
    return json({
      created: Math.floor(Date.now() / 1000),
      data: b64.map((data, i) =>
        fields.response_format === 'url'
          ? { url: `data:image/png;base64,${data}` }
          : {
              b64_json: data,
              ...(path === '/images/generations' && i === 0
                ? { revised_prompt: `${prompt}, soft light` }
                : {}),
            },
      ),
    });
  };
  return { fetch: fetchImpl as typeof fetch, calls };
}

/** A picture to mask in stories: a sky, a sun and hills, drawn on a canvas. */
export function sampleScene(width = 640, height = 480): OffscreenCanvas {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  const sky = context.createLinearGradient(0, 0, 0, height);
  sky.addColorStop(0, '#60a5fa');
  sky.addColorStop(1, '#bfdbfe');
  context.fillStyle = sky;
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#fde047';
  context.beginPath();
  context.arc(width * 0.7, height * 0.3, height * 0.12, 0, Math.PI * 2);
  context.fill();
  context.fillStyle = '#15803d';
  context.beginPath();
  context.moveTo(0, height);
  context.quadraticCurveTo(width * 0.3, height * 0.45, width * 0.6, height * 0.8);
  context.quadraticCurveTo(width * 0.8, height * 0.6, width, height * 0.75);
  context.lineTo(width, height);
  context.fill();
  return canvas;
}

/** Dispatches a pointer stroke through image-pixel points on a mask editor's overlay canvas. */
export function strokeCanvas(
  canvas: HTMLCanvasElement,
  points: Array<[number, number]>,
  init: Partial<PointerEventInit> = {},
) {
  const rect = canvas.getBoundingClientRect();
  const at = ([x, y]: [number, number]) => ({
    clientX: rect.left + (x * rect.width) / canvas.width,
    clientY: rect.top + (y * rect.height) / canvas.height,
  });
  const base = {
    pointerId: 11,
    pointerType: 'mouse',
    button: 0,
    buttons: 1,
    bubbles: true,
    isPrimary: true,
    ...init,
  };
  canvas.dispatchEvent(new PointerEvent('pointerdown', { ...base, ...at(points[0]!) }));
  for (const point of points.slice(1))
    canvas.dispatchEvent(new PointerEvent('pointermove', { ...base, ...at(point) }));
  canvas.dispatchEvent(new PointerEvent('pointerup', { ...base, buttons: 0, ...at(points.at(-1)!) }));
}
