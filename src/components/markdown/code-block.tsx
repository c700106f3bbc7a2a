import { createElement, useEffect, useState, type ReactNode } from 'react';

import type { ChatStrings } from '../i18n/chat';
import { format } from '../i18n/template';
import { CopyButton } from './copy-button';

interface HastText {
  type: 'text';
  value: string;
}
interface HastElement {
  type: 'element';
  tagName: string;
  properties?: { className?: string[] | string };
  children: HastNode[];
}
type HastNode = HastText | HastElement | { type: string; children?: HastNode[] };
interface HastRoot {
  type: 'root';
  children: HastNode[];
}
interface Highlighter {
  registered(language: string): boolean;
  highlight(language: string, code: string): HastRoot;
}

let highlighter: Promise<Highlighter> | undefined;

/** lowlight and its grammars load on first use, after the first paint, and once per page. */
function loadHighlighter(): Promise<Highlighter> {
  highlighter ??= import('lowlight').then(({ createLowlight, common }) => createLowlight(common));
  return highlighter;
}

function whenIdle(callback: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(callback, { timeout: 2000 });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(callback, 50);
  return () => clearTimeout(handle);
}

/** Renders lowlight's tree as React elements: text stays text, only `span`s with classes are made. */
function renderHast(nodes: HastNode[], prefix = ''): ReactNode[] {
  return nodes.map((node, index) => {
    const key = `${prefix}${index}`;
    if (node.type === 'text') return (node as HastText).value;
    if (node.type === 'element') {
      const element = node as HastElement;
      const className = element.properties?.className;
      return createElement(
        'span',
        { key, className: Array.isArray(className) ? className.join(' ') : className },
        renderHast(element.children, `${key}.`),
      );
    }
    return null;
  });
}

/** Props of {@link CodeBlock}. */
export interface CodeBlockProps {
  code: string;
  /** The fence's info string's first word, e.g. `ts`. */
  lang?: string | undefined;
  /** Still streaming: shown plain, highlighted once finished. */
  live?: boolean;
  strings: ChatStrings;
}

/** A fenced code block with lazy syntax highlighting and a copy button. */
export function CodeBlock({ code, lang, live = false, strings }: CodeBlockProps) {
  const [tree, setTree] = useState<{ code: string; root: HastRoot } | null>(null);
  const language = lang?.trim().split(/\s+/)[0]?.toLowerCase() || undefined;

  useEffect(() => {
    if (live || !language) return;
    let cancelled = false;
    // Highlighting is decoration: it waits for idle time, so a reply still streaming keeps its frames.
    const cancelIdle = whenIdle(() => {
      loadHighlighter()
        .then((lowlight) => {
          if (cancelled || !lowlight.registered(language)) return;
          setTree({ code, root: lowlight.highlight(language, code) });
        })
        .catch(() => {
          // The plain code is already on screen.
        });
    });
    return () => {
      cancelled = true;
      cancelIdle();
    };
  }, [code, language, live]);

  const highlighted = tree && tree.code === code ? renderHast(tree.root.children) : code;
  return (
    <div className="parlance-code" data-slot="code-block" data-language={language}>
      <div className="parlance-code-header">
        <span className="parlance-code-lang">{language ?? ''}</span>
        {!live && <CopyButton text={code} label={strings.copyCode} doneLabel={strings.codeCopied} />}
      </div>
      <pre
        className="parlance-code-pre"
        // Long lines scroll sideways, and a scrolling region must be reachable by keyboard.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        aria-label={language ? format(strings.codeLabel, { lang: language }) : undefined}
      >
        <code className={language ? `hljs language-${language}` : 'hljs'}>{highlighted}</code>
      </pre>
    </div>
  );
}
