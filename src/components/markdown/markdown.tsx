import { memo, useMemo, useState } from 'react';

import type { ChatStrings } from '../i18n/chat';
import { useChatStrings } from '../i18n/locale';
import { cx } from '../primitives/root';
import { BlockSplitter, type MarkdownBlock } from './blocks';
import { HighlightHeld } from './code-block';
import { renderBlocks } from './render';
import { usePolicy, type UrlPolicy } from './safe-url';

/** Props of {@link Markdown}. */
export interface MarkdownProps extends UrlPolicy {
  /** The markdown source (untrusted: raw HTML shows as text, links and images pass the URL policy). */
  children: string;
  /**
   * The text is still arriving. Finished blocks are then kept and never re-parsed; only the last
   * block re-renders, with half-written syntax repaired; code is highlighted once it has all
   * arrived. Default: false.
   */
  streaming?: boolean;
  /** Overrides of the UI strings. */
  strings?: Partial<ChatStrings>;
  className?: string;
}

/**
 * Renders untrusted markdown (GFM) safely and incrementally.
 *
 * @example
 * <Markdown allowedImageOrigins={['https://images.example.com']}>{reply}</Markdown>
 */
export function Markdown({
  children,
  streaming = false,
  strings: overrides,
  allowedImageOrigins,
  allowRelativeLinks,
  className,
}: MarkdownProps) {
  const strings = useChatStrings(overrides);
  const [splitter] = useState(() => new BlockSplitter());
  const policy = usePolicy(allowedImageOrigins, allowRelativeLinks);
  const blocks = useMemo(() => splitter.split(children, streaming), [splitter, children, streaming]);
  const depthsKey = splitter.headingDepths(blocks).join(',');
  const depths = useMemo(() => (depthsKey ? depthsKey.split(',').map(Number) : []), [depthsKey]);
  return (
    <div className={cx('parlance-markdown', className)} data-slot="markdown">
      {/* The code blocks alone follow `streaming` through context: the reply's end re-renders them,
          not every block. */}
      <HighlightHeld.Provider value={streaming}>
        {groups(blocks).map((group) => (
          <Group key={group[0]!.key} blocks={group} policy={policy} strings={strings} depths={depths} />
        ))}
      </HighlightHeld.Provider>
    </div>
  );
}

/**
 * Blocks go in groups of this many. A long reply has hundreds of blocks; grouped, a streamed chunk
 * makes React compare the group holding the last block and skip the others whole.
 */
const GROUP = 16;

function groups(blocks: readonly MarkdownBlock[]): MarkdownBlock[][] {
  const result: MarkdownBlock[][] = [];
  for (let start = 0; start < blocks.length; start += GROUP) result.push(blocks.slice(start, start + GROUP));
  return result;
}

interface GroupProps extends Omit<BlockProps, 'block'> {
  blocks: readonly MarkdownBlock[];
}

const Group = memo(
  function Group({ blocks, policy, strings, depths }: GroupProps) {
    return blocks.map((block) => (
      <Block key={block.key} block={block} policy={policy} strings={strings} depths={depths} />
    ));
  },
  (a, b) =>
    a.blocks.length === b.blocks.length &&
    a.blocks.every((block, i) => block === b.blocks[i]) &&
    a.policy === b.policy &&
    a.depths === b.depths &&
    a.strings === b.strings,
);

interface BlockProps {
  block: MarkdownBlock;
  policy: UrlPolicy;
  strings: ChatStrings;
  depths: readonly number[];
}

const Block = memo(
  function Block({ block, policy, strings, depths }: BlockProps) {
    if (block.live && block.tokens.length === 0 && block.raw.trim()) {
      return <p className="parlance-md-pending">{strings.tablePending}</p>;
    }
    const baseUrl = typeof document === 'undefined' ? undefined : document.baseURI;
    return (
      <>{renderBlocks(block.tokens, { policy, strings, baseUrl, live: block.live, headingDepths: depths })}</>
    );
  },
  (a, b) =>
    a.block.raw === b.block.raw &&
    a.block.live === b.block.live &&
    a.block.tokens === b.block.tokens &&
    a.policy === b.policy &&
    a.depths === b.depths &&
    a.strings === b.strings,
);
