import type { CSSProperties } from 'react';

import type { ChatBudget, ChatContextOptions, ModelPrices, TokenMessage } from '../../core';
import type { ChatStrings } from '../i18n/chat';
import { format } from '../i18n/template';
import { useNumberFormat } from '../i18n/format';
import { useChatStrings } from '../i18n/locale';
import { cx, useThemeAttribute } from '../primitives/root';
import { useTokenBudget, type TokenBudget, type TokenBudgetRequest } from './use-token-budget';

/** Props of {@link TokenMeter}. */
export interface TokenMeterProps extends Partial<TokenBudget> {
  /**
   * The conversation as it would be sent next (the draft included). When given, the meter counts
   * it for `model` and plans the trimming itself; any figure passed as a prop wins.
   */
  messages?: readonly TokenMessage[];
  /**
   * The next request's wire body (`chat.store.previewRequest(draft)`), counted as sent: system
   * message, instructions and tools included. Wins over `messages`.
   */
  request?: TokenBudgetRequest;
  /** The model to count for. Default: the provider's. */
  model?: string;
  /** The reply's `max_tokens`, kept free for the reply. Default: as `planContext` chooses. */
  maxTokens?: number;
  /** How the request is trimmed (`false`: not at all, as `useChat` without `context`). Default `{}`. */
  context?: ChatContextOptions | false;
  /** Prices per model, for the cost figures. Default: the provider's `prices`. */
  prices?: ModelPrices;
  /**
   * The chat's spending caps (`useChat({ budget })`): when the next request's estimate passes one,
   * the meter says so (`data-state="over-budget"`) before anything is sent.
   */
  budget?: ChatBudget;
  /** Overrides of the UI strings. */
  strings?: Partial<ChatStrings>;
  theme?: 'light' | 'dark' | 'auto';
  className?: string;
  style?: CSSProperties;
}

/**
 * Prompt tokens, the room left for the reply and the context window, and what trimming will leave
 * out before the request is sent; with a price for the model (`prices`), what the next request
 * can cost at most and what the conversation has cost. Figures use the locale's number format.
 *
 * @example
 * <TokenMeter messages={[...chat.messages, { role: 'user', content: draft }]} model="gpt-4o" />
 */
export function TokenMeter(props: TokenMeterProps) {
  const strings = useChatStrings(props.strings);
  const theme = useThemeAttribute(props.theme);
  const formatter = useNumberFormat();
  const counted = useTokenBudget(props.request ?? props.messages ?? NONE, {
    model: props.model,
    maxTokens: props.maxTokens,
    context: props.context,
    prices: props.prices,
  });
  const figures: TokenBudget = {
    promptTokens: props.promptTokens ?? counted.promptTokens,
    replyRoom: props.replyRoom ?? counted.replyRoom,
    contextWindow: props.contextWindow ?? counted.contextWindow,
    droppedCount: props.droppedCount ?? counted.droppedCount,
    droppedTokens: props.droppedTokens ?? counted.droppedTokens,
    overflow: props.overflow ?? counted.overflow,
    isApproximate: props.isApproximate ?? counted.isApproximate,
    status: props.status ?? (props.request || props.messages ? counted.status : undefined),
    cost: 'cost' in props ? props.cost : counted.cost,
    conversationCost: 'conversationCost' in props ? props.conversationCost : counted.conversationCost,
  };
  const number = formatter.number;
  const { cost, conversationCost } = figures;
  const used = figures.promptTokens ?? 0;
  const over = overBudget(cost, conversationCost?.total ?? 0, props.budget);
  const state = figures.overflow
    ? 'overflow'
    : over
      ? 'over-budget'
      : figures.droppedCount > 0
        ? 'trimming'
        : 'fits';
  return (
    <section
      className={cx('parlance-root parlance-token-meter', props.className)}
      data-theme={theme}
      data-slot="token-meter"
      data-state={state}
      data-status={figures.status}
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
        {cost && (
          <div>
            <dt>{strings.requestCost}</dt>
            <dd
              data-slot="request-cost"
              title={format(strings.requestCostDetail, {
                input: formatter.money(cost.input, cost.currency),
                output: formatter.money(cost.maxOutput, cost.currency),
              })}
            >
              {format(strings.requestCostValue, { total: formatter.money(cost.total, cost.currency) })}
            </dd>
          </div>
        )}
        {conversationCost && (
          <div>
            <dt>{strings.conversationCost}</dt>
            <dd data-slot="conversation-cost">
              {formatter.money(conversationCost.total, conversationCost.currency)}
            </dd>
          </div>
        )}
      </dl>
      <p className="parlance-token-meter-note" data-slot="token-meter-note">
        {figures.overflow
          ? strings.overflow
          : over
            ? format(over.limit === 'request' ? strings.overBudget : strings.overBudgetConversation, {
                cost: formatter.money(over.estimate, over.currency),
                limit: formatter.money(over.cap, over.currency),
              })
            : figures.droppedCount > 0
              ? format(strings.willDrop, {
                  count: figures.droppedCount,
                  tokens: number(figures.droppedTokens),
                })
              : strings.nothingDropped}
      </p>
    </section>
  );
}

const NONE: readonly TokenMessage[] = [];

/** The cap the next request would pass (the same test `useChat({ budget })` applies), if any. */
function overBudget(
  cost: TokenBudget['cost'],
  spent: number,
  budget: ChatBudget | undefined,
): { limit: 'request' | 'conversation'; estimate: number; cap: number; currency: string } | null {
  if (!cost || !budget) return null;
  const { maxCostPerRequest, maxCost } = budget;
  if (maxCostPerRequest !== undefined && cost.total > maxCostPerRequest) {
    return { limit: 'request', estimate: cost.total, cap: maxCostPerRequest, currency: cost.currency };
  }
  if (maxCost !== undefined && spent + cost.total > maxCost) {
    return { limit: 'conversation', estimate: spent + cost.total, cap: maxCost, currency: cost.currency };
  }
  return null;
}
