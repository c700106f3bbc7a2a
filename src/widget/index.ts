// `parlance/widget`: importing this module registers <parlance-chat> (nothing happens on a server).
import { defineParlanceChat, type ParlanceChatElement } from './element';

export { ParlanceChatElement, defineParlanceChat } from './element';
export {
  DEFAULT_STORAGE_KEY,
  type ParlanceChatEventMap,
  type ParlanceChatHeaders,
  type ParlanceChatInitialMessage,
  type ParlanceChatPosition,
} from './contract';
export type { ParlanceChatAttributes } from './jsx';
export type { ParlanceChatStrings } from './strings';

defineParlanceChat();

declare global {
  interface HTMLElementTagNameMap {
    'parlance-chat': ParlanceChatElement;
  }
}
