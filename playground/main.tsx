// The playground served by the reference server at `/`: a small app built only on the package's
// public surface, against the server it is served from. One file per part: app.tsx (the page),
// settings-panel.tsx, chat-panel.tsx, images-panel.tsx; server.ts is the API they talk to.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
