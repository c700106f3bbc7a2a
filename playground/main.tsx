// The playground: a small page over the public surface (parlance/core's client) against the
// server it is served from. The chat part is deliberately plain until the styled components land.
import {
  createClient,
  type ChatCompletionMessageParam,
  type CompletionUsage,
  type FinishReason,
} from 'parlance/core';
import { useTokenCount } from 'parlance';
import { StrictMode, useEffect, useRef, useState, type FormEvent, type PointerEvent } from 'react';
import { createRoot } from 'react-dom/client';

const client = createClient({ baseUrl: new URL('/v1', location.href).href });

interface Turn {
  id: number;
  role: 'user' | 'assistant';
  content: string;
  status: 'pending' | 'streaming' | 'done' | 'stopped' | 'error';
  finishReason?: FinishReason;
  usage?: CompletionUsage | null;
}

interface Picture {
  id: string;
  src: string;
  label: string;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function OfflineBanner() {
  const [mode, setMode] = useState<'unknown' | 'offline' | 'online'>('unknown');
  useEffect(() => {
    client.models
      .list()
      .then((list) => setMode(list.data.some((m) => m.id === 'parlance-offline') ? 'offline' : 'online'))
      .catch(() => setMode('unknown'));
  }, []);
  if (mode !== 'offline') return null;
  return (
    <aside className="banner" aria-label="Offline mode">
      <strong>Offline mode.</strong> No model is connected: chat answers come from Parlance’s documentation
      and images are drawn from the prompt. To use a real model, stop the server and start it again with{' '}
      <code>OPENAI_API_KEY=sk-… npm start</code>, or point it at any OpenAI-compatible server with{' '}
      <code>PARLANCE_UPSTREAM_URL=http://127.0.0.1:11434/v1 npm start</code>.
    </aside>
  );
}

let nextId = 1;

function Chat() {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [draft, setDraft] = useState('');
  const [model, setModel] = useState('gpt-4o-mini');
  const [maxTokens, setMaxTokens] = useState('');
  const [temperature, setTemperature] = useState('1');
  const [system, setSystem] = useState('You are a helpful assistant.');
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const busy = turns.some((t) => t.status === 'pending' || t.status === 'streaming');
  // The whole next request, counted before it is sent: system message, history and the draft.
  const tokens = useTokenCount(
    [
      ...(system.trim() ? [{ role: 'system', content: system }] : []),
      ...turns.map((t) => ({ role: t.role, content: t.content })),
      { role: 'user', content: draft },
    ],
    { model },
  );

  const update = (id: number, patch: Partial<Turn> | ((t: Turn) => Partial<Turn>)) =>
    setTurns((all) =>
      all.map((t) => (t.id === id ? { ...t, ...(typeof patch === 'function' ? patch(t) : patch) } : t)),
    );

  async function send(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text || busy) return;
    setError(null);
    const user: Turn = { id: nextId++, role: 'user', content: text, status: 'done' };
    const reply: Turn = { id: nextId++, role: 'assistant', content: '', status: 'pending' };
    const history = [...turns, user];
    setTurns([...history, reply]);
    setDraft('');
    const messages: ChatCompletionMessageParam[] = [
      ...(system.trim() ? [{ role: 'system' as const, content: system }] : []),
      ...history.map((t) => ({ role: t.role, content: t.content })),
    ];
    const controller = new AbortController();
    abort.current = controller;
    try {
      const stream = await client.chat.completions.create(
        {
          model,
          messages,
          stream: true,
          stream_options: { include_usage: true },
          temperature: Number(temperature),
          ...(maxTokens ? { max_tokens: Number(maxTokens) } : {}),
        },
        { signal: controller.signal },
      );
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        update(reply.id, (t) => ({
          status: 'streaming',
          content: t.content + (choice?.delta.content ?? ''),
          ...(choice?.finish_reason ? { finishReason: choice.finish_reason } : {}),
          ...(chunk.usage ? { usage: chunk.usage } : {}),
        }));
      }
      update(reply.id, { status: 'done' });
    } catch (e) {
      if (controller.signal.aborted) update(reply.id, { status: 'stopped' });
      else {
        update(reply.id, { status: 'error' });
        setError(errorText(e));
      }
    }
  }

  return (
    <section aria-labelledby="chat-heading">
      <h2 id="chat-heading">Chat</h2>
      <div className="row">
        <label>
          Model
          <input value={model} onChange={(e) => setModel(e.target.value)} />
        </label>
        <label>
          Temperature
          <input
            type="number"
            min="0"
            max="2"
            step="0.1"
            value={temperature}
            onChange={(e) => setTemperature(e.target.value)}
          />
        </label>
        <label>
          Max tokens
          <input type="number" min="1" value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} />
        </label>
      </div>
      <label>
        System message
        <textarea value={system} onChange={(e) => setSystem(e.target.value)} />
      </label>
      <ol className="transcript" aria-label="Conversation" aria-live="polite">
        {turns.map((t) => (
          <li key={t.id} data-role={t.role} data-status={t.status}>
            {t.content}
            {t.role === 'assistant' && t.status !== 'pending' && t.status !== 'streaming' && (
              <small>
                {'\n'}
                {t.finishReason === 'length' ? 'Cut by max tokens. ' : ''}
                {t.usage ? `${t.usage.prompt_tokens} prompt + ${t.usage.completion_tokens} reply tokens` : ''}
              </small>
            )}
          </li>
        ))}
      </ol>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form onSubmit={send}>
        <label>
          Message
          <textarea value={draft} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <p aria-live="polite" data-testid="token-count">
          {tokens.count === undefined
            ? 'Counting tokens…'
            : `${tokens.count}${tokens.isApproximate ? ' (approx.)' : ''} of ${tokens.contextWindow} tokens in the next request`}
        </p>
        <div className="row">
          <button type="submit" disabled={busy}>
            Send
          </button>
          <button type="button" disabled={!busy} onClick={() => abort.current?.abort()}>
            Stop
          </button>
        </div>
      </form>
    </section>
  );
}

function dataUrl(b64: string | undefined): string {
  return `data:image/png;base64,${b64 ?? ''}`;
}

/** A `data:image/png;base64,` URL back to a Blob (no fetch: the page's CSP allows only 'self'). */
async function toBlob(src: string): Promise<Blob> {
  const binary = atob(src.slice(src.indexOf(',') + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: 'image/png' });
}

function MaskPainter({ picture, onResult }: { picture: Picture; onResult: (p: Picture[]) => void }) {
  const view = useRef<HTMLCanvasElement>(null);
  const mask = useRef<HTMLCanvasElement | null>(null);
  const image = useRef<HTMLImageElement | null>(null);
  const painting = useRef(false);
  const [prompt, setPrompt] = useState('the same scene with a bright red moon');
  const [status, setStatus] = useState<'idle' | 'pending' | 'error'>('idle');
  const [error, setError] = useState<string | null>(null);

  const redraw = () => {
    const canvas = view.current;
    const img = image.current;
    if (!canvas || !img || !mask.current) return;
    const ctx = canvas.getContext('2d')!;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0);
    // Show the painted (transparent) part of the mask as a tint over the image.
    const overlay = document.createElement('canvas');
    overlay.width = canvas.width;
    overlay.height = canvas.height;
    const o = overlay.getContext('2d')!;
    o.fillStyle = 'rgba(255, 0, 128, 0.5)';
    o.fillRect(0, 0, overlay.width, overlay.height);
    o.globalCompositeOperation = 'destination-in';
    o.drawImage(inverse(mask.current), 0, 0);
    ctx.drawImage(overlay, 0, 0);
  };

  useEffect(() => {
    const img = new Image();
    img.onload = () => {
      image.current = img;
      const m = document.createElement('canvas');
      m.width = img.naturalWidth;
      m.height = img.naturalHeight;
      const ctx = m.getContext('2d')!;
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, m.width, m.height);
      mask.current = m;
      if (view.current) {
        view.current.width = img.naturalWidth;
        view.current.height = img.naturalHeight;
      }
      redraw();
    };
    img.src = picture.src;
  }, [picture.src]);

  const paint = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!painting.current || !mask.current || !view.current) return;
    const rect = view.current.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * mask.current.width;
    const y = ((event.clientY - rect.top) / rect.height) * mask.current.height;
    const ctx = mask.current.getContext('2d')!;
    ctx.globalCompositeOperation = 'destination-out';
    ctx.beginPath();
    ctx.arc(x, y, mask.current.width / 16, 0, Math.PI * 2);
    ctx.fill();
    redraw();
  };

  async function apply() {
    if (!mask.current) return;
    setStatus('pending');
    setError(null);
    try {
      const maskBlob = await new Promise<Blob>((resolve, reject) =>
        mask.current!.toBlob(
          (b) => (b ? resolve(b) : reject(new Error('The mask could not be encoded'))),
          'image/png',
        ),
      );
      const result = await client.images.edit({
        image: await toBlob(picture.src),
        mask: maskBlob,
        prompt,
        size: `${mask.current.width}x${mask.current.height}`,
        response_format: 'b64_json',
      });
      onResult(
        (result.data ?? []).map((d, i) => ({
          id: `edit-${Date.now()}-${i}`,
          src: dataUrl(d.b64_json),
          label: `Edit: ${prompt}`,
        })),
      );
      setStatus('idle');
    } catch (e) {
      setStatus('error');
      setError(errorText(e));
    }
  }

  return (
    <div>
      <h3>Edit with a mask</h3>
      <p id="mask-help">Paint over the part of the image to change, then describe the whole new image.</p>
      <canvas
        ref={view}
        aria-label="Mask painter: drag to mark the area to edit"
        aria-describedby="mask-help"
        role="img"
        onPointerDown={(e) => {
          painting.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          paint(e);
        }}
        onPointerMove={paint}
        onPointerUp={() => (painting.current = false)}
      />
      <label>
        Edit prompt
        <input value={prompt} onChange={(e) => setPrompt(e.target.value)} />
      </label>
      <button type="button" onClick={apply} disabled={status === 'pending'}>
        Apply edit
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The mask's transparent pixels as opaque ones, for the overlay. */
function inverse(mask: HTMLCanvasElement): HTMLCanvasElement {
  const out = document.createElement('canvas');
  out.width = mask.width;
  out.height = mask.height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.globalCompositeOperation = 'destination-out';
  ctx.drawImage(mask, 0, 0);
  return out;
}

function Images() {
  const [prompt, setPrompt] = useState('a lighthouse at dusk');
  const [size, setSize] = useState('256x256');
  const [n, setN] = useState('1');
  const [pictures, setPictures] = useState<Picture[]>([]);
  const [selected, setSelected] = useState<Picture | null>(null);
  const [status, setStatus] = useState<'idle' | 'pending' | 'error'>('idle');
  const [error, setError] = useState<string | null>(null);

  async function run(task: () => Promise<Picture[]>) {
    setStatus('pending');
    setError(null);
    try {
      const added = await task();
      setPictures((all) => [...added, ...all]);
      setStatus('idle');
    } catch (e) {
      setStatus('error');
      setError(errorText(e));
    }
  }

  const generate = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const result = await client.images.generate({
        prompt,
        n: Number(n),
        size,
        response_format: 'b64_json',
      });
      return (result.data ?? []).map((d, i) => ({
        id: `gen-${Date.now()}-${i}`,
        src: dataUrl(d.b64_json),
        label: prompt,
      }));
    });
  };

  const vary = (picture: Picture) =>
    run(async () => {
      const image = await toBlob(picture.src);
      const result = await client.images.createVariation({ image, n: 1, size, response_format: 'b64_json' });
      return (result.data ?? []).map((d, i) => ({
        id: `var-${Date.now()}-${i}`,
        src: dataUrl(d.b64_json),
        label: `Variation of ${picture.label}`,
      }));
    });

  return (
    <section aria-labelledby="images-heading" aria-busy={status === 'pending'}>
      <h2 id="images-heading">Images</h2>
      <form onSubmit={generate} className="row">
        <label>
          Image prompt
          <input value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        </label>
        <label>
          Size
          <select value={size} onChange={(e) => setSize(e.target.value)}>
            <option>256x256</option>
            <option>512x512</option>
            <option>1024x1024</option>
          </select>
        </label>
        <label>
          Count
          <input type="number" min="1" max="10" value={n} onChange={(e) => setN(e.target.value)} />
        </label>
        <button type="submit" disabled={status === 'pending'}>
          Generate
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul className="gallery" aria-label="Generated images">
        {pictures.map((p) => (
          <li key={p.id}>
            <figure>
              <img src={p.src} alt={p.label} />
              <figcaption className="row">
                <button type="button" onClick={() => setSelected(p)}>
                  Edit
                </button>
                <button type="button" onClick={() => void vary(p)}>
                  Variation
                </button>
              </figcaption>
            </figure>
          </li>
        ))}
      </ul>
      {selected && (
        <MaskPainter
          key={selected.id}
          picture={selected}
          onResult={(added) => setPictures((all) => [...added, ...all])}
        />
      )}
    </section>
  );
}

function App() {
  return (
    <main>
      <h1>Parlance playground</h1>
      <OfflineBanner />
      <Chat />
      <Images />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
