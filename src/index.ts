// provider
export {
  ParlanceProvider,
  useParlanceConfig,
  useParlanceQueryClient,
  type ParlanceConfig,
  type ParlanceLocale,
  type ParlanceProviderProps,
  type ParlanceStorage,
  type ParlanceTheme,
} from './hooks/parlance-provider';
