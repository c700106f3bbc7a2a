// The chat column: the conversation list and the open conversation, sent with the settings'
// model and sampling. The most recent conversation opens on load.
import { ChatWindow } from 'parlance';

import type { Settings } from './settings-panel';
import { playgroundTools } from './tools';
import type { PlaygroundStrings } from './strings';

export function ChatPanel({ s, settings }: { s: PlaygroundStrings; settings: Settings }) {
  return (
    <ChatWindow
      className="playground-chat"
      conversations
      title={s.chatTitle}
      system={settings.system.trim() ? settings.system : undefined}
      temperature={settings.temperature}
      maxTokens={settings.maxTokens ?? undefined}
      allowImages
      tools={playgroundTools}
      onFeedback={(messageId, value, comment) => console.info('feedback', { messageId, value, comment })}
    />
  );
}
