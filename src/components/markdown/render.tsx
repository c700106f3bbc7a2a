import type { ReactNode } from 'react';
import type { Token, Tokens } from 'marked';

import type { ChatStrings } from '../i18n/chat';
import { format } from '../i18n/template';
import { CodeBlock } from './code-block';
import { decodeEntities } from './entities';
import { renderMath } from './math-render';
import { isImageAllowed, safeHref, type UrlPolicy } from './safe-url';

/** What rendering needs besides the tokens. */
export interface RenderContext {
  policy: UrlPolicy;
  strings: ChatStrings;
  /** Resolves relative image URLs the way the page would. */
  baseUrl: string | undefined;
  /** The block is still streaming. */
  live: boolean;
  /** The heading depths the document uses, ascending: the shallowest becomes h3, the next h4… */
  headingDepths: readonly number[];
}

const HEADINGS = ['h3', 'h4', 'h5', 'h6', 'h6', 'h6'] as const;

/**
 * Renders marked's block tokens as React elements. Nothing is ever parsed as HTML: raw HTML
 * tokens become text, links and images pass the URL policy.
 */
export function renderBlocks(tokens: readonly Token[], context: RenderContext): ReactNode[] {
  return tokens.map((token, index) => renderBlock(token, context, index));
}

function renderBlock(token: Token, context: RenderContext, key: number): ReactNode {
  switch (token.type) {
    case 'space':
    case 'def':
      return null;
    case 'code': {
      const code = token as Tokens.Code;
      return (
        <CodeBlock
          key={key}
          code={code.text}
          lang={code.lang}
          live={context.live}
          strings={context.strings}
        />
      );
    }
    case 'heading': {
      const heading = token as Tokens.Heading;
      // Message headings sit below the window's own, and by rank, so levels never skip.
      const rank = Math.max(0, context.headingDepths.indexOf(heading.depth));
      const Tag = HEADINGS[Math.min(rank, HEADINGS.length - 1)]!;
      return (
        <Tag key={key} className="parlance-md-heading">
          {renderInline(heading.tokens, context)}
        </Tag>
      );
    }
    case 'hr':
      return <hr key={key} />;
    case 'blockquote':
      return <blockquote key={key}>{renderBlocks((token as Tokens.Blockquote).tokens, context)}</blockquote>;
    case 'list': {
      const list = token as Tokens.List;
      const items = list.items.map((item, i) => (
        <li key={i} data-task={item.task ? (item.checked ? 'checked' : 'unchecked') : undefined}>
          {renderBlocks(item.tokens, context)}
        </li>
      ));
      if (list.ordered) {
        const start = Number(list.start);
        return (
          <ol key={key} start={Number.isFinite(start) && start !== 1 ? start : undefined}>
            {items}
          </ol>
        );
      }
      return <ul key={key}>{items}</ul>;
    }
    case 'checkbox':
      return (
        <span key={key} className="parlance-md-task" data-checked={(token as Tokens.Checkbox).checked}>
          {(token as Tokens.Checkbox).checked ? '☑ ' : '☐ '}
        </span>
      );
    case 'paragraph':
      return <p key={key}>{renderInline((token as Tokens.Paragraph).tokens, context)}</p>;
    case 'table': {
      const table = token as Tokens.Table;
      const align = (i: number) => table.align[i] ?? undefined;
      return (
        <div key={key} className="parlance-md-table">
          <table>
            <thead>
              <tr>
                {table.header.map((cell, i) => (
                  <th key={i} style={align(i) ? { textAlign: align(i)! } : undefined}>
                    {renderInline(cell.tokens, context)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => (
                    <td key={i} style={align(i) ? { textAlign: align(i)! } : undefined}>
                      {renderInline(cell.tokens, context)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    case 'html':
      return (
        <p key={key} className="parlance-md-html">
          {token.raw}
        </p>
      );
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? (
        <span key={key}>{renderInline(text.tokens, context)}</span>
      ) : (
        decodeEntities(text.text)
      );
    }
    case 'math':
      return renderMath(token, key, true);
    default:
      return <p key={key}>{token.raw}</p>;
  }
}

function renderInline(tokens: readonly Token[] | undefined, context: RenderContext): ReactNode[] {
  if (!tokens) return [];
  return tokens.map((token, index) => renderInlineToken(token, context, index));
}

function renderInlineToken(token: Token, context: RenderContext, key: number): ReactNode {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? (
        <span key={key}>{renderInline(text.tokens, context)}</span>
      ) : (
        decodeEntities(text.text)
      );
    }
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'strong':
      return <strong key={key}>{renderInline((token as Tokens.Strong).tokens, context)}</strong>;
    case 'em':
      return <em key={key}>{renderInline((token as Tokens.Em).tokens, context)}</em>;
    case 'del':
      return <del key={key}>{renderInline((token as Tokens.Del).tokens, context)}</del>;
    case 'codespan':
      return <code key={key}>{(token as Tokens.Codespan).text}</code>;
    case 'br':
      return <br key={key} />;
    case 'link': {
      const link = token as Tokens.Link;
      const href = safeHref(link.href, context.policy);
      const children = renderInline(link.tokens, context);
      if (!href) {
        return (
          <span key={key} className="parlance-md-blocked-link" title={context.strings.blockedLink}>
            {children}
          </span>
        );
      }
      return (
        <a
          key={key}
          href={href}
          title={link.title ?? undefined}
          target="_blank"
          rel="noopener noreferrer nofollow"
        >
          {children}
        </a>
      );
    }
    case 'image': {
      const image = token as Tokens.Image;
      const alt = decodeEntities(image.text);
      if (isImageAllowed(image.href, context.policy, context.baseUrl)) {
        return (
          <img
            key={key}
            className="parlance-md-image"
            src={image.href.trim()}
            alt={alt}
            title={image.title ?? undefined}
            loading="lazy"
            decoding="async"
            referrerPolicy="no-referrer"
          />
        );
      }
      const label = format(context.strings.blockedImage, { alt: alt || image.href });
      // Only a plain web address is offered: the user decides whether to open it.
      const href = safeHref(image.href, { allowRelativeLinks: false });
      return href && !href.startsWith('mailto:') ? (
        <a
          key={key}
          className="parlance-md-blocked-image"
          href={href}
          target="_blank"
          rel="noopener noreferrer nofollow"
        >
          {label}
        </a>
      ) : (
        <span key={key} className="parlance-md-blocked-image">
          {label}
        </span>
      );
    }
    case 'html':
      return token.raw;
    case 'checkbox':
      return renderBlock(token, context, key);
    case 'math':
      return renderMath(token, key, false);
    default:
      return 'raw' in token ? token.raw : null;
  }
}
