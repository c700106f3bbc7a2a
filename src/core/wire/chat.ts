/** Why the model stopped; `null` while a streamed choice is still in progress. */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'function_call' | null;

/** A text part of a message's `content`. */
export interface ChatCompletionContentPartText {
  type: 'text';
  text: string;
}

/** An image part of a user message's `content`, for vision models. */
export interface ChatCompletionContentPartImage {
  type: 'image_url';
  image_url: {
    /** An `https:` URL or a `data:image/...;base64,` URL. */
    url: string;
    /** Default `auto`. */
    detail?: 'auto' | 'low' | 'high';
  };
}

/**
 * A file part of a user message's `content` (a PDF, for models that read them). `file_data` is a
 * `data:application/pdf;base64,…` URL; `file_id` names a file uploaded to the files API instead.
 */
export interface ChatCompletionContentPartFile {
  type: 'file';
  file: { filename?: string; file_data?: string; file_id?: string };
}

/** One part of a message's `content` when it is an array. */
export type ChatCompletionContentPart =
  ChatCompletionContentPartText | ChatCompletionContentPartImage | ChatCompletionContentPartFile;

/** A tool call the model made, on an assistant message. */
export interface ChatCompletionMessageToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A message sent in `messages`. */
export type ChatCompletionMessageParam =
  | { role: 'system' | 'developer'; content: string | ChatCompletionContentPartText[]; name?: string }
  | { role: 'user'; content: string | ChatCompletionContentPart[]; name?: string }
  | {
      role: 'assistant';
      content?: string | ChatCompletionContentPartText[] | null;
      name?: string;
      refusal?: string | null;
      tool_calls?: ChatCompletionMessageToolCall[];
    }
  | { role: 'tool'; content: string | ChatCompletionContentPartText[]; tool_call_id: string };

/** The body of `POST /chat/completions` (OpenAI's `CreateChatCompletionRequest`, common fields). */
export interface ChatCompletionRequest {
  model: string;
  messages: ChatCompletionMessageParam[];
  /** 0–2; about 0.8 is more random, 0.2 more focused. Server default 1. */
  temperature?: number | null;
  top_p?: number | null;
  /** The most tokens the reply may use (older name, still the most widely supported). */
  max_tokens?: number | null;
  /** The newer name for `max_tokens`, required by the o-series. */
  max_completion_tokens?: number | null;
  n?: number | null;
  stop?: string | string[] | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  seed?: number | null;
  user?: string;
  response_format?: { type: 'text' | 'json_object' } | { type: 'json_schema'; json_schema: object };
  /** Send Server-Sent Events instead of one JSON object. */
  stream?: boolean | null;
  /** With `include_usage`, a last chunk with empty `choices` carries `usage`. */
  stream_options?: { include_usage?: boolean } | null;
}

/** A streaming request: `create` resolves to a {@link ChatCompletionChunk} iterable. */
export type ChatCompletionRequestStreaming = ChatCompletionRequest & { stream: true };

/** A non-streaming request: `create` resolves to a {@link ChatCompletion}. */
export type ChatCompletionRequestNonStreaming = ChatCompletionRequest & { stream?: false | null };

/** Token counts of a request (OpenAI's `CompletionUsage`). */
export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; audio_tokens?: number };
  completion_tokens_details?: {
    reasoning_tokens?: number;
    audio_tokens?: number;
    accepted_prediction_tokens?: number;
    rejected_prediction_tokens?: number;
  };
}

/** The message of a {@link ChatCompletion} choice. */
export interface ChatCompletionMessage {
  role: 'assistant';
  content: string | null;
  refusal?: string | null;
  tool_calls?: ChatCompletionMessageToolCall[];
}

/** The response of a non-streaming request (OpenAI's `CreateChatCompletionResponse`). */
export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  /** Unix time in seconds. */
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: ChatCompletionMessage;
    logprobs: object | null;
    finish_reason: FinishReason;
  }>;
  usage?: CompletionUsage;
  system_fingerprint?: string;
  service_tier?: string | null;
}

/** A fragment of a tool call inside a streamed delta. */
export interface ChatCompletionToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

/** What a chunk adds to a choice's message. */
export interface ChatCompletionDelta {
  role?: 'developer' | 'system' | 'user' | 'assistant' | 'tool';
  content?: string | null;
  refusal?: string | null;
  tool_calls?: ChatCompletionToolCallDelta[];
  /** What the model thinks before answering (DeepSeek, vLLM, llama.cpp). Never sent back. */
  reasoning_content?: string | null;
  /** The same, under the name Ollama and OpenRouter use. */
  reasoning?: string | null;
  /** Sources a search-enabled model cites (`url_citation`). */
  annotations?: Array<{
    type: 'url_citation';
    url_citation: { url: string; title: string; start_index: number; end_index: number };
  }>;
}

/** One streamed event (OpenAI's `CreateChatCompletionStreamResponse`). */
export interface ChatCompletionChunk {
  /** The same for every chunk of one completion. */
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  /** Empty on the usage chunk sent with `stream_options.include_usage`. */
  choices: Array<{
    index: number;
    delta: ChatCompletionDelta;
    logprobs?: object | null;
    finish_reason: FinishReason;
  }>;
  /** `null` on every chunk but the last when `include_usage` is set. */
  usage?: CompletionUsage | null;
  system_fingerprint?: string;
  service_tier?: string | null;
  obfuscation?: string;
}
