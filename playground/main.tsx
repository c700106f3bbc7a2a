// The playground served by the reference server at `/`: a small app built only on the package's
// public surface, against the server it is served from. One file per panel: settings-panel.tsx,
// chat-panel.tsx, images-panel.tsx; server.ts is the API they talk to.
import { ParlanceProvider } from 'parlance';
import 'parlance/styles.css';
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';

import { ChatPanel } from './chat-panel';
import { ImagesPanel } from './images-panel';
import { API, useServerModels } from './server';
import { SettingsPanel, useSettings } from './settings-panel';
import { playgroundStrings, type PlaygroundStrings } from './strings';
import './playground.css';

function OfflineBanner({ s }: { s: PlaygroundStrings }) {
  return (
    <aside className="playground-banner" aria-label={s.offlineLabel}>
      <strong>{s.offlineLead}</strong> {s.offlineBody} <code>OPENAI_API_KEY=sk-… npm start</code>
      {s.offlineKey} <code>PARLANCE_UPSTREAM_URL=http://127.0.0.1:11434/v1 npm start</code>
      {s.offlineUpstream}
    </aside>
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
          <ChatPanel s={s} settings={settings} />
          <ImagesPanel s={s} />
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
