import { createContext, createElement, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

import type { ChatStrings } from '../i18n/chat';
import { format } from '../i18n/template';
import { whenIdle } from '../primitives/when-idle';
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

/**
 * True while the reply around a code block is still streaming: its finished code blocks wait to
 * be highlighted until the reply ends, so highlighting (and loading lowlight) never takes a
 * streamed frame's time.
 */
export const HighlightHeld = createContext(false);

let nearView: IntersectionObserver | null = null;
const onNearView = new WeakMap<Element, () => void>();

/**
 * Whether `element` has come near the visible part of the page (and stays true once it has): a
 * code block scrolled far out of view is highlighted only when it comes back. Always true where
 * there is no IntersectionObserver.
 */
function useNearView(element: { current: Element | null }, wanted: boolean): boolean {
  const [near, setNear] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const node = element.current;
    if (near || !wanted || !node) return;
    nearView ??= new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          nearView?.unobserve(entry.target);
          onNearView.get(entry.target)?.();
        }
      },
      { rootMargin: '400px 0px' },
    );
    onNearView.set(node, () => setNear(true));
    nearView.observe(node);
    return () => {
      nearView?.unobserve(node);
      onNearView.delete(node);
    };
  }, [element, near, wanted]);
  return near;
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
  /** Still streaming: shown plain, highlighted once finished (and near the view). */
  live?: boolean;
  strings: ChatStrings;
}

/**
 * A fenced code block with a copy button and lazy syntax highlighting: once the block, and the
 * reply around it, have finished arriving, and the block is near the view, at idle time.
 */
export function CodeBlock({ code, lang, live = false, strings }: CodeBlockProps) {
  const [tree, setTree] = useState<{ code: string; root: HastRoot } | null>(null);
  const language = lang?.trim().split(/\s+/)[0]?.toLowerCase() || undefined;
  const held = useContext(HighlightHeld);
  const box = useRef<HTMLDivElement>(null);
  const wanted = !live && !held && language !== undefined;
  const near = useNearView(box, wanted);

  // While the block grows, the effect's inputs stay the same (null), so a streamed frame schedules
  // no effect.
  const source = wanted && near ? code : null;
  useEffect(() => {
    if (source === null || !language) return;
    let cancelled = false;
    // Highlighting is decoration: it waits for idle time, so a reply still streaming keeps its frames.
    const cancelIdle = whenIdle(() => {
      loadHighlighter()
        .then((lowlight) => {
          if (cancelled || !lowlight.registered(language)) return;
          setTree({ code: source, root: lowlight.highlight(language, source) });
        })
        .catch(() => {
          // The plain code is already on screen.
        });
    });
    return () => {
      cancelled = true;
      cancelIdle();
    };
  }, [source, language]);

  const highlighted = tree && tree.code === code ? renderHast(tree.root.children) : code;
  return (
    <div ref={box} className="parlance-code" data-slot="code-block" data-language={language}>
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
