import type { ParlanceLocale } from '../../hooks/parlance-provider';

/**
 * The words of the conversation list, the starters, feedback, message times and drafts: part of
 * {@link ChatStrings}, so `ChatWindow`'s and `ConversationList`'s `strings` prop overrides them too.
 */
export interface ConversationStrings {
  /** The conversation list's accessible name, and the button that shows it in a narrow window. */
  conversations: string;
  /** The name of a conversation with no message yet. */
  untitled: string;
  /** Shown while the list is read. */
  loadingConversations: string;
  /** Shown when there is no conversation. */
  noConversations: string;
  /** The rename button of a conversation; `{title}`. */
  renameConversation: string;
  /** The rename field's accessible name. */
  conversationTitle: string;
  /** The delete button of a conversation; `{title}`. */
  deleteConversation: string;
  /** Shown after a conversation was deleted, beside Undo; `{title}`. */
  conversationDeleted: string;
  /** Shown after "New conversation" emptied the conversation, beside Undo. */
  conversationCleared: string;
  undo: string;
  /** The group of starter and follow-up prompts. */
  suggestions: string;
  /** The thumbs buttons of a reply, and the optional comment after a thumbs down. */
  feedbackUp: string;
  feedbackDown: string;
  feedbackComment: string;
  feedbackSend: string;
  feedbackThanks: string;
  /** The delete button of a message. */
  deleteMessage: string;
}

const en: ConversationStrings = {
  conversations: 'Conversations',
  untitled: 'Untitled',
  loadingConversations: 'Loading conversations…',
  noConversations: 'No conversations yet.',
  renameConversation: 'Rename “{title}”',
  conversationTitle: 'Conversation title',
  deleteConversation: 'Delete “{title}”',
  conversationDeleted: 'Deleted “{title}”.',
  conversationCleared: 'Conversation cleared.',
  undo: 'Undo',
  suggestions: 'Suggestions',
  feedbackUp: 'Good response',
  feedbackDown: 'Bad response',
  feedbackComment: 'What was wrong? (optional)',
  feedbackSend: 'Send',
  feedbackThanks: 'Thanks for the feedback.',
  deleteMessage: 'Delete message',
};

const zhCN: ConversationStrings = {
  conversations: '对话列表',
  untitled: '未命名',
  loadingConversations: '正在读取对话…',
  noConversations: '还没有对话。',
  renameConversation: '重命名“{title}”',
  conversationTitle: '对话标题',
  deleteConversation: '删除“{title}”',
  conversationDeleted: '已删除“{title}”。',
  conversationCleared: '对话已清空。',
  undo: '撤销',
  suggestions: '建议',
  feedbackUp: '回答很好',
  feedbackDown: '回答不好',
  feedbackComment: '哪里不好？（可选）',
  feedbackSend: '发送',
  feedbackThanks: '感谢反馈。',
  deleteMessage: '删除消息',
};

/** The conversation strings, by locale. */
export const conversationCatalogs: Record<ParlanceLocale, ConversationStrings> = { en, 'zh-CN': zhCN };
