import type { ParlanceLocale } from '../../hooks/parlance-provider';
import { conversationCatalogs, type ConversationStrings } from './conversations';

/**
 * Every word the chat components show or announce. Pass a partial object as the `strings` prop of
 * `ChatWindow`, `MessageList`, `Composer` or `TokenMeter` to override any of them.
 */
export interface ChatStrings extends ConversationStrings {
  /** The conversation log's accessible name. */
  conversation: string;
  /** Shown in an empty conversation. */
  empty: string;
  /** Role labels, shown beside each message and read by screen readers. */
  roleUser: string;
  roleAssistant: string;
  roleSystem: string;
  /** The composer textarea's accessible name. */
  composerLabel: string;
  /** The composer's placeholder. */
  composerPlaceholder: string;
  /** The send button's name. */
  send: string;
  /** The stop button's name (while a reply streams). */
  stop: string;
  /** The attach button's name. */
  attachImage: string;
  /** The remove button on an attachment; `{name}` is the file name. */
  removeAttachment: string;
  /** Shown while dragging a file over the composer. */
  dropImages: string;
  /** The attach button's name when files (text, PDF) may be attached too. */
  attachFiles: string;
  /** Shown while dragging files over a composer that takes files. */
  dropFiles: string;
  /** On an attachment still being prepared (an image scaled down, a file read). */
  attachmentPreparing: string;
  /** A file that was not attached; `{name}` and `{reason}` (one of the `refused…` strings). */
  attachmentRefused: string;
  /** Reasons a file was not attached. `{max}` is a size or a count. */
  refusedUnsupported: string;
  refusedImagesOff: string;
  refusedFilesOff: string;
  refusedPdf: string;
  refusedTooLarge: string;
  refusedNotText: string;
  refusedImageFailed: string;
  refusedUnreadable: string;
  refusedTooMany: string;
  /** A file attached to a sent message; `{name}`. */
  messageFile: string;
  /** Why the composer is disabled, when no reason is given. */
  disabledReason: string;
  /** Shown while a reply is in progress and the composer cannot send. */
  busyReason: string;
  /** The draft's token count; `{count}` and `{remaining}`. */
  draftTokens: string;
  /** Shown when the draft does not fit; `{over}` is how many tokens too many. */
  draftTooLong: string;
  /** Message actions. */
  copy: string;
  copied: string;
  regenerate: string;
  edit: string;
  save: string;
  cancel: string;
  editLabel: string;
  continue: string;
  retry: string;
  previousVersion: string;
  nextVersion: string;
  /** `{index}` of `{total}` versions. */
  versionOf: string;
  /** The group of message actions; `{role}`. */
  messageActions: string;
  /** Status notices. */
  thinking: string;
  streaming: string;
  stopped: string;
  interrupted: string;
  error: string;
  contentFilter: string;
  length: string;
  /** Usage per reply; `{prompt}`, `{completion}`, `{total}`. */
  usage: string;
  /** The jump-to-latest button. */
  jumpToLatest: string;
  /** Announced when a reply finished; `{text}`. */
  replyFinished: string;
  /** Code blocks. */
  copyCode: string;
  codeCopied: string;
  /** `{lang}` code block label. */
  codeLabel: string;
  /** A markdown image not loaded because its origin is not allowed; `{alt}`. */
  blockedImage: string;
  /** A link whose address is not allowed (shown as text). */
  blockedLink: string;
  /** Shown in place of a half-written table while it streams. */
  tablePending: string;
  /** A tool call card's name; `{name}` is the tool's. */
  toolCall: string;
  /** Labels of a tool call's parts. */
  toolArguments: string;
  toolResult: string;
  toolError: string;
  /** A tool call's status. */
  toolAwaitingApproval: string;
  toolAwaitingResult: string;
  toolRunning: string;
  toolDone: string;
  toolFailed: string;
  toolRejected: string;
  /** The buttons of a tool call that waits for approval. */
  approveTool: string;
  rejectTool: string;
  /** The reasoning disclosure: while the model thinks, after (`{seconds}`), and when the time is unknown. */
  reasoningLive: string;
  reasoningDuration: string;
  reasoning: string;
  /** The label of a refusal notice. */
  refusal: string;
  /** The list of cited sources. */
  sources: string;
  /** Token meter. */
  tokenMeterLabel: string;
  promptTokens: string;
  replyRoom: string;
  contextWindow: string;
  approximate: string;
  /** What trimming will drop; `{count}` messages, `{tokens}` tokens. */
  willDrop: string;
  nothingDropped: string;
  /** The prompt does not fit even after trimming. */
  overflow: string;
  /** The next request's cost: label, value (`{total}`, the most it can cost) and detail (`{input}`, `{output}`). */
  requestCost: string;
  requestCostValue: string;
  requestCostDetail: string;
  /** What the conversation has cost so far. */
  conversationCost: string;
  /** The next request would pass a cap (shown before sending); `{cost}` and `{limit}`. */
  overBudget: string;
  overBudgetConversation: string;
  /** A request refused by the budget; `{cost}` its estimate, `{limit}` the cap. */
  budgetExceeded: string;
  /** The conversation would pass its cost cap; `{cost}` the total with this request, `{limit}` the cap. */
  budgetExceededConversation: string;
  /** Chat window. */
  title: string;
  newConversation: string;
  model: string;
  offline: string;
  /** Under a message sent offline, waiting for the connection. */
  queued: string;
  /** Cancels a message waiting to be sent. */
  cancelSend: string;
  dismiss: string;
  /** Shown while a retry waits; `{seconds}`. */
  retrying: string;
  /** The last request dropped earlier messages; `{count}`. */
  droppedNotice: string;
}

const en: ChatStrings = {
  ...conversationCatalogs.en,
  conversation: 'Conversation',
  empty: 'No messages yet. Ask anything to start.',
  roleUser: 'You',
  roleAssistant: 'Assistant',
  roleSystem: 'System',
  composerLabel: 'Message',
  composerPlaceholder: 'Write a message…',
  send: 'Send',
  stop: 'Stop',
  attachImage: 'Attach image',
  removeAttachment: 'Remove {name}',
  dropImages: 'Drop images to attach them',
  attachFiles: 'Attach files',
  dropFiles: 'Drop files to attach them',
  attachmentPreparing: 'Preparing…',
  attachmentRefused: '{name} was not attached: {reason}.',
  refusedUnsupported: 'it is not an image, a text file or a PDF',
  refusedImagesOff: 'images cannot be attached here',
  refusedFilesOff: 'only images can be attached here',
  refusedPdf: 'this model does not read PDF files',
  refusedTooLarge: 'it is larger than {max}',
  refusedNotText: 'it is not UTF-8 text',
  refusedImageFailed: 'the image could not be prepared',
  refusedUnreadable: 'the file could not be read',
  refusedTooMany: 'at most {max} files can be attached to one message',
  messageFile: 'Attached file: {name}',
  disabledReason: 'Sending is not available right now.',
  busyReason: 'Wait for the reply to finish, or stop it.',
  draftTokens: '{count} tokens · {remaining} left',
  draftTooLong: 'Too long by {over} tokens',
  copy: 'Copy',
  copied: 'Copied',
  regenerate: 'Regenerate',
  edit: 'Edit',
  save: 'Save and send',
  cancel: 'Cancel',
  editLabel: 'Edit message',
  continue: 'Continue',
  retry: 'Retry',
  previousVersion: 'Previous version',
  nextVersion: 'Next version',
  versionOf: '{index} of {total}',
  messageActions: '{role} message actions',
  thinking: 'Thinking…',
  streaming: 'Writing…',
  stopped: 'Stopped. The reply is incomplete.',
  interrupted: 'The connection broke off. The reply is incomplete.',
  error: 'Something went wrong.',
  contentFilter: 'Part of this reply was withheld by a content filter.',
  length: 'The reply was cut short at the length limit.',
  usage: '{prompt} prompt + {completion} reply = {total} tokens',
  jumpToLatest: 'Jump to latest',
  replyFinished: 'Reply: {text}',
  copyCode: 'Copy code',
  codeCopied: 'Code copied',
  codeLabel: '{lang} code',
  blockedImage: 'Image not loaded: {alt}',
  blockedLink: 'link not allowed',
  tablePending: 'Table…',
  toolCall: 'Tool call: {name}',
  toolArguments: 'Arguments',
  toolResult: 'Result',
  toolError: 'Error',
  toolAwaitingApproval: 'Waiting for your approval',
  toolAwaitingResult: 'Waiting for a result',
  toolRunning: 'Running…',
  toolDone: 'Done',
  toolFailed: 'Failed',
  toolRejected: 'Declined',
  approveTool: 'Approve',
  rejectTool: 'Decline',
  reasoningLive: 'Thinking…',
  reasoningDuration: 'Thought for {seconds} s',
  reasoning: 'Reasoning',
  refusal: 'The model declined to answer',
  sources: 'Sources',
  tokenMeterLabel: 'Token budget',
  promptTokens: 'Prompt',
  replyRoom: 'Reply room',
  contextWindow: 'Context window',
  approximate: 'approximate',
  willDrop: 'Trimming will leave out {count} earlier messages ({tokens} tokens).',
  nothingDropped: 'Everything fits.',
  overflow: 'This does not fit in the context window even after trimming.',
  requestCost: 'Next request',
  requestCostValue: 'up to {total}',
  requestCostDetail: 'Prompt {input} + reply at most {output}',
  conversationCost: 'Spent',
  overBudget: 'This request could cost up to {cost}, over the limit of {limit} per request.',
  overBudgetConversation: 'With this request the conversation could cost {cost}, over its limit of {limit}.',
  budgetExceeded: 'Not sent: this request could cost up to {cost}, over the limit of {limit} per request.',
  budgetExceededConversation:
    'Not sent: with this request the conversation could cost {cost}, over its limit of {limit}.',
  title: 'Chat',
  newConversation: 'New conversation',
  model: 'Model',
  offline:
    'You are offline. Messages you send now wait here and go out by themselves when the connection is back.',
  queued: 'Waiting for the connection: it will be sent when you are back online.',
  cancelSend: 'Cancel sending',
  dismiss: 'Dismiss',
  retrying: 'Retrying in {seconds} s…',
  droppedNotice: '{count} earlier messages were left out to fit the context window.',
};

const zhCN: ChatStrings = {
  ...conversationCatalogs['zh-CN'],
  conversation: '对话',
  empty: '还没有消息。问点什么开始吧。',
  roleUser: '你',
  roleAssistant: '助手',
  roleSystem: '系统',
  composerLabel: '消息',
  composerPlaceholder: '输入消息…',
  send: '发送',
  stop: '停止',
  attachImage: '添加图片',
  removeAttachment: '移除 {name}',
  dropImages: '松开以添加图片',
  attachFiles: '添加文件',
  dropFiles: '松开以添加文件',
  attachmentPreparing: '正在处理…',
  attachmentRefused: '未添加 {name}：{reason}。',
  refusedUnsupported: '它不是图片、文本文件或 PDF',
  refusedImagesOff: '此处不能添加图片',
  refusedFilesOff: '此处只能添加图片',
  refusedPdf: '此模型不能读取 PDF 文件',
  refusedTooLarge: '文件超过 {max}',
  refusedNotText: '它不是 UTF-8 文本',
  refusedImageFailed: '无法处理该图片',
  refusedUnreadable: '无法读取该文件',
  refusedTooMany: '每条消息最多添加 {max} 个文件',
  messageFile: '附件：{name}',
  disabledReason: '暂时无法发送。',
  busyReason: '请等待回复完成，或停止回复。',
  draftTokens: '{count} 个 token · 剩余 {remaining}',
  draftTooLong: '超出 {over} 个 token',
  copy: '复制',
  copied: '已复制',
  regenerate: '重新生成',
  edit: '编辑',
  save: '保存并发送',
  cancel: '取消',
  editLabel: '编辑消息',
  continue: '继续',
  retry: '重试',
  previousVersion: '上一个版本',
  nextVersion: '下一个版本',
  versionOf: '第 {index} / {total} 版',
  messageActions: '{role}的消息操作',
  thinking: '思考中…',
  streaming: '正在回复…',
  stopped: '已停止，回复不完整。',
  interrupted: '连接中断，回复不完整。',
  error: '出错了。',
  contentFilter: '此回复的部分内容已被内容过滤器拦截。',
  length: '回复达到长度上限，已被截断。',
  usage: '提示 {prompt} + 回复 {completion} = {total} 个 token',
  jumpToLatest: '跳到最新',
  replyFinished: '回复：{text}',
  copyCode: '复制代码',
  codeCopied: '代码已复制',
  codeLabel: '{lang} 代码',
  blockedImage: '未加载图片：{alt}',
  blockedLink: '链接不被允许',
  tablePending: '表格…',
  toolCall: '工具调用：{name}',
  toolArguments: '参数',
  toolResult: '结果',
  toolError: '错误',
  toolAwaitingApproval: '等待你的批准',
  toolAwaitingResult: '等待结果',
  toolRunning: '运行中…',
  toolDone: '已完成',
  toolFailed: '失败',
  toolRejected: '已拒绝',
  approveTool: '批准',
  rejectTool: '拒绝',
  reasoningLive: '思考中…',
  reasoningDuration: '已思考 {seconds} 秒',
  reasoning: '思考过程',
  refusal: '模型拒绝回答',
  sources: '来源',
  tokenMeterLabel: 'Token 预算',
  promptTokens: '提示',
  replyRoom: '回复空间',
  contextWindow: '上下文窗口',
  approximate: '估算',
  willDrop: '裁剪将省略之前的 {count} 条消息（{tokens} 个 token）。',
  nothingDropped: '全部放得下。',
  overflow: '即使裁剪后也放不进上下文窗口。',
  requestCost: '下一次请求',
  requestCostValue: '最多 {total}',
  requestCostDetail: '提示 {input} + 回复最多 {output}',
  conversationCost: '已花费',
  overBudget: '此请求最多可能花费 {cost}，超过每次请求 {limit} 的上限。',
  overBudgetConversation: '加上此请求，对话最多可能花费 {cost}，超过 {limit} 的上限。',
  budgetExceeded: '未发送：此请求最多可能花费 {cost}，超过每次请求 {limit} 的上限。',
  budgetExceededConversation: '未发送：加上此请求，对话最多可能花费 {cost}，超过 {limit} 的上限。',
  title: '聊天',
  newConversation: '新对话',
  model: '模型',
  offline: '你已离线。现在发送的消息会在此等待，连接恢复后自动发出。',
  queued: '等待网络连接：恢复在线后将自动发送。',
  cancelSend: '取消发送',
  dismiss: '关闭',
  retrying: '{seconds} 秒后重试…',
  droppedNotice: '为放入上下文窗口，省略了之前的 {count} 条消息。',
};

/** The chat components' catalogs, by locale. */
export const chatCatalogs: Record<ParlanceLocale, ChatStrings> = { en, 'zh-CN': zhCN };
