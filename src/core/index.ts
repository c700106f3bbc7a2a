export const VERSION = '0.1.0';

// client
export { createClient, type Client, type CreateChatCompletion } from './client/create-client';
export { ChatCompletionStream } from './client/chat-completion-stream';
export type { ClientOptions, FetchFunction, RequestOptions, RetryEvent, RetryPolicy } from './client/options';
export {
  AbortError,
  ApiError,
  BudgetExceededError,
  ConfigurationError,
  MalformedResponseError,
  NetworkError,
  ParlanceError,
  StreamInterruptedError,
  TimeoutError,
  type ApiErrorInit,
} from './errors';
export { parseSSEStream, iterateStream } from './stream/parse-sse-stream';
export { SSEJsonStream, type SSEJsonStreamOptions } from './stream/sse-json-stream';
export { encodeSSE } from './stream/encode-sse';
export { ChatCompletionAccumulator, accumulateChunks } from './stream/accumulate';
export { mapFinishReason, mapErrorToEndState, type MessageEndState } from './wire/finish-reason';
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartText,
  ChatCompletionDelta,
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionRequest,
  ChatCompletionRequestNonStreaming,
  ChatCompletionRequestStreaming,
  ChatCompletionToolCallDelta,
  CompletionUsage,
  FinishReason,
} from './wire/chat';
export type {
  ImageObject,
  ImageEditRequest,
  ImageGenerateRequest,
  ImageSize,
  ImageVariationRequest,
  ImagesResponse,
} from './wire/images';
export type { Model, ModelsList } from './wire/models';
export type { ErrorEnvelope, WireError } from './wire/error';
// tokens
export {
  countTokens,
  countChatTokens,
  measureTokens,
  measureChatTokens,
  tryCountTokens,
  loadEncoding,
  preloadTokenizer,
  isTokenizerReady,
  type ChatCountOptions,
  type ChatTokenCount,
  type TokenCount,
  type TokenImagePart,
  type TokenMessage,
  type TokenTextPart,
  type TokenTool,
} from './tokens/count';
export {
  estimateCost,
  estimateRequestCost,
  findModelPrice,
  sumUsage,
  type CostEstimate,
  type CostTokens,
  type ModelPrice,
  type ModelPrices,
  type RequestCostEstimate,
} from './tokens/cost';
export {
  getModelInfo,
  registerModel,
  unregisterModel,
  UNKNOWN_MODEL,
  type ChatFormat,
  type EncodingName,
  type ImageTokenRule,
  type ModelInfo,
  type ResolvedModel,
  type TokenEncoding,
} from './tokens/models';
export {
  imageTokens,
  imageSizeFromBytes,
  imageSizeFromDataUrl,
  type ImageTokenCost,
  type ImagePixelSize,
} from './tokens/images';
export {
  Tokenizer,
  getTokenizer,
  configureTokenizer,
  tokenizerEngine,
  type MaybePromise,
  type TokenizerOptions,
} from './tokens/tokenizer';
export {
  planContext,
  dropOldest,
  keepFirstLast,
  ContextOverflowError,
  type ContextPlan,
  type ContextPolicy,
  type ContextPolicyInput,
  type ContextTurn,
  type ContextWarning,
  type PlanContextOptions,
} from './tokens/plan';
// chat
export { ChatStore, ChatConfigError, createChatStore } from './chat/chat-store';
export { createClientTransport } from './chat/client-transport';
export {
  buildChatRequest,
  planChatRequest,
  type ChatRequestDraft,
  type ChatRequestMessage,
  type ChatRequestOptions,
  type ChatRequestPlan,
} from './chat/request';
export {
  ChatStorageError,
  createIndexedDBStorage,
  createLocalStorage,
  createMemoryStorage,
  type ChatStorage,
  type ChatStorageErrorKind,
} from './chat/storage';
export { CHAT_FORMAT, CHAT_FORMAT_VERSION, chatStorageKey, type PersistedChat } from './chat/persisted';
export type {
  ChatBudget,
  ChatContextOptions,
  ChatDroppedContext,
  ChatFinishEvent,
  ChatFinishReason,
  ChatMessage,
  ChatMessageContent,
  ChatMessageError,
  ChatMessageInput,
  ChatMessageStatus,
  ChatOptions,
  ChatRetryWait,
  ChatRole,
  ChatSnapshot,
  ChatStatus,
  ChatTransport,
  ChatTransportOptions,
  ChatTransportRequest,
  ChatTurnResult,
} from './chat/types';
export { DEFAULT_CHAT_MODEL } from './chat/types';
// images
export {
  ImageValidationError,
  ImageEnvironmentError,
  NotAnImageError,
  NotSquareError,
  ImageTooLargeError,
  MaskSizeMismatchError,
  ImageCountError,
  ImageSizeNotAllowedError,
  EmptyPromptError,
  PromptTooLongError,
  type ImageValidationCode,
} from './images/errors';
export {
  DEFAULT_IMAGE_MODEL,
  getImageModelInfo,
  registerImageModel,
  validateImageRequest,
  type ImageModelInfo,
  type ImageOperation,
  type ImageRequestCheck,
} from './images/models';
export {
  canPrepareImages,
  prepareImage,
  prepareImageAndMask,
  MAX_IMAGE_BYTES,
  type ImageFit,
  type ImageInput,
  type PrepareImageOptions,
  type PreparedImage,
} from './images/prepare';
export {
  MaskModel,
  MASK_THRESHOLD,
  type MaskDirtyRect,
  type MaskModelOptions,
  type MaskPaintMode,
} from './images/mask-model';
export { encodeMask, maskToImageData, type MaskCoverage } from './images/mask';
export {
  ImagePacer,
  getSharedImagePacer,
  type ImagePacerOptions,
  type ImagePacerSnapshot,
  type ImagePacerTicket,
} from './images/pacer';
export {
  normalizeImagesResponse,
  isImageExpired,
  isSafeImageSrc,
  keepImage,
  releaseImage,
  IMAGE_URL_LIFETIME_MS,
  type GeneratedImage,
} from './images/results';
export {
  generateImages,
  editImage,
  varyImage,
  type EditImageInput,
  type GenerateImagesInput,
  type ImageBatch,
  type ImageRequestContext,
  type VaryImageInput,
} from './images/requests';
export {
  createImageSession,
  type ImageSession,
  type ImageHistoryEntry,
  type ImageOperationState,
  type ImageRequestStatus,
  type ImageSessionOptions,
  type ImageSessionSnapshot,
} from './images/session';
// tokenizer endpoints (llama.cpp, vLLM)
export {
  createTokenizerEndpoint,
  debounceTokenCount,
  tokenizerRootUrl,
  type DebouncedTokenCount,
  type DebounceTokenCountOptions,
  type RemoteCountOptions,
  type RemoteTokenCount,
  type TokenizerEndpoint,
  type TokenizerEndpointKind,
  type TokenizerEndpointOptions,
  type TokenizerEndpointStatus,
} from './tokens/remote';
