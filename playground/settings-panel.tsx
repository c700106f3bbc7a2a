// The settings drawer: model, sampling, system prompt, language and theme, kept in localStorage.
import type { ParlanceLocale, ParlanceTheme } from 'parlance';
import { useEffect, useState } from 'react';

import { Field } from './field';
import type { ServerModels } from './server';
import type { PlaygroundStrings } from './strings';

const SETTINGS_KEY = 'parlance-playground-settings';
const COMMON_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-4.1', 'o4-mini', 'gpt-3.5-turbo'];
// Listed by an upstream's /models but not chat models.
const NOT_CHAT = /dall-e|image|embedding|tts|whisper|transcribe|moderation|realtime/;

export interface Settings {
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

export function useSettings() {
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

export function SettingsPanel({
  s,
  settings,
  update,
  serverModels,
  onClose,
}: {
  s: PlaygroundStrings;
  settings: Settings;
  update: (patch: Partial<Settings>) => void;
  serverModels: ServerModels;
  onClose: () => void;
}) {
  const fromServer =
    serverModels.status === 'ready' ? serverModels.ids.filter((id) => !NOT_CHAT.test(id)) : [];
  const common = COMMON_MODELS.filter((id) => !fromServer.includes(id));
  // A stored model neither list names (a server that went away) stays selectable.
  if (![...fromServer, ...common].includes(settings.model)) common.unshift(settings.model);
  return (
    <section className="playground-settings" aria-labelledby="settings-heading">
      <div className="playground-drawer-header">
        <h2 id="settings-heading">{s.settings}</h2>
        <button
          type="button"
          className="parlance-button parlance-button-ghost playground-icon-button"
          aria-label={s.closeSettings}
          onClick={onClose}
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6 6 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
        </button>
      </div>
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
      <p className="playground-settings-link">
        <a href="./host.html">{s.hostLink}</a>
      </p>
    </section>
  );
}
