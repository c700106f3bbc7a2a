// Type test, compiled by `npx tsc --noEmit` (run nowhere): importing the widget entry types
// <parlance-chat> in TSX with the attributes the README lists, and rejects wrong ones.
import { useRef } from 'react';

import type { ParlanceChatElement } from '../../src/widget/index';

export function Typed() {
  const ref = useRef<ParlanceChatElement>(null);
  return (
    <>
      <parlance-chat
        ref={ref}
        base-url="/api/v1"
        model="gpt-4o-mini"
        title="Ask the docs"
        system="Answer from the docs."
        locale="zh-CN"
        theme="dark"
        position="inline"
        open
        storage-key="docs"
        placeholder="Ask a question"
        allowed-image-origins="https://cdn.example.com https://images.example.com"
        show-usage
        className="docs-chat"
        style={{ ['--parlance-color-accent' as string]: 'rebeccapurple' }}
        id="docs-chat"
      >
        <p>Loading the chat…</p>
      </parlance-chat>
      <parlance-chat
        ref={(element) => {
          // The ref is the element class, with its properties.
          if (element) element.transport = fetch;
        }}
      />
    </>
  );
}

export function Wrong() {
  return (
    <>
      {/* @ts-expect-error position is one of bottom-right, bottom-left, inline */}
      <parlance-chat position="top" />
      {/* @ts-expect-error locale is a shipped locale */}
      <parlance-chat locale="fr" />
      {/* @ts-expect-error attributes are text: a URL object is not an attribute value */}
      <parlance-chat base-url={new URL('https://api.example.com/v1')} />
      {/* @ts-expect-error open is a boolean */}
      <parlance-chat open="yes" />
      {/* @ts-expect-error not an attribute of the element (transport is set through a ref) */}
      <parlance-chat transport={fetch} />
    </>
  );
}
