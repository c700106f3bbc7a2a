import type { Tiktoken, TiktokenBPE } from 'js-tiktoken/lite';

/** Counts the tokens of one text. */
export type CountFn = (text: string) => number;

/**
 * Special-token lookalikes in user text (`<|endoftext|>`) are ordinary text to the API, so
 * nothing is allowed as special and nothing is refused: the default would throw on them.
 */
export function countWith(tiktoken: Tiktoken): CountFn {
  return (text) => (text === '' ? 0 : tiktoken.encode(text, [], []).length);
}

export type { TiktokenBPE };
