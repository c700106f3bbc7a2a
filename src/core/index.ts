export const VERSION = '0.1.0';

// client
export { createClient, type Client, type CreateChatCompletion } from './client/create-client';
export { ChatCompletionStream } from './client/chat-completion-stream';
export type { ClientOptions, FetchFunction, RequestOptions, RetryEvent, RetryPolicy } from './client/options';
export {
  AbortError,
  ApiError,
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
  ImageData,
  ImageEditRequest,
  ImageGenerateRequest,
  ImageSize,
  ImageVariationRequest,
  ImagesResponse,
} from './wire/images';
export type { Model, ModelsList } from './wire/models';
export type { ErrorEnvelope, WireError } from './wire/error';
