export {
  DEFAULT_MAX_BYTES_PER_IMAGE,
  StoreUnavailableError,
  type BucketRule,
  type RateDecision,
  type ServerStore,
} from './types';
export { createMemoryStore, type MemoryStoreOptions } from './memory';
export { createRedisStore, type RedisStoreOptions } from './redis';
