import type { CSSProperties } from 'react';

import type { TokenMessage } from '../../core';
import { format, type ChatStrings } from '../i18n/chat';
import { useChatStrings, useLocale } from '../i18n/locale';
import { cx, useThemeAttribute } from '../primitives/root';
import { useTokenBudget, type TokenBudget } from './use-token-budget';

/** Props of {@link TokenMeter}. */
export interface TokenMeterProps extends Partial<TokenBudget> {
  /**
   * The conversation as it would be sent next (the draft included). When given, the meter counts
   * it for `model` and plans the trimming itself; any figure passed as a prop wins.
   */
  messages?: readonly TokenMessage[];
  /** The model to count for. Default: the provider's. */
  model?: string;
  /** The reply's `max_tokens`, kept free for the reply. Default: as `planContext` chooses. */
  maxTokens?: number;
  /** Overrides of the UI strings. */
  strings?: Partial<ChatStrings>;
  theme?: 'light' | 'dark' | 'auto';
  className?: string;
  style?: CSSProperties;
}

/**
 * Prompt tokens, the room left for the reply and the context window, and what trimming will leave
 * out before the request is sent.
 *
 * @example
 * <TokenMeter messages={[...chat.messages, { role: 'user', content: draft }]} model="gpt-4o" />
 */
export function TokenMeter(props: TokenMeterProps) {
  const strings = useChatStrings(props.strings);
  const theme = useThemeAttribute(props.theme);
  const locale = useLocale();
  const counted = useTokenBudget(props.messages ?? NONE, { model: props.model, maxTokens: props.maxTokens });
  const figures: TokenBudget = {
    promptTokens: props.promptTokens ?? counted.promptTokens,
    replyRoom: props.replyRoom ?? counted.replyRoom,
    contextWindow: props.contextWindow ?? counted.contextWindow,
    droppedCount: props.droppedCount ?? counted.droppedCount,
    droppedTokens: props.droppedTokens ?? counted.droppedTokens,
    overflow: props.overflow ?? counted.overflow,
    isApproximate: props.isApproximate ?? counted.isApproximate,
  };
  const number = (value: number | undefined) => (value === undefined ? '—' : value.toLocaleString(locale));
  const used = figures.promptTokens ?? 0;
  const state = figures.overflow ? 'overflow' : figures.droppedCount > 0 ? 'trimming' : 'fits';
  return (
    <section
      className={cx('parlance-root parlance-token-meter', props.className)}
      data-theme={theme}
      data-slot="token-meter"
      data-state={state}
      aria-label={strings.tokenMeterLabel}
      style={props.style}
    >
      <meter
        className="parlance-token-meter-bar"
        min={0}
        max={figures.contextWindow}
        value={Math.min(used, figures.contextWindow)}
        high={figures.contextWindow * 0.8}
        aria-label={strings.tokenMeterLabel}
      />
      <dl className="parlance-token-meter-figures">
        <div>
          <dt>{strings.promptTokens}</dt>
          <dd data-slot="prompt-tokens">
            {figures.isApproximate ? '≈' : ''}
            {number(figures.promptTokens)}
          </dd>
        </div>
        <div>
          <dt>{strings.replyRoom}</dt>
          <dd data-slot="reply-room">{number(figures.replyRoom)}</dd>
        </div>
        <div>
          <dt>{strings.contextWindow}</dt>
          <dd data-slot="context-window">{number(figures.contextWindow)}</dd>
        </div>
      </dl>
      <p className="parlance-token-meter-note" data-slot="token-meter-note">
        {figures.overflow
          ? strings.overflow
          : figures.droppedCount > 0
            ? format(strings.willDrop, {
                count: figures.droppedCount,
                tokens: figures.droppedTokens.toLocaleString(locale),
              })
            : strings.nothingDropped}
      </p>
    </section>
  );
}

const NONE: readonly TokenMessage[] = [];
