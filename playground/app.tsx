// The playground's page: it opens on the chat; settings are a drawer and images their own tab.
import { ParlanceProvider } from 'parlance';
import 'parlance/styles.css';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

import { ChatPanel } from './chat-panel';
import { ImagesPanel } from './images-panel';
import { API, useServerModels } from './server';
import { SettingsPanel, useSettings } from './settings-panel';
import { playgroundStrings, type PlaygroundStrings } from './strings';
import './playground.css';

type Tab = 'chat' | 'images';
const TABS: readonly Tab[] = ['chat', 'images'];

/** The tab named by the address (`#images`), else the chat. */
function tabFromHash(): Tab {
  return location.hash === '#images' ? 'images' : 'chat';
}

function OfflineNotice({ s }: { s: PlaygroundStrings }) {
  return (
    <details className="playground-offline">
      <summary>{s.offlineBadge}</summary>
      <div className="playground-offline-body" role="note" aria-label={s.offlineLabel}>
        {s.offlineBody} <code>OPENAI_API_KEY=sk-… npm start</code>
        {s.offlineKey} <code>PARLANCE_UPSTREAM_URL=http://127.0.0.1:11434/v1 npm start</code>
        {s.offlineUpstream}
      </div>
    </details>
  );
}

export function App() {
  const [settings, update] = useSettings();
  const serverModels = useServerModels();
  const s = playgroundStrings[settings.locale];
  const offline = serverModels.status === 'ready' && serverModels.ids.includes('parlance-offline');
  const [tab, setTab] = useState<Tab>(tabFromHash);
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ chat: null, images: null });
  const drawer = useRef<HTMLDialogElement>(null);
  const settingsButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    document.documentElement.lang = settings.locale;
    document.title = s.title;
  }, [settings.locale, s.title]);

  useEffect(() => {
    const follow = () => setTab(tabFromHash());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  const choose = (next: Tab, focus = false) => {
    setTab(next);
    history.replaceState(null, '', next === 'chat' ? location.pathname + location.search : '#images');
    if (focus) tabRefs.current[next]?.focus();
  };

  // The tabs pattern: arrow keys, Home and End move between tabs (and show them).
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const at = TABS.indexOf(tab);
    const to =
      event.key === 'ArrowRight'
        ? TABS[(at + 1) % TABS.length]
        : event.key === 'ArrowLeft'
          ? TABS[(at - 1 + TABS.length) % TABS.length]
          : event.key === 'Home'
            ? TABS[0]
            : event.key === 'End'
              ? TABS.at(-1)
              : undefined;
    if (!to) return;
    event.preventDefault();
    choose(to, true);
  };

  const label = { chat: s.chatTab, images: s.imagesTab } satisfies Record<Tab, string>;

  return (
    <ParlanceProvider baseUrl={API} model={settings.model} locale={settings.locale} theme={settings.theme}>
      <div className="parlance-root playground" data-theme={settings.theme}>
        <header className="playground-header">
          <h1>{s.title}</h1>
          <div className="playground-tabs" role="tablist" aria-label={s.sections}>
            {TABS.map((id) => (
              <button
                key={id}
                ref={(node) => {
                  tabRefs.current[id] = node;
                }}
                type="button"
                role="tab"
                id={`tab-${id}`}
                aria-controls={`panel-${id}`}
                aria-selected={tab === id}
                tabIndex={tab === id ? 0 : -1}
                className="playground-tab"
                onClick={() => choose(id)}
                onKeyDown={onTabKey}
              >
                {label[id]}
              </button>
            ))}
          </div>
          <div className="playground-tools">
            {offline && <OfflineNotice s={s} />}
            <a className="playground-link" href="./host.html">
              {s.hostLink}
            </a>
            <button
              ref={settingsButton}
              type="button"
              className="parlance-button"
              aria-haspopup="dialog"
              onClick={() => drawer.current?.showModal()}
            >
              <GearIcon />
              {s.openSettings}
            </button>
          </div>
        </header>
        <main className="playground-main">
          <div
            className="playground-tabpanel playground-tabpanel-chat"
            role="tabpanel"
            id="panel-chat"
            aria-labelledby="tab-chat"
            hidden={tab !== 'chat'}
          >
            <ChatPanel s={s} settings={settings} />
          </div>
          <div
            className="playground-tabpanel"
            role="tabpanel"
            id="panel-images"
            aria-labelledby="tab-images"
            hidden={tab !== 'images'}
          >
            <ImagesPanel s={s} />
          </div>
        </main>
        {/* A native modal dialog: focus stays inside, Escape closes it, focus goes back to the button. */}
        <dialog
          ref={drawer}
          className="playground-drawer"
          aria-labelledby="settings-heading"
          onClose={() => settingsButton.current?.focus()}
        >
          <SettingsPanel
            s={s}
            settings={settings}
            update={update}
            serverModels={serverModels}
            onClose={() => drawer.current?.close()}
          />
        </dialog>
      </div>
    </ParlanceProvider>
  );
}

function GearIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm7.4-3a7.4 7.4 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7.3 7.3 0 0 0-2-1.2L14.5 3h-5l-.4 2.6a7.3 7.3 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7.3 7.3 0 0 0 2 1.2l.4 2.6h5l.4-2.6a7.3 7.3 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2Z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinejoin="round"
      />
    </svg>
  );
}
