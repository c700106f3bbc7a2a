import type { CountFn } from './encoder';

/** Main thread → worker: count these texts (an empty list just waits until the ranks are ready). */
export interface CountRequest {
  id: number;
  texts: string[];
}

/** Worker → main thread. */
export type CountResponse = { id: number; counts: number[] } | { id: number; error: string };

interface WorkerScope {
  onmessage: ((event: MessageEvent<CountRequest>) => void) | null;
  postMessage(message: CountResponse): void;
}

/** Answers count requests inside a tokenizer worker. */
export function serveCounts(scope: WorkerScope, encode: CountFn): void {
  scope.onmessage = ({ data }) => {
    try {
      scope.postMessage({ id: data.id, counts: data.texts.map(encode) });
    } catch (error) {
      scope.postMessage({ id: data.id, error: error instanceof Error ? error.message : String(error) });
    }
  };
}
