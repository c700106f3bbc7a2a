import { conversationIndex } from './conversations';
import { chatStorageKey, fromPersisted, toPersisted } from './persisted';
import { ChatStorageError } from './storage';
import { transition } from './transitions';
import type { ChatOptions, ChatSnapshot } from './types';

/** What persistence needs of its store. */
export interface PersistenceHost {
  readonly id: string;
  readonly options: ChatOptions;
  /** The state with any buffered text folded in (what a write saves). */
  readonly latest: ChatSnapshot;
  readonly state: ChatSnapshot;
  commit(next: ChatSnapshot): void;
  /** Reports a storage problem through `onError`. */
  report(error: Error): void;
}

/**
 * When a conversation is read from and written to its storage (what is written is
 * `persisted.ts`): restored once, written at once after each turn and action, at most once per
 * `persistThrottleMs` while a reply streams, and never over an entry that could not be read.
 */
export class ChatPersistence {
  #started = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #pending = false;
  /** Settles when an asynchronous restore is over (actions wait for it). */
  restoring: Promise<void> | null = null;

  constructor(readonly host: PersistenceHost) {}

  get #key(): string {
    return chatStorageKey(this.host.id);
  }

  /** Restores the conversation stored under the id, once per store. */
  restore(): void {
    const { host } = this;
    const storage = host.options.storage;
    if (!storage || this.#started) return;
    this.#started = true;
    const apply = (value: unknown) => {
      host.commit(transition.restored(host.state, fromPersisted(this.#key, value)));
      if (this.#pending) this.#write();
    };
    const fail = (error: unknown) => {
      // Never overwrite what could not be read: the entry stays for the app (or a newer version).
      host.report(
        ChatStorageError.isInstance(error)
          ? error
          : new ChatStorageError('io', this.#key, `Could not read "${this.#key}"`, { cause: error }),
      );
      host.commit(transition.restoreFailed(host.state));
    };
    try {
      const value = storage.get(this.#key);
      if (value instanceof Promise) {
        this.restoring = value.then(apply).catch(fail);
      } else {
        apply(value);
      }
    } catch (error) {
      fail(error);
    }
  }

  /** Writes pending changes now. */
  flush(): void {
    if (this.#pending) this.#write();
  }

  /** A change to save at once. */
  saveNow(): void {
    this.#pending = true;
    if (this.#canWrite()) this.#write();
  }

  /** A change to save soon: during streaming, at most one write per `persistThrottleMs`. */
  saveSoon(): void {
    this.#pending = true;
    if (this.#timer || !this.#canWrite()) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.flush();
    }, this.host.options.persistThrottleMs ?? 1000);
  }

  #canWrite(): boolean {
    return this.host.state.restore === 'ready' && !!this.host.options.storage;
  }

  #write(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const { host } = this;
    const storage = host.options.storage;
    if (!storage || !this.#canWrite()) return;
    this.#pending = false;
    const state = host.latest;
    const onFail = (error: unknown) =>
      host.report(
        ChatStorageError.isInstance(error)
          ? error
          : new ChatStorageError('io', this.#key, `Could not save "${this.#key}"`, { cause: error }),
      );
    // The conversation list's title, time and preview follow each save that succeeded.
    const index = () => {
      const listed = conversationIndex(storage).saved(host.id, state.messages);
      if (listed instanceof Promise) listed.catch(onFail);
    };
    try {
      const done = storage.set(this.#key, toPersisted(host.id, state.messages, state.usage));
      if (done instanceof Promise) done.then(index, onFail);
      else index();
    } catch (error) {
      onFail(error);
    }
  }
}
