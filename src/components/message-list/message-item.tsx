import { memo, useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';

import { messageActions, messageText } from '../../core';
import type { ChatStrings } from '../i18n/chat';
import { format } from '../i18n/template';
import { useNumberFormat } from '../i18n/format';
import { CopyButton } from '../markdown/copy-button';
import { Markdown } from '../markdown/markdown';
import { isImageAllowed, safeHref, type UrlPolicy } from '../markdown/safe-url';
import { LineIcon } from '../primitives/icons';
import { isLocalImage, messageImages } from './content';
import { FeedbackButtons } from './feedback';
import { MessageFiles, withoutFiles } from './message-files';
import { MessageTime } from './message-time';
import { Reasoning } from './reasoning';
import { Refusal } from './refusal';
import { Sources } from './sources';
import { ToolCalls, type ToolCallRenderers } from './tool-call-card';
import type { MessageActionHandlers, MessageListMessage } from './types';

/** Slots a list fills per message, to replace the avatar, the content or the actions. */
export interface MessageSlots {
  /** Rendered before the message body. Default: none. */
  renderAvatar?: (message: MessageListMessage) => ReactNode;
  /** Replaces the message content; `content` is the default rendering. */
  renderContent?: (message: MessageListMessage, content: ReactNode) => ReactNode;
  /** Replaces the action bar; `actions` is the default one. */
  renderActions?: (message: MessageListMessage, actions: ReactNode) => ReactNode;
  /**
   * Your own UI for tool calls (generative UI): per tool name, or one function for every call.
   * Returning `undefined` keeps the kit's card, which the helpers also hold.
   * @example
   * renderToolCall={{ get_weather: (call) => <Forecast {...(call.input as ForecastProps)} /> }}
   */
  renderToolCall?: ToolCallRenderers;
}

export interface MessageItemProps extends MessageSlots {
  message: MessageListMessage;
  index: number;
  count: number;
  isLast: boolean;
  /** A reply is in progress somewhere: actions that start a request are hidden. */
  busy: boolean;
  active: boolean;
  strings: ChatStrings;
  policy: UrlPolicy;
  userMarkdown: boolean;
  /** Show the reply's token usage under it. */
  showUsage: boolean;
  handlers: MessageActionHandlers;
  /** Which handlers exist (the `handlers` object itself is stable and reads the latest ones). */
  available: Record<keyof MessageActionHandlers, boolean>;
  /** Measures and positions the element (the virtualizer owns its `top`). */
  measure: (node: HTMLElement | null) => void;
}

function roleLabel(role: MessageListMessage['role'], strings: ChatStrings): string {
  return role === 'user'
    ? strings.roleUser
    : role === 'assistant'
      ? strings.roleAssistant
      : strings.roleSystem;
}

/** One message: a single element carrying `data-role` and `data-status`. */
export const MessageItem = memo(function MessageItem(props: MessageItemProps) {
  const { message, index, count, isLast, busy, active, strings, handlers, available, measure } = props;
  const [editing, setEditing] = useState(false);
  // Closing the edit form gives focus back to its Edit button (else the message), not to <body>.
  const editButton = useRef<HTMLButtonElement>(null);
  const article = useRef<HTMLElement | null>(null);
  const articleRef = useCallback(
    (node: HTMLElement | null) => {
      article.current = node;
      measure(node);
    },
    [measure],
  );
  const returnFocus = useRef(false);
  const stopEditing = () => {
    returnFocus.current = true;
    setEditing(false);
  };
  useEffect(() => {
    if (editing || !returnFocus.current) return;
    returnFocus.current = false;
    (editButton.current ?? article.current)?.focus({ preventScroll: true });
  }, [editing]);
  const labelId = useId();
  const text = messageText(withoutFiles(message.content), '\n\n');
  // A user message `pending` is not in progress: it waits in the outbox (sent offline).
  const queued = message.role === 'user' && message.status === 'pending';
  const inProgress = !queued && (message.status === 'pending' || message.status === 'streaming');
  const label = roleLabel(message.role, strings);
  const formatter = useNumberFormat();
  const allowed = messageActions(message);

  const content =
    message.role === 'assistant' || props.userMarkdown ? (
      <Markdown
        streaming={message.status === 'streaming'}
        allowedImageOrigins={props.policy.allowedImageOrigins}
        allowRelativeLinks={props.policy.allowRelativeLinks}
        strings={strings}
      >
        {text}
      </Markdown>
    ) : (
      <div className="parlance-message-text">{text}</div>
    );
  const images = messageImages(message);
  const body = (
    <>
      {message.reasoning && (
        <Reasoning
          text={message.reasoning}
          durationMs={message.reasoningMs}
          live={inProgress && !text && !message.toolCalls?.length}
          strings={strings}
          policy={props.policy}
        />
      )}
      {message.status === 'pending' && !text && !message.reasoning && (
        <p className="parlance-thinking">{strings.thinking}</p>
      )}
      {(text || message.refusal === undefined) && content}
      {images.length > 0 && (
        <div className="parlance-message-images">
          {images.map((url, i) => (
            <AttachedImage key={i} url={url} policy={props.policy} strings={strings} />
          ))}
        </div>
      )}
      <MessageFiles content={message.content} strings={strings} />
      <ToolCalls
        message={message}
        strings={strings}
        handlers={handlers}
        canApprove={available.onApproveToolCall}
        canReject={available.onRejectToolCall}
        canAddResult={available.onAddToolResult}
        renderToolCall={props.renderToolCall}
      />
      {message.refusal !== undefined && <Refusal text={message.refusal} strings={strings} />}
      <Sources annotations={message.annotations} policy={props.policy} strings={strings} />
    </>
  );

  const actions = inProgress ? null : (
    <div
      className="parlance-message-actions"
      data-slot="message-actions"
      role="group"
      aria-label={format(strings.messageActions, { role: label })}
    >
      {text && (
        <CopyButton
          className="parlance-button parlance-button-ghost"
          text={text}
          label={strings.copy}
          doneLabel={strings.copied}
          onCopied={() => handlers.onCopy?.(message.id)}
        />
      )}
      {queued && available.onCancelSend && (
        <button
          type="button"
          className="parlance-button parlance-button-ghost"
          onClick={() => handlers.onCancelSend?.(message.id)}
        >
          {strings.cancelSend}
        </button>
      )}
      {message.role === 'user' && available.onEdit && !busy && !queued && (
        <button
          ref={editButton}
          type="button"
          className="parlance-button parlance-button-ghost"
          onClick={() => setEditing(true)}
        >
          {strings.edit}
        </button>
      )}
      {message.role === 'assistant' && available.onRegenerate && !busy && (
        <button
          type="button"
          className="parlance-button parlance-button-ghost"
          onClick={() => handlers.onRegenerate?.(message.id)}
        >
          {strings.regenerate}
        </button>
      )}
      {isLast && allowed.canContinue && available.onContinue && !busy && (
        <button
          type="button"
          className="parlance-button parlance-button-ghost"
          onClick={() => handlers.onContinue?.()}
        >
          {strings.continue}
        </button>
      )}
      {isLast && allowed.canRetry && available.onRetry && !busy && (
        <button
          type="button"
          className="parlance-button parlance-button-ghost"
          onClick={() => handlers.onRetry?.()}
        >
          {strings.retry}
        </button>
      )}
      {message.alternatives && message.alternatives.length > 0 && available.onSelectAlternative && (
        <Versions message={message} busy={busy} strings={strings} handlers={handlers} />
      )}
      {message.role === 'assistant' && available.onFeedback && text && (
        <FeedbackButtons
          messageId={message.id}
          value={message.feedback}
          strings={strings}
          onFeedback={(id, value, comment) => handlers.onFeedback?.(id, value, comment)}
        />
      )}
      {available.onDelete && !busy && (
        <button
          type="button"
          className="parlance-button parlance-button-ghost"
          data-action="delete"
          onClick={() => handlers.onDelete?.(message.id)}
        >
          {strings.deleteMessage}
        </button>
      )}
    </div>
  );

  return (
    <article
      ref={articleRef}
      className="parlance-message"
      data-slot="message"
      data-role={message.role}
      data-status={message.status}
      data-finish-reason={message.finishReason ?? undefined}
      data-index={index}
      aria-posinset={index + 1}
      aria-setsize={count}
      aria-labelledby={labelId}
      aria-busy={inProgress || undefined}
      // Roving focus: one message is in the Tab order, arrow keys move between them.
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={active ? 0 : -1}
    >
      {props.renderAvatar && <div className="parlance-message-avatar">{props.renderAvatar(message)}</div>}
      <div className="parlance-message-body">
        <div className="parlance-message-role" id={labelId}>
          {label}
        </div>
        <MessageTime createdAt={message.createdAt} />
        {editing ? (
          <EditForm
            initial={text}
            strings={strings}
            onCancel={stopEditing}
            onSave={(value) => {
              stopEditing();
              handlers.onEdit?.(message.id, value);
            }}
          />
        ) : (
          <div className="parlance-message-content" data-slot="message-content">
            {props.renderContent ? props.renderContent(message, body) : body}
          </div>
        )}
        <Notice message={message} strings={strings} />
        {props.showUsage && message.role === 'assistant' && message.usage && !inProgress && (
          <p className="parlance-message-usage">
            {format(strings.usage, {
              prompt: formatter.number(message.usage.prompt_tokens),
              completion: formatter.number(message.usage.completion_tokens),
              total: formatter.number(message.usage.total_tokens),
            })}
          </p>
        )}
        {!editing && (props.renderActions ? props.renderActions(message, actions) : actions)}
      </div>
    </article>
  );
});

function Notice({ message, strings }: { message: MessageListMessage; strings: ChatStrings }) {
  let kind: string | null = null;
  let text = '';
  if (message.role === 'user' && message.status === 'pending') [kind, text] = ['queued', strings.queued];
  else if (message.status === 'stopped') [kind, text] = ['stopped', strings.stopped];
  else if (message.status === 'interrupted') [kind, text] = ['interrupted', strings.interrupted];
  else if (message.status === 'error') [kind, text] = ['error', message.error?.message || strings.error];
  else if (message.status === 'done' && message.finishReason === 'content_filter')
    [kind, text] = ['content-filter', strings.contentFilter];
  else if (message.status === 'done' && message.finishReason === 'length')
    [kind, text] = ['length', strings.length];
  if (!kind) return null;
  return (
    <p className="parlance-notice" data-kind={kind} data-slot="message-notice">
      {text}
    </p>
  );
}

function Versions({
  message,
  busy,
  strings,
  handlers,
}: {
  message: MessageListMessage;
  busy: boolean;
  strings: ChatStrings;
  handlers: MessageActionHandlers;
}) {
  const total = (message.alternatives?.length ?? 0) + 1;
  const current = message.alternativeIndex ?? total - 1;
  return (
    <span className="parlance-versions">
      <button
        type="button"
        className="parlance-button parlance-button-ghost parlance-versions-button"
        aria-label={strings.previousVersion}
        disabled={busy || current <= 0}
        onClick={() => handlers.onSelectAlternative?.(message.id, current - 1)}
      >
        <LineIcon d="M15 6l-6 6 6 6" />
      </button>
      <span className="parlance-versions-label">
        {format(strings.versionOf, { index: current + 1, total })}
      </span>
      <button
        type="button"
        className="parlance-button parlance-button-ghost parlance-versions-button"
        aria-label={strings.nextVersion}
        disabled={busy || current >= total - 1}
        onClick={() => handlers.onSelectAlternative?.(message.id, current + 1)}
      >
        <LineIcon d="M9 6l6 6-6 6" />
      </button>
    </span>
  );
}

function EditForm({
  initial,
  strings,
  onSave,
  onCancel,
}: {
  initial: string;
  strings: ChatStrings;
  onSave: (value: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  return (
    <form
      className="parlance-edit"
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim()) onSave(value);
      }}
    >
      <textarea
        className="parlance-edit-input"
        aria-label={strings.editLabel}
        value={value}
        // eslint-disable-next-line jsx-a11y/no-autofocus -- the user just asked to edit this message
        autoFocus
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          // Handled: a dialog around the chat (the widget's) must not close on this Escape too.
          event.preventDefault();
          onCancel();
        }}
      />
      <div className="parlance-edit-actions">
        <button type="submit" className="parlance-button parlance-button-primary">
          {strings.save}
        </button>
        <button type="button" className="parlance-button" onClick={onCancel}>
          {strings.cancel}
        </button>
      </div>
    </form>
  );
}

function AttachedImage({ url, policy, strings }: { url: string; policy: UrlPolicy; strings: ChatStrings }) {
  if (isLocalImage(url) || isImageAllowed(url, policy)) {
    return <img className="parlance-message-image" src={url} alt="" referrerPolicy="no-referrer" />;
  }
  const href = safeHref(url);
  const label = format(strings.blockedImage, { alt: href ?? '' });
  return href && !href.startsWith('mailto:') ? (
    <a className="parlance-md-blocked-image" href={href} target="_blank" rel="noopener noreferrer nofollow">
      {label}
    </a>
  ) : (
    <span className="parlance-md-blocked-image">{label}</span>
  );
}
