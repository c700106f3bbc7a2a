import { useId, useState } from 'react';

import type { ChatMessageFeedback } from '../../core';
import type { ChatStrings } from '../i18n/chat';
import { LineIcon } from '../primitives/icons';

/**
 * Thumbs up and down on a reply (toggle buttons, `aria-pressed`); the chosen one is the message's
 * `feedback`. After a thumbs down, an optional comment: `onFeedback` is called again with it.
 */
export function FeedbackButtons({
  messageId,
  value,
  strings,
  onFeedback,
}: {
  messageId: string;
  value: ChatMessageFeedback | undefined;
  strings: ChatStrings;
  onFeedback: (messageId: string, value: ChatMessageFeedback | null, comment?: string) => void;
}) {
  const [stage, setStage] = useState<'idle' | 'commenting' | 'thanked'>('idle');
  const [comment, setComment] = useState('');
  const inputId = useId();
  const choose = (choice: ChatMessageFeedback) => {
    const next = value === choice ? null : choice;
    onFeedback(messageId, next);
    setStage(next === 'down' ? 'commenting' : next === 'up' ? 'thanked' : 'idle');
  };
  return (
    <>
      <span className="parlance-feedback" data-slot="message-feedback" data-value={value}>
        {(['up', 'down'] as const).map((choice) => {
          const label = choice === 'up' ? strings.feedbackUp : strings.feedbackDown;
          return (
            <button
              key={choice}
              type="button"
              className="parlance-button parlance-button-ghost parlance-feedback-button"
              aria-pressed={value === choice}
              aria-label={label}
              title={label}
              data-choice={choice}
              onClick={() => choose(choice)}
            >
              <LineIcon d={THUMB} flip={choice === 'down'} />
            </button>
          );
        })}
      </span>
      {stage === 'commenting' && value === 'down' && (
        <form
          className="parlance-feedback-comment"
          onSubmit={(event) => {
            event.preventDefault();
            const text = comment.trim();
            if (text) onFeedback(messageId, 'down', text);
            setComment('');
            setStage('thanked');
          }}
        >
          <label htmlFor={inputId}>{strings.feedbackComment}</label>
          <input
            id={inputId}
            className="parlance-feedback-input"
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setStage('idle');
            }}
          />
          <button type="submit" className="parlance-button">
            {strings.feedbackSend}
          </button>
          <button
            type="button"
            className="parlance-button parlance-button-ghost"
            onClick={() => setStage('idle')}
          >
            {strings.cancel}
          </button>
        </form>
      )}
      {stage === 'thanked' && value && (
        <span className="parlance-feedback-thanks" role="status">
          {strings.feedbackThanks}
        </span>
      )}
    </>
  );
}

const THUMB = 'M7 10v11H3V10h4Zm0 0 4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.1 21H7';
