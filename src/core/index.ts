// The public surface of parlance/core: what an app, or a binding for another framework (React
// here, Vue or Svelte elsewhere), needs — nothing more. api-surface/*.txt is its reviewed snapshot;
// a change here is a change to that file, reviewed in the same commit.
export const VERSION = '0.1.0';

// client
export { createClient, type Client, type CreateChatCompletion } from './client/create-client';
export type { ChatCompletionStream } from './client/chat-completion-stream';
export type { ClientOptions, FetchFunction, RequestOptions, RetryEvent, RetryPolicy } from './client/options';
// errors: every class has a static `isInstance` that works across bundles
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
// SSE: parse a stream (any framework's transport), write one (servers, tests), fold chunks into a completion
export { parseSSEStream } from './stream/parse-sse-stream';
export { encodeSSE } from './stream/encode-sse';
export { accumulateChunks } from './stream/accumulate';
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartFile,
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
// tokens: `count*` for a number, `measure*` for the details, `measure*Now` for render code that
// must not wait (undefined while the count is not known yet; never starts work)
export {
  countTokens,
  countChatTokens,
  measureTokens,
  measureChatTokens,
  measureTokensNow,
  measureChatTokensNow,
  preloadTokenizer,
  type ChatCountOptions,
  type ChatTokenCount,
  type TokenCount,
  type TokenFilePart,
  type TokenImagePart,
  type TokenMessage,
  type TokenTextPart,
  type TokenTool,
} from './tokens/count';
export {
  configureTokenizer,
  tokenizerEngine,
  type MaybePromise,
  type TokenizerOptions,
} from './tokens/tokenizer';
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
  type ChatFormat,
  type EncodingName,
  type ImageTokenRule,
  type ModelInfo,
  type ResolvedModel,
  type TokenEncoding,
} from './tokens/models';
export type { ImageTokenCost, ImagePixelSize } from './tokens/images';
export { fileTokens, PDF_PAGE_TOKENS, type FileTokenCost } from './tokens/files';
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
// tokenizer endpoints (llama.cpp, vLLM)
export {
  createTokenizerEndpoint,
  debounceTokenCount,
  type DebouncedTokenCount,
  type DebounceTokenCountOptions,
  type RemoteCountOptions,
  type RemoteTokenCount,
  type TokenizerEndpoint,
  type TokenizerEndpointKind,
  type TokenizerEndpointOptions,
  type TokenizerEndpointStatus,
} from './tokens/remote';
// chat
export { ChatConfigError, createChatStore, type ChatStore } from './chat/chat-store';
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
export { chatStorageKey, type PersistedChat } from './chat/persisted';
export { messageText } from './chat/content';
export { messageActions, type ChatMessageActions, type ChatMessageActionsInput } from './chat/ending';
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
  ChatToolCall,
  ChatToolCallStatus,
  ChatTransport,
  ChatTransportOptions,
  ChatTransportRequest,
  ChatTurnResult,
  ChatUrlCitation,
} from './chat/types';
export { DEFAULT_CHAT_MODEL } from './chat/types';
export type { ChatTool, ChatToolExecuteOptions, ChatTools } from './chat/tools';
// conversations
export {
  CONVERSATION_INDEX_KEY,
  ConversationIndex,
  conversationIndex,
  conversationTitle,
  draftStorageKey,
  type ConversationIndexSnapshot,
  type ConversationIndexStatus,
  type ConversationSummary,
  type RemovedConversation,
} from './chat/conversations';
export type { ChatMessageFeedback } from './chat/types';
// images
// one class per failure kind, not one per check: `.code` on ImageValidationError says which
// check failed (the subclasses behind it stay internal)
export { ImageValidationError, ImageEnvironmentError, type ImageValidationCode } from './images/errors';
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
  type ImageFit,
  type ImageInput,
  type PrepareImageOptions,
  type PreparedImage,
} from './images/prepare';
export {
  prepareVisionImage,
  MAX_VISION_IMAGE_BYTES,
  MAX_VISION_IMAGE_SIDE,
  type PrepareVisionImageOptions,
  type PreparedVisionImage,
  type VisionImageType,
} from './images/prepare-vision';
// attachments: files a user attaches to a chat message, as content parts
export {
  AttachmentError,
  checkAttachment,
  classifyFile,
  modelAcceptsPdf,
  partFile,
  prepareAttachment,
  textFilePart,
  TEXT_FILE_EXTENSIONS,
  type AttachmentErrorCode,
  type AttachmentKind,
  type MessageFile,
  type PrepareAttachmentOptions,
  type PreparedAttachment,
} from './chat/attachments';
export {
  MaskModel,
  type MaskDirtyRect,
  type MaskModelOptions,
  type MaskPaintMode,
} from './images/mask-model';
export { encodeMask, type MaskCoverage } from './images/mask';
export {
  ImagePacer,
  type ImagePacerOptions,
  type ImagePacerSnapshot,
  type ImagePacerTicket,
} from './images/pacer';
export { isImageExpired, isSafeImageSrc, releaseImage, type GeneratedImage } from './images/results';
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
