import type { ChatStrings } from '../i18n/chat';

/** The model's refusal, as a notice in place of a reply (never an empty one). */
export function Refusal({ text, strings }: { text: string; strings: ChatStrings }) {
  return (
    <div
      className="parlance-notice parlance-refusal"
      data-kind="refusal"
      data-slot="message-refusal"
      role="note"
    >
      <span className="parlance-refusal-label">{strings.refusal}</span>
      {text && <span className="parlance-refusal-text">{text}</span>}
    </div>
  );
}
