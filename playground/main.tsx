// The playground served by the reference server at `/`: a small app built only on the package's
// public surface, against the server it is served from.
import {
  ChatWindow,
  ImageGallery,
  MaskEditor,
  ParlanceProvider,
  useImageEdit,
  useImageGeneration,
  useImageVariation,
  type GeneratedImage,
  type ImageHistoryEntry,
  type MaskEditorChange,
  type ParlanceLocale,
  type ParlanceTheme,
} from 'parlance';
import { DEFAULT_IMAGE_MODEL, createClient, getImageModelInfo, type ImageSize } from 'parlance/core';
import 'parlance/styles.css';
import { StrictMode, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';

import { playgroundStrings, type PlaygroundStrings } from './strings';
import './playground.css';

const API = new URL('/v1', location.href).href;
const client = createClient({ baseUrl: API });

const SETTINGS_KEY = 'parlance-playground-settings';
const CONVERSATION_ID = 'playground';
const COMMON_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-4.1', 'o4-mini', 'gpt-3.5-turbo'];
// Listed by an upstream's /models but not chat models.
const NOT_CHAT = /dall-e|image|embedding|tts|whisper|transcribe|moderation|realtime/;

interface Settings {
  model: string;
  temperature: number;
  /** `null`: no `max_tokens`, the model replies as long as the window allows. */
  maxTokens: number | null;
  system: string;
  locale: ParlanceLocale;
  theme: ParlanceTheme;
}

const DEFAULTS: Settings = {
  model: 'gpt-4o-mini',
  temperature: 1,
  maxTokens: null,
  system: 'You are a helpful assistant.',
  locale: navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en',
  theme: 'auto',
};

/** The stored settings, each field checked, so a stale or hand-edited entry cannot break the page. */
function loadSettings(): Settings {
  let stored: Partial<Record<keyof Settings, unknown>> = {};
  try {
    stored = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}') as typeof stored;
  } catch {
    // Unreadable or blocked storage: start from the defaults.
  }
  const { model, temperature, maxTokens, system, locale, theme } = stored;
  return {
    model: typeof model === 'string' && model ? model : DEFAULTS.model,
    temperature:
      typeof temperature === 'number' && temperature >= 0 && temperature <= 2
        ? temperature
        : DEFAULTS.temperature,
    maxTokens: typeof maxTokens === 'number' && maxTokens >= 1 ? Math.floor(maxTokens) : DEFAULTS.maxTokens,
    system: typeof system === 'string' ? system : DEFAULTS.system,
    locale: locale === 'en' || locale === 'zh-CN' ? locale : DEFAULTS.locale,
    theme: theme === 'light' || theme === 'dark' || theme === 'auto' ? theme : DEFAULTS.theme,
  };
}

function useSettings() {
  const [settings, setSettings] = useState(loadSettings);
  useEffect(() => {
    try {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    } catch {
      // Storage full or blocked: the settings still apply to this visit.
    }
  }, [settings]);
  const update = (patch: Partial<Settings>) => setSettings((current) => ({ ...current, ...patch }));
  return [settings, update] as const;
}

type ServerModels = { status: 'loading' } | { status: 'ready'; ids: string[] } | { status: 'error' };

function useServerModels(): ServerModels {
  const [models, setModels] = useState<ServerModels>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    client.models.list({ signal: controller.signal }).then(
      (list) => setModels({ status: 'ready', ids: list.data.map((m) => m.id) }),
      () => {
        if (!controller.signal.aborted) setModels({ status: 'error' });
      },
    );
    return () => controller.abort();
  }, []);
  return models;
}

function format(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function OfflineBanner({ s }: { s: PlaygroundStrings }) {
  return (
    <aside className="playground-banner" aria-label={s.offlineLabel}>
      <strong>{s.offlineLead}</strong> {s.offlineBody} <code>OPENAI_API_KEY=sk-… npm start</code>
      {s.offlineKey} <code>PARLANCE_UPSTREAM_URL=http://127.0.0.1:11434/v1 npm start</code>
      {s.offlineUpstream}
    </aside>
  );
}

/** A labelled control; `children` receives the `aria-describedby` that ties the hint to it. */
function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: string;
  children: (described: { 'aria-describedby'?: string }) => ReactNode;
}) {
  const hintId = useId();
  return (
    <div className="playground-field">
      <label>
        <span className="playground-label">{label}</span>
        {children(hint ? { 'aria-describedby': hintId } : {})}
      </label>
      {hint && (
        <small id={hintId} className="playground-hint">
          {hint}
        </small>
      )}
    </div>
  );
}

function SettingsPanel({
  s,
  settings,
  update,
  serverModels,
}: {
  s: PlaygroundStrings;
  settings: Settings;
  update: (patch: Partial<Settings>) => void;
  serverModels: ServerModels;
}) {
  const fromServer =
    serverModels.status === 'ready' ? serverModels.ids.filter((id) => !NOT_CHAT.test(id)) : [];
  const common = COMMON_MODELS.filter((id) => !fromServer.includes(id));
  // A stored model neither list names (a server that went away) stays selectable.
  if (![...fromServer, ...common].includes(settings.model)) common.unshift(settings.model);
  return (
    <section className="playground-panel playground-settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{s.settings}</h2>
      <form onSubmit={(event) => event.preventDefault()}>
        <Field label={s.model}>
          {(described) => (
            <select
              {...described}
              value={settings.model}
              onChange={(e) => update({ model: e.currentTarget.value })}
            >
              {fromServer.length > 0 && (
                <optgroup label={s.modelsFromServer}>
                  {fromServer.map((id) => (
                    <option key={id}>{id}</option>
                  ))}
                </optgroup>
              )}
              <optgroup label={s.commonModels}>
                {common.map((id) => (
                  <option key={id}>{id}</option>
                ))}
              </optgroup>
            </select>
          )}
        </Field>
        <Field label={s.temperature} hint={s.temperatureHint}>
          {(described) => (
            <span {...described} className="playground-range">
              <input
                type="range"
                min="0"
                max="2"
                step="0.1"
                value={settings.temperature}
                onChange={(e) => update({ temperature: Number(e.currentTarget.value) })}
              />
              <output>{settings.temperature.toFixed(1)}</output>
            </span>
          )}
        </Field>
        <Field label={s.maxTokens} hint={s.maxTokensHint}>
          {(described) => (
            <input
              {...described}
              type="number"
              min="1"
              step="1"
              inputMode="numeric"
              value={settings.maxTokens ?? ''}
              onChange={(e) => {
                const value = e.currentTarget.valueAsNumber;
                update({ maxTokens: Number.isFinite(value) && value >= 1 ? Math.floor(value) : null });
              }}
            />
          )}
        </Field>
        <Field label={s.system}>
          {(described) => (
            <textarea
              {...described}
              rows={4}
              value={settings.system}
              onChange={(e) => update({ system: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field label={s.locale}>
          {(described) => (
            <select
              {...described}
              value={settings.locale}
              onChange={(e) => update({ locale: e.currentTarget.value as ParlanceLocale })}
            >
              <option value="en" lang="en">
                English
              </option>
              <option value="zh-CN" lang="zh-CN">
                简体中文
              </option>
            </select>
          )}
        </Field>
        <Field label={s.theme}>
          {(described) => (
            <select
              {...described}
              value={settings.theme}
              onChange={(e) => update({ theme: e.currentTarget.value as ParlanceTheme })}
            >
              <option value="auto">{s.themeAuto}</option>
              <option value="light">{s.themeLight}</option>
              <option value="dark">{s.themeDark}</option>
            </select>
          )}
        </Field>
      </form>
    </section>
  );
}

const SIZES = (getImageModelInfo(DEFAULT_IMAGE_MODEL)?.sizes.generate ?? [
  '1024x1024',
]) as readonly ImageSize[];

/** The side of a square size such as `256x256`, or `undefined` for any other. */
function squareSide(size: string | undefined): number | undefined {
  const match = /^(\d+)x\1$/.exec(size ?? '');
  return match ? Number(match[1]) : undefined;
}

interface EditTarget {
  image: GeneratedImage;
  request: ImageHistoryEntry;
}

function Images({ s }: { s: PlaygroundStrings }) {
  // One session behind the three hooks: one history across generate, edit and vary.
  const generation = useImageGeneration();
  const editing = useImageEdit({ session: generation.session });
  const variation = useImageVariation({ session: generation.session });
  const [prompt, setPrompt] = useState('a lighthouse at dusk');
  const [size, setSize] = useState<ImageSize>(SIZES[0]!);
  const [count, setCount] = useState(1);
  const [target, setTarget] = useState<EditTarget | null>(null);
  const [editPrompt, setEditPrompt] = useState('');
  const [masked, setMasked] = useState<MaskEditorChange | null>(null);
  const editorHeading = useRef<HTMLHeadingElement>(null);
  const galleryHeading = useRef<HTMLHeadingElement>(null);

  const requests = generation.history;
  const hooks = [generation, editing, variation];
  const busy = hooks.filter((h) => h.isPending);
  const failure = hooks.find((h) => h.status === 'error');
  // Failures also show on their request in the gallery; rejections need no handling here.
  const ignore = () => {};

  useEffect(() => {
    if (target) editorHeading.current?.focus();
  }, [target]);

  // Focus would fall to the body with the editor gone; the section's heading keeps the place.
  const closeEditor = () => {
    setTarget(null);
    galleryHeading.current?.focus();
  };

  const openEditor = (image: GeneratedImage, request: ImageHistoryEntry) => {
    setMasked(null);
    setEditPrompt(request.prompt ?? prompt);
    setTarget({ image, request });
  };

  const applyEdit = () => {
    if (!masked || masked.isEmpty) return;
    editing
      .edit({
        image: masked.image,
        mask: masked.mask,
        prompt: editPrompt,
        n: 1,
        size: `${masked.width}x${masked.height}` as ImageSize,
      })
      .then(closeEditor, ignore);
  };

  return (
    <section className="playground-panel playground-images" aria-labelledby="images-heading">
      <h2 id="images-heading" ref={galleryHeading} tabIndex={-1}>
        {s.images}
      </h2>
      <form
        className="playground-row"
        onSubmit={(event) => {
          event.preventDefault();
          generation.generate({ prompt, n: count, size }).catch(ignore);
        }}
      >
        <Field label={s.imagePrompt}>
          {(described) => (
            <input
              {...described}
              value={prompt}
              required
              onChange={(e) => setPrompt(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={s.size}>
          {(described) => (
            <select {...described} value={size} onChange={(e) => setSize(e.currentTarget.value as ImageSize)}>
              {SIZES.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={s.count}>
          {(described) => (
            <input
              {...described}
              type="number"
              min="1"
              max="10"
              value={count}
              onChange={(e) => setCount(Math.min(10, Math.max(1, e.currentTarget.valueAsNumber || 1)))}
            />
          )}
        </Field>
        <div className="playground-actions">
          <button type="submit" className="parlance-button parlance-button-primary">
            {s.generate}
          </button>
          {busy.length > 0 && (
            <button type="button" className="parlance-button" onClick={() => busy.forEach((h) => h.cancel())}>
              {s.cancel}
            </button>
          )}
        </div>
      </form>
      <p role="status" className="playground-status">
        {busy.length > 0
          ? s.working
          : failure
            ? format(s.failed, { message: errorMessage(failure.error) })
            : s.ready}
      </p>
      {target && (
        <section className="playground-editor" aria-labelledby="editor-heading">
          <h3 id="editor-heading" ref={editorHeading} tabIndex={-1}>
            {s.editHeading}
          </h3>
          <p id="editor-help">{s.editHelp}</p>
          <MaskEditor
            key={target.request.id + target.image.src}
            image={target.image.blob ?? target.image.src}
            side={squareSide(target.request.size)}
            defaultBrushSize={32}
            onChange={setMasked}
          />
          <div className="playground-row">
            <Field label={s.editPrompt}>
              {() => (
                <input
                  value={editPrompt}
                  aria-describedby="editor-help"
                  onChange={(e) => setEditPrompt(e.currentTarget.value)}
                />
              )}
            </Field>
            <div className="playground-actions">
              <button
                type="button"
                className="parlance-button parlance-button-primary"
                disabled={!masked || masked.isEmpty || editPrompt.trim() === '' || editing.isPending}
                onClick={applyEdit}
              >
                {s.applyEdit}
              </button>
              <button type="button" className="parlance-button" onClick={closeEditor}>
                {s.closeEditor}
              </button>
            </div>
          </div>
        </section>
      )}
      <ImageGallery
        requests={requests}
        queue={generation.queue ?? editing.queue ?? variation.queue}
        onKeep={generation.keep}
        onEdit={openEditor}
        onVary={(image, request) => {
          const side = squareSide(request.size);
          variation
            .vary({
              image: image.blob ?? image.src,
              n: 1,
              ...(side ? { size: request.size as ImageSize } : {}),
            })
            .catch(ignore);
        }}
      />
    </section>
  );
}

function App() {
  const [settings, update] = useSettings();
  const serverModels = useServerModels();
  const s = playgroundStrings[settings.locale];
  const offline = serverModels.status === 'ready' && serverModels.ids.includes('parlance-offline');

  useEffect(() => {
    document.documentElement.lang = settings.locale;
    document.title = s.title;
  }, [settings.locale, s.title]);

  return (
    <ParlanceProvider baseUrl={API} model={settings.model} locale={settings.locale} theme={settings.theme}>
      <div className="parlance-root playground" data-theme={settings.theme}>
        <header className="playground-header">
          <h1>{s.title}</h1>
          <p>{s.intro}</p>
          <p>
            <a href="./host.html">{s.hostLink}</a>
          </p>
        </header>
        {offline && <OfflineBanner s={s} />}
        <main className="playground-main">
          <SettingsPanel s={s} settings={settings} update={update} serverModels={serverModels} />
          <ChatWindow
            className="playground-chat"
            id={CONVERSATION_ID}
            title={s.chatTitle}
            system={settings.system.trim() ? settings.system : undefined}
            temperature={settings.temperature}
            maxTokens={settings.maxTokens ?? undefined}
            allowImages
          />
          <Images s={s} />
        </main>
      </div>
    </ParlanceProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
