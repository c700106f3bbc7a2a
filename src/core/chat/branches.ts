import { messageText } from './content';
import type { ChatMessage } from './types';

/**
 * The branch tree: every message may head other versions of the conversation from its position on
 * (`alternatives`, each a list of messages), with `alternativeIndex` the current version's place.
 * These functions are pure: they take the visible messages and return new ones.
 */

/** A tail kept as an alternative: its head carries no group fields (they live on the current head). */
function stripGroup(tail: ChatMessage[]): ChatMessage[] {
  const [head, ...rest] = tail;
  if (!head) return tail;
  const { alternatives: _a, alternativeIndex: _i, ...plain } = head;
  return [plain, ...rest];
}

/** Every version at the position of `tail[0]`, the current one in its place. */
function versionsAt(tail: ChatMessage[]): ChatMessage[][] {
  const head = tail[0]!;
  const others = head.alternatives ?? [];
  const at = Math.min(head.alternativeIndex ?? others.length, others.length);
  return [...others.slice(0, at), stripGroup(tail), ...others.slice(at)];
}

/**
 * `head` as the newest version at position `at`, the versions there (the current one included)
 * kept as its alternatives. For `edit`: the edited user message starts a new branch.
 */
export function branchAt(messages: ChatMessage[], at: number, head: ChatMessage): ChatMessage {
  const versions = versionsAt(messages.slice(at));
  return { ...head, alternatives: versions, alternativeIndex: versions.length };
}

/**
 * The reply placeholder for a new attempt at position `at` (`regenerate`, `retry`): what was there
 * kept as alternatives, except a failed attempt with no text, which is not worth keeping.
 */
export function replyBranchAt(messages: ChatMessage[], at: number, placeholder: ChatMessage): ChatMessage {
  if (at >= messages.length) return placeholder;
  const kept = versionsAt(messages.slice(at)).filter(
    (tail) => !(tail.length === 1 && messageText(tail[0]!.content) === ''),
  );
  return kept.length > 0
    ? { ...placeholder, alternatives: kept, alternativeIndex: kept.length }
    : placeholder;
}

/**
 * The conversation showing version `index` from message `messageId` on, or `null` when there is
 * no such version (or it is the one shown).
 */
export function selectVersion(
  messages: ChatMessage[],
  messageId: string,
  index: number,
): ChatMessage[] | null {
  const at = messages.findIndex((m) => m.id === messageId);
  const head = messages[at];
  if (!head?.alternatives || index === (head.alternativeIndex ?? head.alternatives.length)) return null;
  const versions = versionsAt(messages.slice(at));
  const chosen = versions[index];
  if (!chosen?.[0]) return null;
  const others = versions.filter((_, i) => i !== index);
  const next = [...messages.slice(0, at), { ...chosen[0], alternatives: others, alternativeIndex: index }];
  return next.concat(chosen.slice(1));
}
