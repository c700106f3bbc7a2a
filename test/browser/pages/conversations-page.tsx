// A page of its own for chat-conversations.test.tsx: a ChatWindow with its conversation list on
// localStorage, against the fake OpenAI server. The test drives it through the DOM and reloads it.
import { createRoot } from 'react-dom/client';

import { ChatWindow, ParlanceProvider } from 'parlance';

import '../../../src/styles.css';

const baseUrl = (window as unknown as { __baseUrl: string }).__baseUrl;
const root = document.createElement('div');
root.style.height = '640px';
root.style.width = '960px';
document.body.append(root);
createRoot(root).render(
  <ParlanceProvider
    baseUrl={baseUrl}
    model="scenario-stream"
    locale="en"
    headers={{ 'x-test-id': 'conversations' }}
  >
    <ChatWindow conversations />
  </ParlanceProvider>,
);
