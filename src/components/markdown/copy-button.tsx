import { useEffect, useRef, useState } from 'react';

import { getOwnerWindow } from '../primitives/owner-window';

/** Props of {@link CopyButton}. */
export interface CopyButtonProps {
  text: string;
  label: string;
  doneLabel: string;
  className?: string;
  /** Called once the text is on the clipboard. */
  onCopied?: () => void;
}

/** Copies `text` to the clipboard and says so for two seconds. */
export function CopyButton({ text, label, doneLabel, className, onCopied }: CopyButtonProps) {
  const [done, setDone] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <button
      type="button"
      className={className ?? 'parlance-button parlance-button-ghost parlance-copy'}
      data-state={done ? 'copied' : 'idle'}
      onClick={(event) => {
        const clipboard = getOwnerWindow(event.currentTarget).navigator.clipboard;
        void clipboard
          ?.writeText(text)
          .then(() => {
            setDone(true);
            onCopied?.();
            clearTimeout(timer.current);
            timer.current = setTimeout(() => setDone(false), 2000);
          })
          .catch(() => {
            // Clipboard refused (no permission or no focus): nothing was copied, and the label says so by not changing.
          });
      }}
    >
      {done ? doneLabel : label}
    </button>
  );
}
