export type { BucketRule, RateDecision, ServerStore } from './types';
export { createMemoryStore, type MemoryStoreOptions } from './memory';
