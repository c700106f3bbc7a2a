// parlance/server: the reference server (Node). Browser code imports src/server/offline/index.ts.
export {
  createServer,
  loadDocuments,
  type CreateServerOptions,
  type ListeningServer,
  type ParlanceServer,
} from './node';
export { optionsFromEnv, describeMode } from './env';
export type { ServerOptions } from './app';
export type { Authorize, TrustProxy } from './identity';
export type { UpstreamOptions } from './proxy';
export { COST_GUARD_DEFAULTS, type CostGuardOptions } from './guards';
export {
  createOfflineEngine,
  OFFLINE_MODELS,
  OFFLINE_NOTICE,
  type OfflineDocument,
  type OfflineEngine,
  type OfflineEngineOptions,
} from './offline/index';
export {
  createMemoryStore,
  createRedisStore,
  StoreUnavailableError,
  type BucketRule,
  type MemoryStoreOptions,
  type RateDecision,
  type RedisStoreOptions,
  type ServerStore,
} from './store/index';
