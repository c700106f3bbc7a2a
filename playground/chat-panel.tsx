// The chat column: one conversation, sent with the settings' model and sampling.
import { ChatWindow } from 'parlance';

import type { Settings } from './settings-panel';
import { playgroundTools } from './tools';
import type { PlaygroundStrings } from './strings';

const CONVERSATION_ID = 'playground';

export function ChatPanel({ s, settings }: { s: PlaygroundStrings; settings: Settings }) {
  return (
    <ChatWindow
      className="playground-chat"
      id={CONVERSATION_ID}
      title={s.chatTitle}
      system={settings.system.trim() ? settings.system : undefined}
      temperature={settings.temperature}
      maxTokens={settings.maxTokens ?? undefined}
      allowImages
      tools={playgroundTools}
    />
  );
}
