import { useId, useState } from 'react';

import type { ChatStrings } from '../i18n/chat';
import { useNumberFormat } from '../i18n/format';
import { format } from '../i18n/template';
import { Markdown } from '../markdown/markdown';
import type { UrlPolicy } from '../markdown/safe-url';

/**
 * What the model thought, folded behind a disclosure button labelled with how long it thought.
 * It stays folded while the reasoning streams: the log is a live region, and unfolding it by
 * itself would read every thought aloud and push the answer down as it starts; the label says
 * "Thinking…" meanwhile, and the user may unfold it to watch.
 */
export function Reasoning({
  text,
  durationMs,
  live,
  strings,
  policy,
}: {
  text: string;
  durationMs: number | undefined;
  live: boolean;
  strings: ChatStrings;
  policy: UrlPolicy;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const formatter = useNumberFormat();
  const label = live
    ? strings.reasoningLive
    : durationMs !== undefined && Number.isFinite(durationMs)
      ? format(strings.reasoningDuration, {
          seconds: formatter.number(Math.max(1, Math.round(durationMs / 1000))),
        })
      : strings.reasoning;
  return (
    <div
      className="parlance-reasoning"
      data-slot="message-reasoning"
      data-state={open ? 'open' : 'closed'}
      data-live={live || undefined}
    >
      <button
        type="button"
        className="parlance-disclosure parlance-reasoning-toggle"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen((value) => !value)}
      >
        {label}
      </button>
      {open && (
        <div className="parlance-reasoning-content" id={id}>
          <Markdown
            streaming={live}
            allowedImageOrigins={policy.allowedImageOrigins}
            allowRelativeLinks={policy.allowRelativeLinks}
            strings={strings}
          >
            {text}
          </Markdown>
        </div>
      )}
    </div>
  );
}
