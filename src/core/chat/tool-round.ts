import { AbortError } from '../errors';
import { raceAbort } from '../internal/abort';
import { toError } from './messages';
import { isSettled, isWaiting, updateCall } from './tools';
import { transition } from './transitions';
import type { ChatMessage, ChatOptions, ChatSnapshot, ChatToolCall } from './types';

/** What a tool round needs of its store. */
export interface ToolRoundHost {
  readonly options: ChatOptions;
  readonly state: ChatSnapshot;
  commit(next: ChatSnapshot): void;
  persistNow(): void;
}

/** Where a call is in the conversation. */
interface Found {
  message: ChatMessage;
  call: ChatToolCall;
}

/**
 * The tool calls of a reply, between the reply and the next request: runs the calls whose tools
 * have `execute` (all at once, each settling on its own), and records approvals, rejections and
 * results the app gives. It never sends: the store asks for the next reply once every call of
 * the last reply is answered.
 */
export class ToolRound {
  #controller: AbortController | null = null;
  /** Ids of the calls whose `execute` is in progress. */
  readonly #executing = new Set<string>();

  constructor(readonly host: ToolRoundHost) {}

  /** Calls are running. */
  get running(): boolean {
    return this.#executing.size > 0;
  }

  /** Stops the running calls: each ends as an `error` the model is told about. */
  stop(): void {
    this.#controller?.abort(new AbortError('Stopped by the user'));
  }

  /**
   * Runs every `running` call of message `messageId` not already running. Resolves when they
   * have settled: `false` when the round was stopped (which settles them at once).
   */
  async execute(messageId: string): Promise<boolean> {
    const message = this.host.state.messages.find((m) => m.id === messageId);
    const calls =
      message?.toolCalls?.filter((c) => c.status === 'running' && !this.#executing.has(c.id)) ?? [];
    if (calls.length === 0) return true;
    if (this.#executing.size === 0) this.#controller = new AbortController();
    const { signal } = this.#controller!;
    for (const call of calls) this.#executing.add(call.id);
    this.host.commit(transition.toolsRunning(this.host.state));
    await Promise.all(
      calls.map((call) => this.#run(messageId, call, signal).finally(() => this.#executing.delete(call.id))),
    );
    if (this.#executing.size === 0) {
      this.#controller = null;
      this.host.commit(transition.toolsSettled(this.host.state));
    }
    this.host.persistNow();
    return !signal.aborted;
  }

  async #run(messageId: string, call: ChatToolCall, signal: AbortSignal): Promise<void> {
    const tool = this.host.options.tools?.[call.name];
    let change: (c: ChatToolCall) => ChatToolCall;
    try {
      if (!tool?.execute) throw new Error(`No tool named "${call.name}" can run here`);
      const execute = tool.execute;
      const output: unknown = await raceAbort(
        Promise.resolve().then(() => execute(call.input, { toolCallId: call.id, signal })),
        signal,
      );
      change = (c) => ({ ...c, status: 'done', output });
    } catch (error) {
      const message = signal.aborted ? 'Stopped by the user' : toError(error).message;
      change = (c) => ({ ...c, status: 'error', error: message });
    }
    this.#update(messageId, call.id, (c) => (c.status === 'running' ? change(c) : c));
  }

  /** The message holding call `callId`, the newest first. */
  find(callId: string): Found | null {
    const { messages } = this.host.state;
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i]!;
      const call = message.toolCalls?.find((c) => c.id === callId);
      if (call) return { message, call };
    }
    return null;
  }

  /**
   * The user said yes: the call runs (`running`, then run by {@link execute}) when its tool has
   * `execute`, or waits for the app's result. Returns the message, or `null` when the call was not
   * waiting for approval.
   */
  approve(callId: string): ChatMessage | null {
    const found = this.find(callId);
    if (found?.call.status !== 'awaiting-approval') return null;
    const runs = Boolean(this.host.options.tools?.[found.call.name]?.execute);
    return this.#update(found.message.id, callId, (c) => ({
      ...c,
      status: runs ? 'running' : 'awaiting-result',
    }));
  }

  /** The user said no (the model is told, with `reason` if given); `execute` never runs. */
  reject(callId: string, reason?: string): ChatMessage | null {
    const found = this.find(callId);
    if (!found || !isWaiting(found.call.status)) return null;
    return this.#update(found.message.id, callId, (c) => ({
      ...c,
      status: 'rejected',
      ...(reason ? { error: reason } : {}),
    }));
  }

  /** The app's result for a call waiting for one. */
  addResult(callId: string, output: unknown): ChatMessage | null {
    const found = this.find(callId);
    if (found?.call.status !== 'awaiting-result') return null;
    return this.#update(found.message.id, callId, (c) => ({ ...c, status: 'done', output }));
  }

  /** Every call still waiting in `message` declined with `reason` (the user moved on). */
  declineWaiting(message: ChatMessage, reason: string): void {
    for (const call of message.toolCalls ?? []) {
      if (isWaiting(call.status)) this.reject(call.id, reason);
    }
  }

  #update(messageId: string, callId: string, change: (c: ChatToolCall) => ChatToolCall): ChatMessage | null {
    const { messages } = this.host.state;
    const at = messages.findIndex((m) => m.id === messageId);
    const message = messages[at];
    if (!message?.toolCalls) return null;
    const next = { ...message, toolCalls: updateCall(message.toolCalls, callId, change) };
    this.host.commit(transition.messagesChanged(this.host.state, messages.with(at, next)));
    this.host.persistNow();
    return next;
  }
}

/** Every call of `message` has its answer for the model. */
export function allSettled(message: ChatMessage | undefined): boolean {
  return Boolean(message?.toolCalls?.length) && message!.toolCalls!.every((c) => isSettled(c.status));
}

/** How many tool rounds the conversation has had since the user last wrote. */
export function toolRoundsSinceUser(messages: readonly ChatMessage[]): number {
  let rounds = 0;
  for (let i = messages.length - 1; i >= 0 && messages[i]!.role !== 'user'; i--) {
    if (messages[i]!.toolCalls?.length) rounds++;
  }
  return rounds;
}
