import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type TemmlModule from 'temml';

type Temml = typeof TemmlModule;
type TemmlOptions = NonNullable<Parameters<Temml['render']>[2]>;

/**
 * Formulas longer than this are shown as their source: Temml takes about a second for 100 KB of
 * TeX (and gives a megabyte of MathML), and no reply's formula is that long.
 */
const MAX_FORMULA_LENGTH = 8000;

let temml: Temml | undefined;
let loading: Promise<Temml> | undefined;

/** Temml, loaded the first time a reply has math (its own chunk: the main bundle never carries it). */
function loadTemml(): Promise<Temml> {
  loading ??= import('temml').then((module) => {
    temml = (module as { default?: Temml }).default ?? (module as unknown as Temml);
    return temml;
  });
  return loading;
}

/**
 * Untrusted TeX: nothing that makes HTML, loads a resource or links anywhere. `trust: false`
 * refuses `\includegraphics`, `\class`, `\style`, `\id` and `\data`; Temml has no `\href` or `\url`
 * (MathML has no links), so those become their text. Expansion and sizes are bounded.
 */
function options(display: boolean): TemmlOptions {
  return {
    displayMode: display,
    throwOnError: true,
    trust: false,
    strict: false,
    annotate: true,
    maxExpand: 500,
    maxSize: [20, 200],
    // A fresh object each time: `\gdef` writes into it, and one reply must not define another's macros.
    macros: { '\\href': '\\@secondoftwo{#1}{#2}', '\\url': '\\text{#1}' },
  };
}

export interface MathFormulaProps {
  tex: string;
  display: boolean;
  /** The source as written (`$x$`), shown until the formula renders, and if it cannot. */
  raw: string;
  /** A block of its own (a `div`), not within a line. Default: false. */
  block?: boolean;
}

/** The formula built off-document: a `<math>` element, or why it could not be built. */
type Built = { node: Element; failure?: undefined } | { node?: undefined; failure: string };

function build(engine: Temml, tex: string, display: boolean): Built {
  if (tex.length > MAX_FORMULA_LENGTH) {
    return { failure: `The formula is longer than ${MAX_FORMULA_LENGTH} characters` };
  }
  const holder = document.createElement('span');
  try {
    engine.render(tex, holder, options(display));
  } catch (error) {
    // Temml's ParseError, or a RangeError for TeX nested deeper than the call stack.
    return { failure: error instanceof Error ? error.message.split('\n')[0]!.trim() : 'Invalid formula' };
  }
  const node = holder.firstElementChild;
  return node ? { node } : { failure: 'Invalid formula' };
}

/**
 * A formula rendered as MathML by Temml. Until Temml has loaded (and when the TeX is invalid or too
 * long) the source shows as code. Temml builds DOM nodes, never HTML text, into an element React
 * leaves alone.
 */
export function MathFormula({ tex, display, raw, block = false }: MathFormulaProps) {
  const [engine, setEngine] = useState(temml);
  const [loadFailed, setLoadFailed] = useState(false);
  const target = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    if (engine) return;
    let live = true;
    loadTemml().then(
      (loaded) => live && setEngine(() => loaded),
      () => live && setLoadFailed(true),
    );
    return () => {
      live = false;
    };
  }, [engine]);

  const built = useMemo(() => (engine ? build(engine, tex, display) : null), [engine, tex, display]);
  useLayoutEffect(() => {
    const element = target.current;
    if (!element) return;
    if (built?.node) element.replaceChildren(built.node);
    else element.replaceChildren();
  }, [built]);

  const rendered = Boolean(built?.node);
  const failure = loadFailed ? 'The math renderer could not be loaded' : (built?.failure ?? null);
  const Tag = block ? 'div' : 'span';
  return (
    <Tag
      className={display ? 'parlance-math parlance-math-display' : 'parlance-math'}
      data-slot="math"
      data-state={rendered ? 'rendered' : failure ? 'error' : 'loading'}
    >
      {!rendered && (
        <code className="parlance-math-source" title={failure ?? undefined}>
          {raw}
        </code>
      )}
      <span ref={target} hidden={!rendered} />
    </Tag>
  );
}
