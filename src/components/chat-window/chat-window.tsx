import {
  memo,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type CSSProperties,
  type ReactNode,
  type RefObject,
} from 'react';

import {
  BudgetExceededError,
  buildChatRequest,
  type ChatBudget,
  DEFAULT_CHAT_MODEL,
  messageText,
  type ChatMessage,
  type ChatMessageContent,
  type ChatMessageFeedback,
  type ChatRequestOptions,
  type ChatSnapshot,
  type ChatStatus,
  type ChatStorage,
  type ChatTurnResult,
  type CompletionUsage,
  type ModelPrices,
  type TokenMessage,
} from '../../core';
import { useLatest } from '../../hooks/internal/use-latest';
import { useParlanceConfig } from '../../hooks/parlance-provider';
import { useChat, type UseChatOptions, type UseChatResult } from '../../hooks/use-chat';
import { useTokenCount } from '../../hooks/use-token-count';
import { draftContent, type ComposerAttachment } from '../composer/attachments';
import { Composer } from '../composer/composer';
import type { ChatStrings } from '../i18n/chat';
import { format } from '../i18n/template';
import { useNumberFormat } from '../i18n/format';
import { useChatStrings } from '../i18n/locale';
import type { UrlPolicy } from '../markdown/safe-url';
import type { MessageSlots } from '../message-list/message-item';
import { withoutFiles } from '../message-list/message-files';
import { MessageList } from '../message-list/message-list';
import { cx, useThemeAttribute } from '../primitives/root';
import { TokenMeter } from '../token-meter/token-meter';
import { useTokenBudget } from '../token-meter/use-token-budget';
import { Suggestions } from './suggestions';
import { useOnline } from './use-online';
import { useStoredDraft } from './use-stored-draft';
import { ChatWindowWithConversations, ConversationsPanelContext } from './with-conversations';

/** What {@link ChatWindow} shows around the conversation. */
export interface ChatWindowOwnProps extends MessageSlots, UrlPolicy {
  /** A `useChat` result, for a window the app controls. Without it the window runs its own `useChat` with the other props as options. */
  chat?: UseChatResult;
  /** The heading. Default: the locale's "Chat". */
  title?: ReactNode;
  /**
   * Show developer details: the model id in the header, the token meter and each reply's token
   * usage line. Default: true. The widget turns it off for end users (its `show-usage` attribute
   * turns it back on).
   */
  showUsage?: boolean;
  /** Show the token meter. Default: `showUsage`. */
  showTokenMeter?: boolean;
  /** Allow image attachments in the composer (vision models), prepared before sending. Default: false. */
  allowImages?: boolean;
  /**
   * Allow text files (sent as text parts with their name) and PDFs (sent as `file` parts when the
   * model reads them) in the composer. Default: false.
   */
  allowFiles?: boolean;
  /** Disable the composer; a string is shown as the reason. */
  disabled?: boolean | string;
  /** The draft (controlled). */
  draft?: string;
  /** The initial draft (uncontrolled). */
  defaultDraft?: string;
  /** Called when the draft changes. */
  onDraftChange?: (value: string) => void;
  /**
   * Approve a tool call that waits for approval; see {@link MessageList}. Default: the chat's own
   * `approveToolCall` (the call runs, and the reply goes on).
   */
  onApproveToolCall?: (toolCallId: string) => void;
  /** Decline a tool call that waits for approval. Default: the chat's own `rejectToolCall`. */
  onRejectToolCall?: (toolCallId: string, reason?: string) => void;
  /** Answer a tool call that waits for the app's result. Default: the chat's own `addToolResult`. */
  onAddToolResult?: (toolCallId: string, output: unknown) => void;
  /**
   * Called by "New conversation". Default: with `conversations`, starts a new conversation and
   * keeps the current one in the list; without, empties the conversation and offers Undo.
   */
  onNewConversation?: () => void;
  /**
   * Show the conversation list (`ConversationList`) beside the chat, or behind a
   * "Conversations" button when the window is narrow: every conversation in the chat's storage,
   * to switch between, rename and delete (with Undo). Without `chat`, the window opens the
   * conversation `id` names, else the most recent one, and switches by itself; with `chat`, the app
   * switches on `onConversationChange`. `{ idPrefix }` lists only ids that begin with it.
   */
  conversations?: boolean | { idPrefix?: string };
  /** Called with the id of the conversation the user opened, created, or was moved to by a deletion. */
  onConversationChange?: (id: string) => void;
  /**
   * Prompts shown as buttons: starters in an empty conversation, and follow-ups after a reply
   * (change them as the conversation goes on). Choosing one sends it.
   */
  suggestions?: readonly string[];
  /**
   * Called from the thumbs buttons on a reply (shown when this is given); called again with
   * `comment` if the user writes one after a thumbs down. The choice is kept on the message as
   * `feedback`, so it survives a reload.
   */
  onFeedback?: (messageId: string, value: ChatMessageFeedback, comment?: string) => void;
  /** Overrides of the UI strings. */
  strings?: Partial<ChatStrings>;
  /** Colour scheme. Default: the provider's, else `auto`. */
  theme?: 'light' | 'dark' | 'auto';
  className?: string;
  style?: CSSProperties;
}

/** Props of {@link ChatWindow}: its own, plus `useChat` options when no `chat` is given. */
export type ChatWindowProps = ChatWindowOwnProps & UseChatOptions;

/**
 * A complete chat: header (title, model, new conversation), the message list, the composer, the
 * token meter, and error and offline notices.
 *
 * Size: it fills its container when the container has a height of its own (a fixed height,
 * `100vh`, a flex or grid cell with a size; beside a header in a flex column it takes the rest).
 * In a container without one (plain page flow) it does not grow with the conversation: the
 * message area is `--parlance-chat-messages-height` tall (default `480px`) and scrolls. To fix the
 * whole window's height, give it one (`style={{ height: 600 }}` or a class). Its stylesheet
 * (`parlance/styles.css`) holds its layout against a host page's element rules (`text-align`,
 * `box-sizing`, `code`/`pre` display).
 *
 * @example
 * <ParlanceProvider baseUrl="/v1" model="gpt-4o-mini">
 *   <ChatWindow id="support" system="You are a helpful assistant." />
 * </ParlanceProvider>
 * @example
 * const chat = useChat({ model: 'gpt-4o' });
 * <ChatWindow chat={chat} title="Assistant" />
 */
export function ChatWindow(props: ChatWindowProps) {
  if (props.conversations) {
    return (
      <ChatWindowWithConversations
        props={props}
        renderChat={(p) => <ChatWindowAlone {...p} conversations={undefined} />}
      />
    );
  }
  return <ChatWindowAlone {...props} />;
}

function ChatWindowAlone(props: ChatWindowProps) {
  return props.chat ? <ChatWindowView {...props} chat={props.chat} /> : <ChatWindowWithChat {...props} />;
}

function ChatWindowWithChat(props: ChatWindowProps) {
  const {
    chat: _chat,
    title: _title,
    showTokenMeter: _showTokenMeter,
    showUsage: _showUsage,
    allowImages: _allowImages,
    allowFiles: _allowFiles,
    disabled: _disabled,
    draft: _draft,
    defaultDraft: _defaultDraft,
    onDraftChange: _onDraftChange,
    onNewConversation: _onNewConversation,
    conversations: _conversations,
    onConversationChange: _onConversationChange,
    suggestions: _suggestions,
    onFeedback: _onFeedback,
    strings: _strings,
    theme: _theme,
    className: _className,
    style: _style,
    renderAvatar: _renderAvatar,
    renderContent: _renderContent,
    renderActions: _renderActions,
    renderToolCall: _renderToolCall,
    onApproveToolCall: _onApproveToolCall,
    onRejectToolCall: _onRejectToolCall,
    onAddToolResult: _onAddToolResult,
    allowedImageOrigins: _allowedImageOrigins,
    allowRelativeLinks: _allowRelativeLinks,
    ...options
  } = props;
  // A streamed chunk re-renders the live message alone (its row reads the store): this window
  // re-renders only when the conversation's shape changes.
  const chat = useChat<UseChatResult>({ ...options, isEqual: sameShapeWhileStreaming });
  return <ChatWindowView {...props} chat={chat} own />;
}

/**
 * While a reply streams, snapshots that differ only inside messages (same ids in the same order,
 * same statuses, everything else the same) count as one.
 */
function sameShapeWhileStreaming(a: ChatSnapshot, b: ChatSnapshot): boolean {
  if (a === b) return true;
  return a.status === 'streaming' && b.status === 'streaming' && sameShape(a, b);
}

/**
 * Every field but `messages` the same, and the messages the same ids in the same order with the
 * same statuses (their contents may differ).
 */
function sameShape<T extends { messages: readonly ChatMessage[] }>(a: T, b: T): boolean {
  const keys = Object.keys(b) as (keyof T)[];
  if (keys.some((key) => key !== 'messages' && a[key] !== b[key])) return false;
  const before = a.messages;
  const after = b.messages;
  return (
    before.length === after.length &&
    before.every((m, i) => m === after[i] || (m.id === after[i]!.id && m.status === after[i]!.status))
  );
}

const EMPTY: readonly TokenMessage[] = [];

/** A key that changes when an option that shapes the request does (inline objects compare by value). */
function requestKey(o: ChatRequestOptions): string {
  const c = o.context;
  return JSON.stringify([
    o.model,
    o.system,
    o.instructions,
    o.temperature,
    o.maxTokens,
    o.body,
    o.continuePrompt,
    o.tools, // definitions only: JSON leaves `execute` out
    c ? [typeof c.policy === 'function' ? 'custom' : c.policy, c.reserve, c.contextWindow] : null,
  ]);
}

/**
 * The options the chat store builds its next request with: the window's own props when it runs
 * its own `useChat`, else the store's (which the app's `useChat` pushes after rendering, so they
 * are read again after each commit).
 */
function useRequestOptions(props: ChatWindowProps, chat: UseChatResult, model: string): ChatRequestOptions {
  const source: ChatRequestOptions = props.chat ? chat.store.options : { ...props, model };
  const key = requestKey(source);
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (props.chat && requestKey(chat.store.options) !== key) refresh();
  });
  // Stable while the key is: a policy function is read from the latest options.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => pickRequestOptions(source), [key]);
}

function pickRequestOptions(o: ChatRequestOptions): ChatRequestOptions {
  const { model, system, instructions, temperature, maxTokens, body, continuePrompt, context, tools } = o;
  return { model, system, instructions, temperature, maxTokens, body, continuePrompt, context, tools };
}

/** `own`: the window's own `useChat`, whose messages may trail the store's while a reply streams. */
type ChatWindowViewProps = ChatWindowProps & { chat: UseChatResult; own?: boolean };

/** `chat` results a window rendered with its list bound to their store (see {@link sameWindow}). */
const boundToStore = new WeakSet<UseChatResult>();

/**
 * While a reply streams, a new `chat` that differs only inside its messages (same ids in the same
 * order, same statuses) leaves the window as it is: its list's rows follow their own messages in
 * the store, so a streamed chunk re-renders the live message alone, not the window and its list.
 */
function sameWindow(a: ChatWindowViewProps, b: ChatWindowViewProps): boolean {
  const keys = Object.keys(b) as (keyof ChatWindowViewProps)[];
  if (keys.length !== Object.keys(a).length || keys.some((key) => key !== 'chat' && a[key] !== b[key])) {
    return false;
  }
  if (a.chat === b.chat) return true;
  if (
    !b.chat.isBusy ||
    !boundToStore.has(a.chat) ||
    b.chat.messages !== b.chat.store.getSnapshot().messages
  ) {
    return false;
  }
  return sameShape(a.chat, b.chat);
}

const ChatWindowView = memo(function ChatWindowView(props: ChatWindowViewProps) {
  const { chat, showUsage = true } = props;
  const showTokenMeter = props.showTokenMeter ?? showUsage;
  // The list follows the store's messages itself when these are they (not an app's edited copy).
  const bound = props.own === true || chat.messages === chat.store.getSnapshot().messages;
  if (bound) boundToStore.add(chat);
  const strings = useChatStrings(props.strings);
  const theme = useThemeAttribute(props.theme);
  const config = useParlanceConfig(props.model ? { model: props.model } : undefined);
  // The model the chat asks: the chat store falls back to the same default.
  const model = config.model ?? DEFAULT_CHAT_MODEL;
  const online = useOnline();
  const requestOptions = useRequestOptions(props, chat, model);

  // The budget is planned between replies: re-planning on every streamed chunk would cost the
  // stream frames and show figures that change again a moment later.
  const [conversation, setConversation] = useState<readonly ChatMessage[]>(chat.messages);
  if (!chat.isBusy && conversation !== chat.messages) setConversation(chat.messages);

  // The footer is memoised, so its callbacks are stable and read the latest props.
  const latest = useLatest(props);
  const [onDraftChange] = useState(() => (value: string) => latest.current.onDraftChange?.(value));
  const { send, stop } = chat;
  const onSend = useCallback((content: ChatMessageContent) => send(content), [send]);
  // Cancelling a message that waits for the connection puts its text back in the composer.
  const restoreDraftRef = useRef<((text: string) => void) | null>(null);
  const onCancelSend = (id: string) => {
    const message = chat.messages.find((m) => m.id === id);
    chat.remove(id);
    if (message) restoreDraftRef.current?.(messageText(withoutFiles(message.content)));
  };
  const formatter = useNumberFormat();
  const givenPrices = props.chat ? chat.store.options.prices : props.prices;
  const pricesKey = givenPrices ? JSON.stringify(givenPrices) : '';
  // Stable while the prices are the same values (an inline object is new on every render).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const prices = useMemo(() => givenPrices, [pricesKey]);
  // By value: an inline `budget={{ … }}` must not re-render the memoised footer on every frame.
  const caps = props.chat ? chat.store.options.budget : props.budget;
  const { maxCost, maxCostPerRequest } = caps ?? {};
  const budgetCaps = useMemo<ChatBudget | undefined>(
    () =>
      maxCost === undefined && maxCostPerRequest === undefined ? undefined : { maxCost, maxCostPerRequest },
    [maxCost, maxCostPerRequest],
  );

  const [dismissed, setDismissed] = useState<Error | null>(null);
  const error = chat.status === 'error' && chat.error !== dismissed ? chat.error : null;

  // The countdown's clock is read in the effect only (never in render, which prerendering
  // forbids); until its first tick the wait shows its whole length, which is what is left.
  const retryWait = chat.retryWait;
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!retryWait) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [retryWait]);

  // "New conversation" without a list: the conversation is emptied, and Undo puts it back.
  const [cleared, setCleared] = useState<{ storeId: string; messages: readonly ChatMessage[] } | null>(null);
  useEffect(() => {
    if (!cleared) return;
    const timer = setTimeout(() => setCleared(null), 10_000);
    return () => clearTimeout(timer);
  }, [cleared]);
  const panel = useContext(ConversationsPanelContext);
  const newConversation = () => {
    if (props.onNewConversation) return props.onNewConversation();
    if (chat.messages.length === 0) return;
    setCleared({ storeId: chat.store.id, messages: chat.messages });
    chat.clear();
  };
  const suggestions = props.suggestions ?? NO_SUGGESTIONS;
  const sendSuggestion = (text: string) => void send(text);
  const followUps =
    !chat.isBusy && chat.messages.at(-1)?.role === 'assistant' && suggestions.length > 0 ? suggestions : null;

  const titleText = props.title ?? strings.title;
  return (
    <section
      className={cx('parlance-root parlance-chat-window', props.className)}
      data-theme={theme}
      data-slot="chat-window"
      data-status={chat.status}
      aria-label={typeof titleText === 'string' ? titleText : strings.title}
      style={props.style}
    >
      <header className="parlance-chat-header" data-slot="chat-header">
        {panel && !panel.wide && (
          <button
            type="button"
            className="parlance-button parlance-button-ghost parlance-conversations-toggle"
            aria-expanded={panel.open}
            aria-controls={panel.sidebarId}
            onClick={panel.toggle}
          >
            {strings.conversations}
          </button>
        )}
        <h2 className="parlance-chat-title">{titleText}</h2>
        {showUsage && (
          <span className="parlance-chat-model" title={strings.model}>
            {model}
          </span>
        )}
        <button type="button" className="parlance-button parlance-button-ghost" onClick={newConversation}>
          {strings.newConversation}
        </button>
      </header>
      {cleared && cleared.storeId === chat.store.id && (
        <div className="parlance-banner" data-kind="undo" role="status">
          <span>{strings.conversationCleared}</span>
          <button
            type="button"
            className="parlance-button parlance-button-ghost"
            onClick={() => {
              chat.setMessages([...cleared.messages]);
              setCleared(null);
            }}
          >
            {strings.undo}
          </button>
        </div>
      )}
      {!online && (
        <p className="parlance-banner" data-kind="offline" role="status">
          {strings.offline}
        </p>
      )}
      {error && (
        <div className="parlance-banner" data-kind="error" role="alert">
          <span>
            {BudgetExceededError.isInstance(error)
              ? format(
                  error.limit === 'request' ? strings.budgetExceeded : strings.budgetExceededConversation,
                  {
                    cost: formatter.money(error.estimatedCost, error.currency),
                    limit: formatter.money(error.cap, error.currency),
                  },
                )
              : error.message || strings.error}
          </span>
          <button
            type="button"
            className="parlance-button parlance-button-ghost"
            onClick={() => setDismissed(error)}
          >
            {strings.dismiss}
          </button>
        </div>
      )}
      {retryWait && (
        <p className="parlance-banner" data-kind="retry" role="status">
          {format(strings.retrying, { seconds: retrySeconds(retryWait, now) })}
        </p>
      )}
      {chat.dropped && chat.dropped.droppedIds.length > 0 && (
        <p className="parlance-banner" data-kind="dropped">
          {format(strings.droppedNotice, { count: chat.dropped.droppedIds.length })}
        </p>
      )}
      <MessageList
        className="parlance-chat-messages"
        messages={chat.messages}
        chat={bound ? chat : undefined}
        busy={chat.isBusy}
        strings={props.strings}
        theme={theme}
        allowedImageOrigins={props.allowedImageOrigins}
        allowRelativeLinks={props.allowRelativeLinks}
        renderAvatar={props.renderAvatar}
        renderContent={props.renderContent}
        renderActions={props.renderActions}
        renderToolCall={props.renderToolCall}
        showUsage={showUsage}
        onApproveToolCall={props.onApproveToolCall ?? ((id) => void chat.approveToolCall(id))}
        onRejectToolCall={props.onRejectToolCall ?? ((id, reason) => void chat.rejectToolCall(id, reason))}
        onAddToolResult={props.onAddToolResult ?? ((id, output) => void chat.addToolResult(id, output))}
        onRegenerate={(id) => void chat.regenerate(id)}
        onEdit={(id, content) => void chat.edit(id, content)}
        onContinue={() => void chat.continue()}
        onRetry={() => void chat.retry()}
        onSelectAlternative={(id, index) => void chat.selectAlternative(id, index)}
        onCancelSend={onCancelSend}
        onDelete={(id) => chat.remove(id)}
        onFeedback={
          props.onFeedback
            ? (id, value, comment) => {
                if (comment === undefined) chat.setFeedback(id, value);
                if (value) props.onFeedback?.(id, value, comment);
              }
            : undefined
        }
        emptyState={
          suggestions.length > 0 ? (
            <>
              <p>{strings.empty}</p>
              <Suggestions
                items={suggestions}
                strings={strings}
                disabled={chat.isBusy || !!props.disabled}
                onChoose={sendSuggestion}
                placement="empty"
              />
            </>
          ) : undefined
        }
      />
      {followUps && (
        <Suggestions
          items={followUps}
          strings={strings}
          disabled={!!props.disabled}
          onChoose={sendSuggestion}
          placement="follow-up"
        />
      )}
      <ChatFooter
        key={chat.store.id}
        conversationId={chat.store.id}
        draftStorage={chat.store.options.storage}
        conversation={conversation}
        requestOptions={requestOptions}
        prices={prices}
        budget={budgetCaps}
        usage={chat.isBusy ? null : chat.usage}
        showTokenMeter={showTokenMeter}
        status={chat.status}
        draft={props.draft}
        defaultDraft={props.defaultDraft}
        onDraftChange={onDraftChange}
        onSend={onSend}
        restoreDraftRef={restoreDraftRef}
        onStop={stop}
        disabled={props.disabled}
        allowImages={props.allowImages}
        allowFiles={props.allowFiles}
        strings={props.strings}
        theme={theme}
      />
    </section>
  );
}, sameWindow);

/** Whole seconds left of a retry wait; a clock from before this wait started counts as its start. */
function retrySeconds(wait: { delayMs: number; retryAt: number }, now: number | null): number {
  const left = now === null ? wait.delayMs : Math.min(wait.delayMs, wait.retryAt - now);
  return Math.max(0, Math.ceil(left / 1000));
}

interface ChatFooterProps {
  /** The draft is kept per conversation, in its storage. */
  conversationId: string;
  draftStorage: ChatStorage | null | undefined;
  conversation: readonly ChatMessage[];
  requestOptions: ChatRequestOptions;
  prices: ModelPrices | undefined;
  budget: ChatBudget | undefined;
  /** The conversation's usage so far (`null` while a reply streams, so the footer holds still). */
  usage: CompletionUsage | null;
  showTokenMeter: boolean;
  status: ChatStatus;
  draft: string | undefined;
  defaultDraft: string | undefined;
  onDraftChange: (value: string) => void;
  onSend: (content: ChatMessageContent) => Promise<ChatTurnResult>;
  /** Set by the footer: puts text back in the composer, before what is typed there. */
  restoreDraftRef: RefObject<((text: string) => void) | null>;
  onStop: () => void;
  disabled: boolean | string | undefined;
  allowImages: boolean | undefined;
  allowFiles: boolean | undefined;
  strings: Partial<ChatStrings> | undefined;
  theme: 'light' | 'dark' | 'auto' | undefined;
}

/**
 * The token meter and the composer. Its props hold still while a reply streams (the conversation
 * it counts is the one between replies), so it does not re-render, nor recount, per frame.
 */
const ChatFooter = memo(function ChatFooter(props: ChatFooterProps) {
  const { conversation, requestOptions, showTokenMeter, onDraftChange } = props;
  const [draftState, setDraftState] = useStoredDraft(
    props.draft === undefined ? props.draftStorage : null,
    props.conversationId,
    props.defaultDraft ?? '',
  );
  const draft = props.draft ?? draftState;
  const controlled = props.draft !== undefined;
  const setDraft = useCallback(
    (value: string) => {
      if (!controlled) setDraftState(value);
      onDraftChange(value);
    },
    [controlled, onDraftChange, setDraftState],
  );
  const { restoreDraftRef } = props;
  useEffect(() => {
    restoreDraftRef.current = (text) => setDraft(draft.trim() ? `${text}\n\n${draft}` : text);
  });

  // The draft as the composer will send it: trimmed text, then each prepared attachment's part.
  const [attached, setAttached] = useState<readonly ComposerAttachment[]>(NO_ATTACHMENTS);
  const text = draft.trim();
  const content = useMemo<ChatMessageContent | undefined>(
    () => draftContent(text, attached) || undefined,
    [text, attached],
  );
  // Exactly what the chat store will send: system message, instructions, `max_tokens`, `body`.
  const request = useMemo(
    () => buildChatRequest(requestOptions, conversation, content).body,
    [requestOptions, conversation, content],
  );
  const lastUsage = useLatestDefined(props.usage);
  const budget = useTokenBudget(showTokenMeter || content ? request : NO_REQUEST, {
    context: requestOptions.context ?? false,
    usage: lastUsage,
    prices: props.prices,
  });
  // A request the budget refused was not sent: its text comes back to the composer.
  const { onSend: send } = props;
  const onSend = useCallback(
    (sent: ChatMessageContent) => {
      void send(sent).then((result) => {
        if (result.type === 'not-sent' && result.reason === 'budget') {
          setDraft(typeof sent === 'string' ? sent : messageText(withoutFiles(sent)));
        }
      });
    },
    [send, setDraft],
  );
  const draftTurn = useMemo<readonly TokenMessage[]>(() => {
    const last = request.messages.at(-1);
    return content !== undefined && last ? [last] : EMPTY;
  }, [request, content]);
  const draftCount = useTokenCount(draftTurn, { model: request.model });

  return (
    <>
      {showTokenMeter && (
        <TokenMeter
          strings={props.strings}
          theme={props.theme}
          promptTokens={budget.promptTokens}
          replyRoom={budget.replyRoom}
          contextWindow={budget.contextWindow}
          droppedCount={budget.droppedCount}
          droppedTokens={budget.droppedTokens}
          overflow={budget.overflow}
          isApproximate={budget.isApproximate}
          status={budget.status}
          cost={budget.cost}
          conversationCost={budget.conversationCost}
          budget={props.budget}
        />
      )}
      <Composer
        value={draft}
        onValueChange={setDraft}
        onSend={onSend}
        onStop={props.onStop}
        status={props.status}
        disabled={props.disabled}
        allowImages={props.allowImages}
        allowFiles={props.allowFiles}
        model={requestOptions.model}
        onAttachmentsChange={setAttached}
        strings={props.strings}
        theme={props.theme}
        tokens={
          content !== undefined
            ? {
                // The turn's own tokens: a one-message count less the 3 that prime the reply.
                count: draftCount.count === undefined ? null : draftCount.count - REPLY_PRIMER,
                remaining: budget.replyRoom ?? null,
                isApproximate: budget.isApproximate,
              }
            : undefined
        }
      />
    </>
  );
});

const REPLY_PRIMER = 3;
const NO_SUGGESTIONS: readonly string[] = [];
const NO_REQUEST = { model: '', messages: EMPTY };

/** The last value that was not `null` (the usage is held while a reply streams). */
function useLatestDefined<T>(value: T | null): T | undefined {
  const [kept, setKept] = useState<T | undefined>(value ?? undefined);
  if (value !== null && value !== kept) setKept(value);
  return value ?? kept;
}

const NO_ATTACHMENTS: readonly ComposerAttachment[] = [];
