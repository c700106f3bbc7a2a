/** Reads the recorded fixtures under test/fixtures (Node only). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** The recorded SSE streams in test/fixtures/streams, by file name without `.sse`. */
export const STREAM_FIXTURES = [
  'english-usage',
  'chinese-emoji',
  'crlf-keepalive',
  'mid-stream-error',
  'cut-without-done',
  'finish-length',
  'content-filter',
  'tool-calls-parallel',
  'refusal',
  'annotations',
] as const;

/**
 * Streams in the shapes OpenAI-compatible servers other than OpenAI send (fields OpenAI's own
 * description does not have: `reasoning_content`, `reasoning`; calls streamed side by side; an
 * inline `<think>` block).
 */
export const COMPATIBLE_STREAM_FIXTURES = [
  'tool-calls-interleaved',
  'reasoning-content',
  'reasoning-field',
  'think-inline',
] as const;

/** The name of a recorded SSE stream. */
export type StreamFixture = (typeof STREAM_FIXTURES)[number] | (typeof COMPATIBLE_STREAM_FIXTURES)[number];

/** The raw bytes of a recorded SSE stream. */
export function readStreamFixture(name: StreamFixture): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(root, 'streams', `${name}.sse`)));
}

/** A file of test/fixtures/responses as text (`.json`, `.html`). */
export function readResponseText(file: string): string {
  return fs.readFileSync(path.join(root, 'responses', file), 'utf8');
}

/** A JSON file of test/fixtures/responses, parsed. */
export function readResponseFixture<T = unknown>(file: string): T {
  return JSON.parse(readResponseText(file)) as T;
}

/** The `data:` payloads of an SSE text, parsed independently of the code under test. */
export function naiveSSEData(text: string): string[] {
  return text
    .split(/\r\n\r\n|\n\n/)
    .map((block) => block.split(/\r?\n/).filter((line) => line.startsWith('data: ')))
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.map((line) => line.slice(6)).join('\n'));
}
