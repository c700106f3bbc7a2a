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
// tokens
export {
  useTokenCount,
  type TokenCountStatus,
  type UseTokenCountOptions,
  type UseTokenCountResult,
} from './hooks/use-token-count';
export type { TokenMessage, TokenTool } from './core/tokens/count';
export type { CostEstimate, ModelPrice, ModelPrices, RequestCostEstimate } from './core/tokens/cost';
// chat
export {
  useChat,
  type UseChatOptions,
  type UseChatResult,
  type UseChatSelected,
  type UseChatSelector,
} from './hooks/use-chat';
export { messageActions, type ChatMessageActions, type ChatMessageActionsInput } from './core/chat/ending';
export type {
  ChatBudget,
  ChatContextOptions,
  ChatFinishEvent,
  ChatFinishReason,
  ChatMessage,
  ChatMessageContent,
  ChatMessageError,
  ChatMessageInput,
  ChatMessageStatus,
  ChatRetryWait,
  ChatSnapshot,
  ChatStatus,
  ChatStorage,
  ChatToolCall,
  ChatToolCallStatus,
  ChatTransport,
  ChatTurnResult,
  ChatUrlCitation,
} from './core/chat/types';
export type { ChatTool, ChatToolExecuteOptions, ChatTools } from './core/chat/tools';
// images
export {
  useImageGeneration,
  type ImageHistoryEntry,
  type ImageRequestStatus,
  type UseImageGenerationResult,
  type UseImageOptions,
  type UseImageRequestResult,
} from './hooks/use-image-generation';
export { useImageEdit, type UseImageEditResult } from './hooks/use-image-edit';
export { useImageVariation, type UseImageVariationResult } from './hooks/use-image-variation';
export {
  MaskEditor,
  type MaskEditorChange,
  type MaskEditorProps,
  type MaskEditorTool,
  type MaskEditorValue,
} from './components/mask-editor/mask-editor';
export { imagesCatalogs, type ImagesStrings } from './components/i18n/images';
export { ImageGallery, type ImageGalleryProps } from './components/image-gallery/image-gallery';
export type {
  EditImageInput,
  GenerateImagesInput,
  GeneratedImage,
  ImageBatch,
  ImageInput,
  VaryImageInput,
} from './core';
// components
export {
  ChatWindow,
  type ChatWindowOwnProps,
  type ChatWindowProps,
} from './components/chat-window/chat-window';
export { MessageList, type MessageListProps } from './components/message-list/message-list';
export type { MessageSlots } from './components/message-list/message-item';
export type {
  ToolCallHelpers,
  ToolCallRenderer,
  ToolCallRenderers,
} from './components/message-list/tool-call-card';
export type { MessageActionHandlers, MessageListMessage } from './components/message-list/types';
export { Composer, type ComposerProps, type ComposerTokenInfo } from './components/composer/composer';
export type { ComposerAttachment } from './components/composer/attachments';
export { TokenMeter, type TokenMeterProps } from './components/token-meter/token-meter';
export {
  useTokenBudget,
  type TokenBudget,
  type TokenBudgetRequest,
  type UseTokenBudgetOptions,
} from './components/token-meter/use-token-budget';
export { Markdown, type MarkdownProps } from './components/markdown/markdown';
export { safeHref, isImageAllowed, type UrlPolicy } from './components/markdown/safe-url';
export { chatCatalogs, type ChatStrings } from './components/i18n/chat';
// tokenizer endpoints
export type { TokenCountSource, TokenizerMode } from './hooks/use-token-count';
export type { TokenizerEndpoint, TokenizerEndpointKind } from './core/tokens/remote';
// conversations
export {
  useConversations,
  type UseConversationsOptions,
  type UseConversationsResult,
} from './hooks/use-conversations';
export {
  ConversationList,
  type ConversationChangeReason,
  type ConversationListProps,
} from './components/conversation-list/conversation-list';
export type { ConversationStrings } from './components/i18n/conversations';
export type {
  ChatMessageFeedback,
  ConversationIndexStatus,
  ConversationSummary,
  RemovedConversation,
} from './core';
