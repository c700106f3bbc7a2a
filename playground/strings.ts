// The playground's own words. The kit's components carry their own, in the same two locales.
import type { ParlanceLocale } from 'parlance';

export interface PlaygroundStrings {
  title: string;
  intro: string;
  hostLink: string;
  offlineLabel: string;
  offlineLead: string;
  offlineBody: string;
  offlineKey: string;
  offlineUpstream: string;
  settings: string;
  model: string;
  modelsFromServer: string;
  commonModels: string;
  temperature: string;
  temperatureHint: string;
  maxTokens: string;
  maxTokensHint: string;
  system: string;
  locale: string;
  theme: string;
  themeLight: string;
  themeDark: string;
  themeAuto: string;
  chatTitle: string;
  images: string;
  imagePrompt: string;
  size: string;
  count: string;
  generate: string;
  cancel: string;
  working: string;
  ready: string;
  failed: string;
  editHeading: string;
  editHelp: string;
  editPrompt: string;
  applyEdit: string;
  closeEditor: string;
  /** The tabs and the settings drawer. */
  sections: string;
  chatTab: string;
  imagesTab: string;
  openSettings: string;
  closeSettings: string;
  offlineBadge: string;
  /** `{count}` of `{max}` characters. */
  promptLength: string;
  promptTooLong: string;
  sourceHeading: string;
  dropHint: string;
  chooseFile: string;
  sourceAlt: string;
  editSource: string;
  varySource: string;
  removeSource: string;
  notAnImage: string;
}

const en: PlaygroundStrings = {
  title: 'Parlance playground',
  intro: 'Every part of the kit against the server this page comes from: chat, token budget, images.',
  hostLink: 'The widget on a sample docs page',
  offlineLabel: 'Offline mode',
  offlineLead: 'Offline mode.',
  offlineBody:
    'No model is connected: chat answers come from Parlance’s documentation and images are drawn from the prompt. To use a real model, stop the server and start it again with',
  offlineKey: ', or point it at any OpenAI-compatible server with',
  offlineUpstream: '.',
  settings: 'Settings',
  model: 'Model',
  modelsFromServer: 'From the server',
  commonModels: 'Common models',
  temperature: 'Temperature',
  temperatureHint: '0–2: about 0.2 is focused, about 0.8 more random.',
  maxTokens: 'Max reply tokens',
  maxTokensHint: 'Empty: as much as the context window leaves.',
  system: 'System message',
  locale: 'Language',
  theme: 'Theme',
  themeLight: 'Light',
  themeDark: 'Dark',
  themeAuto: 'Follow the system',
  chatTitle: 'Chat',
  images: 'Images',
  imagePrompt: 'Image prompt',
  size: 'Size',
  count: 'Count',
  generate: 'Generate',
  cancel: 'Cancel',
  working: 'Working…',
  ready: 'Ready',
  failed: 'Failed: {message}',
  editHeading: 'Edit with a mask',
  editHelp:
    'Paint over the part of the image to change, then describe the whole new image, not only the painted part.',
  editPrompt: 'Edit prompt',
  applyEdit: 'Apply edit',
  closeEditor: 'Close the editor',
  sections: 'Playground sections',
  chatTab: 'Chat',
  imagesTab: 'Images',
  openSettings: 'Settings',
  closeSettings: 'Close settings',
  offlineBadge: 'Offline mode',
  promptLength: '{count} / {max} characters',
  promptTooLong: 'The prompt is {over} characters too long.',
  sourceHeading: 'Your image',
  dropHint: 'Drop an image here to edit it with a mask or make variations, or',
  chooseFile: 'choose a file',
  sourceAlt: 'The image you chose: {name}',
  editSource: 'Edit with a mask',
  varySource: 'Make a variation',
  removeSource: 'Remove',
  notAnImage: '{name} is not an image.',
};

const zhCN: PlaygroundStrings = {
  title: 'Parlance 演练场',
  intro: '本页连接提供它的服务器，演示组件库的每个部分：对话、token 预算、图片。',
  hostLink: '示例文档页上的小部件',
  offlineLabel: '离线模式',
  offlineLead: '离线模式。',
  offlineBody:
    '没有连接模型：对话的回答来自 Parlance 的文档，图片根据提示词绘制。要使用真实模型，请停止服务器，然后用以下命令重新启动：',
  offlineKey: '，或者用以下命令指向任何兼容 OpenAI 的服务器：',
  offlineUpstream: '。',
  settings: '设置',
  model: '模型',
  modelsFromServer: '服务器提供',
  commonModels: '常用模型',
  temperature: '温度',
  temperatureHint: '0–2：约 0.2 更专注，约 0.8 更随机。',
  maxTokens: '回复最多 token 数',
  maxTokensHint: '留空：上下文窗口剩余多少就用多少。',
  system: '系统消息',
  locale: '语言',
  theme: '主题',
  themeLight: '浅色',
  themeDark: '深色',
  themeAuto: '跟随系统',
  chatTitle: '对话',
  images: '图片',
  imagePrompt: '图片提示词',
  size: '尺寸',
  count: '数量',
  generate: '生成',
  cancel: '取消',
  working: '处理中…',
  ready: '就绪',
  failed: '失败：{message}',
  editHeading: '用蒙版编辑',
  editHelp: '涂抹图片中要修改的部分，然后描述整张新图片，而不只是涂抹的部分。',
  editPrompt: '编辑提示词',
  applyEdit: '应用编辑',
  closeEditor: '关闭编辑器',
  sections: '演练场分区',
  chatTab: '对话',
  imagesTab: '图片',
  openSettings: '设置',
  closeSettings: '关闭设置',
  offlineBadge: '离线模式',
  promptLength: '{count} / {max} 个字符',
  promptTooLong: '提示词超出 {over} 个字符。',
  sourceHeading: '你的图片',
  dropHint: '把图片拖到这里，用蒙版编辑或生成变体，或者',
  chooseFile: '选择文件',
  sourceAlt: '你选择的图片：{name}',
  editSource: '用蒙版编辑',
  varySource: '生成变体',
  removeSource: '移除',
  notAnImage: '{name} 不是图片。',
};

export const playgroundStrings: Record<ParlanceLocale, PlaygroundStrings> = { en, 'zh-CN': zhCN };
