import type { EncodingName } from './models';

/** Where encoding runs. Internal seam between the tokenizer and its two engines. */
export interface TokenEngine {
  readonly kind: 'in-process' | 'worker';
  isReady(encoding: EncodingName): boolean;
  /** Only an in-process engine with loaded ranks can answer synchronously. */
  countSync(encoding: EncodingName, text: string): number | undefined;
  load(encoding: EncodingName): Promise<void>;
  count(encoding: EncodingName, texts: readonly string[]): Promise<number[]>;
  dispose(): void;
}
