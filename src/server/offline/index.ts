// The offline engine, runtime-agnostic: import this file (not parlance/server) from browser code
// such as stories and the widget's demo.
export { createOfflineEngine, OFFLINE_MODELS, type OfflineEngine, type OfflineEngineOptions } from './engine';
export { OFFLINE_NOTICE, OFFLINE_REASONING_MODEL } from './chat';
export type { OfflineDocument } from './retrieval';
