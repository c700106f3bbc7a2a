import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

import type { ChatToolCall, ChatToolCallStatus } from '../../core';
import type { ChatStrings } from '../i18n/chat';
import { format } from '../i18n/template';
import type { MessageActionHandlers, MessageListMessage } from './types';

/** What a {@link ToolCallRenderer} gets besides the call. */
export interface ToolCallHelpers {
  /** The assistant message that made the call. */
  message: MessageListMessage;
  /** Approves the call: there while it waits for approval and the list has `onApproveToolCall`. */
  approve?: () => void;
  /** Declines the call: there while it waits for approval and the list has `onRejectToolCall`. */
  reject?: (reason?: string) => void;
  /**
   * Answers the call with `output` (sent to the model as the tool's result): there while it waits
   * for a result and the list has `onAddToolResult`.
   */
  addResult?: (output: unknown) => void;
  /** The kit's own card for this call, to wrap or to show beside the app's own UI. */
  card: ReactNode;
}

/**
 * Renders one tool call in place of the kit's card (generative UI). Returning `undefined` keeps
 * the kit's card; `null` shows nothing.
 */
export type ToolCallRenderer = (call: ChatToolCall, helpers: ToolCallHelpers) => ReactNode;

/** Per tool name, or one function for every call (see {@link ToolCallRenderer}). */
export type ToolCallRenderers = Readonly<Record<string, ToolCallRenderer>> | ToolCallRenderer;

const STATUS_TEXT: Record<ChatToolCallStatus, keyof ChatStrings> = {
  'awaiting-approval': 'toolAwaitingApproval',
  'awaiting-result': 'toolAwaitingResult',
  running: 'toolRunning',
  done: 'toolDone',
  error: 'toolFailed',
  rejected: 'toolRejected',
};

/** Past this many lines (or characters), arguments and results are folded behind their label. */
const FOLD_LINES = 8;
const FOLD_CHARS = 600;

/** JSON text, indented when it parses; anything else as it is. */
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A tool's output as text: strings as they are (indented when they are JSON), the rest as JSON. */
function outputText(output: unknown): string {
  if (typeof output === 'string') return prettyJson(output);
  try {
    return JSON.stringify(output, null, 2) ?? String(output);
  } catch {
    return String(output);
  }
}

function pickRenderer(renderers: ToolCallRenderers | undefined, name: string): ToolCallRenderer | undefined {
  if (!renderers) return undefined;
  if (typeof renderers === 'function') return renderers;
  // Own names only: a tool called `constructor` must not find Object.prototype's.
  return Object.hasOwn(renderers, name) ? renderers[name] : undefined;
}

/** The tool calls of one message, each as a card or as the app's own UI. */
export function ToolCalls({
  message,
  strings,
  handlers,
  canApprove,
  canReject,
  canAddResult,
  renderToolCall,
}: {
  message: MessageListMessage;
  strings: ChatStrings;
  handlers: MessageActionHandlers;
  canApprove: boolean;
  canReject: boolean;
  canAddResult: boolean;
  renderToolCall?: ToolCallRenderers;
}) {
  const calls = message.toolCalls;
  if (!calls?.length) return null;
  return (
    <div className="parlance-tool-calls" data-slot="tool-calls">
      {calls.map((call) => {
        const waiting = call.status === 'awaiting-approval';
        const approve = waiting && canApprove ? () => handlers.onApproveToolCall?.(call.id) : undefined;
        const reject =
          waiting && canReject
            ? (reason?: string) => handlers.onRejectToolCall?.(call.id, reason)
            : undefined;
        const addResult =
          call.status === 'awaiting-result' && canAddResult
            ? (output: unknown) => handlers.onAddToolResult?.(call.id, output)
            : undefined;
        const card = <ToolCallCard call={call} strings={strings} onApprove={approve} onReject={reject} />;
        const render = pickRenderer(renderToolCall, call.name);
        const custom = render ? render(call, { message, approve, reject, addResult, card }) : undefined;
        return (
          <div key={call.id} className="parlance-tool-call-slot" data-tool={call.name}>
            {custom === undefined ? card : custom}
          </div>
        );
      })}
    </div>
  );
}

/** Props of {@link ToolCallCard}. */
interface ToolCallCardProps {
  call: ChatToolCall;
  strings: ChatStrings;
  onApprove?: () => void;
  onReject?: (reason?: string) => void;
}

/**
 * One tool call: its name, status (text and colour), arguments, and output or error; Approve and
 * Decline while it waits for approval. A named group, so a screen reader says which call a button
 * belongs to.
 */
function ToolCallCard({ call, strings, onApprove, onReject }: ToolCallCardProps) {
  const titleId = useId();
  const card = useRef<HTMLDivElement>(null);
  const actionFocused = useRef(false);
  const asking = call.status === 'awaiting-approval' && Boolean(onApprove || onReject);

  // The buttons go once the user has answered: focus stays on this card instead of falling to the
  // page, so a keyboard user keeps their place.
  useLayoutEffect(() => {
    if (asking || !actionFocused.current) return;
    actionFocused.current = false;
    const node = card.current;
    const active = node?.ownerDocument.activeElement;
    if (node && (!active || active === node.ownerDocument.body)) node.focus({ preventScroll: true });
  }, [asking]);

  const args = call.arguments.trim() ? prettyJson(call.arguments) : '';
  return (
    <div
      ref={card}
      className="parlance-tool-call"
      data-slot="tool-call"
      data-status={call.status}
      role="group"
      aria-labelledby={titleId}
      tabIndex={-1}
    >
      <div className="parlance-tool-call-header">
        <span className="parlance-tool-call-name" id={titleId}>
          {format(strings.toolCall, { name: call.name })}
        </span>
        <span className="parlance-tool-call-status" data-status={call.status}>
          {strings[STATUS_TEXT[call.status]]}
        </span>
      </div>
      {args && <CodeField label={strings.toolArguments} text={args} kind="arguments" />}
      {call.status === 'done' && call.output !== undefined && (
        <CodeField label={strings.toolResult} text={outputText(call.output)} kind="result" />
      )}
      {(call.status === 'error' || call.status === 'rejected') && call.error && (
        <p className="parlance-tool-call-error" data-kind={call.status}>
          <span className="parlance-tool-call-error-label">{strings.toolError}</span> {call.error}
        </p>
      )}
      {asking && (
        <div
          className="parlance-tool-call-actions"
          onFocus={() => (actionFocused.current = true)}
          onBlur={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null))
              actionFocused.current = false;
          }}
        >
          {onApprove && (
            <button
              type="button"
              className="parlance-button parlance-button-primary"
              aria-describedby={titleId}
              onClick={onApprove}
            >
              {strings.approveTool}
            </button>
          )}
          {onReject && (
            <button
              type="button"
              className="parlance-button"
              aria-describedby={titleId}
              onClick={() => onReject()}
            >
              {strings.rejectTool}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** A labelled block of code; a long one folds behind its label, which becomes a disclosure button. */
function CodeField({ label, text, kind }: { label: string; text: string; kind: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const lines = text.split('\n');
  const long = lines.length > FOLD_LINES || text.length > FOLD_CHARS;
  return (
    <div
      className="parlance-tool-field"
      data-kind={kind}
      data-state={long ? (open ? 'open' : 'closed') : undefined}
    >
      {long ? (
        <button
          type="button"
          className="parlance-tool-field-label parlance-disclosure"
          aria-expanded={open}
          aria-controls={open ? id : undefined}
          onClick={() => setOpen((value) => !value)}
        >
          {label}
        </button>
      ) : (
        <div className="parlance-tool-field-label">{label}</div>
      )}
      {!long || open ? (
        <pre className="parlance-tool-code" id={id}>
          <code>{text}</code>
        </pre>
      ) : (
        <pre className="parlance-tool-code" data-folded="">
          <code>{`${lines.slice(0, 3).join('\n').slice(0, 240)}\n…`}</code>
        </pre>
      )}
    </div>
  );
}
