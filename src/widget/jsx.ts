// `<parlance-chat>` in TSX: importing `parlance/widget` (which re-exports from here) adds the
// element to React's JSX.IntrinsicElements, for React 18 and 19 alike (both read React.JSX).
import type * as React from 'react';

import type { ParlanceLocale, ParlanceTheme } from '../hooks/parlance-provider';
import type { ParlanceChatPosition } from './contract';
import type { ParlanceChatElement } from './element';

/**
 * The attributes of `<parlance-chat>` as JSX props. Properties that are not strings (`headers`,
 * `transport`, `messages`, `strings`) are set on the element through a `ref`: React 18 would
 * turn them into attribute text.
 *
 * @example
 * ```tsx
 * import 'parlance/widget';
 *
 * <parlance-chat base-url="/api/v1" model="gpt-4o-mini" title="Ask the docs" storage-key="docs" />
 * ```
 */
export interface ParlanceChatAttributes {
  /** OpenAI-style base URL ending in `/v1` (the reference server, or your own proxy). Required. */
  'base-url'?: string;
  /** The model to ask. Default: `gpt-4o-mini`. */
  model?: string;
  /** The panel's heading. */
  title?: string;
  /** A system message sent before the conversation. */
  system?: string;
  /** UI language. Default: from the browser, else `en`. */
  locale?: ParlanceLocale;
  /** Colour scheme. Default: `auto`. */
  theme?: ParlanceTheme;
  /** Where the launcher and panel sit. Default: `bottom-right`. */
  position?: ParlanceChatPosition;
  /**
   * Whether the panel is open. React 18 sets any value as attribute text, and `open="false"`
   * still opens it: there, pass `open={isOpen || undefined}`.
   */
  open?: boolean;
  /** Where the conversation is stored; pages with the same key share it. Default: `parlance-chat`. */
  'storage-key'?: string;
  /** The composer's placeholder. */
  placeholder?: string;
  /** Space-separated origins images in replies may load from (`https://cdn.example.com …`). */
  'allowed-image-origins'?: string;
  /**
   * Show developer details: the model id in the header, the token meter and each reply's token
   * usage. Default: hidden, as end users need none of them. A boolean attribute, like `open`.
   */
  'show-usage'?: boolean;
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- JSX's intrinsic elements live in this namespace
  namespace JSX {
    interface IntrinsicElements {
      'parlance-chat': React.DetailedHTMLProps<
        React.HTMLAttributes<ParlanceChatElement>,
        ParlanceChatElement
      > &
        ParlanceChatAttributes;
    }
  }
}
