import kitCss from '../styles.css?inline';

import widgetCss from './widget.css?inline';

/**
 * Inside a shadow root `rem` resolves against the host page's `<html>` font size, which the widget
 * does not control (a host with `html { font-size: 40px }` would blow the layout up), so rem
 * lengths become px at the browser default of 16px. `:root` matches nothing in a shadow tree.
 */
function shadowCss(css: string): string {
  return css
    .replace(/(-?\d*\.?\d+)rem\b/g, (_, n: string) => `${+(Number(n) * 16).toFixed(3)}px`)
    .replace(/:root\b/g, ':host');
}

// The kit declares its --parlance-* defaults on .parlance-root, inside the shadow tree, where they
// would override whatever the host sets on the element. Moved to :host, they become defaults the
// host page's own rules for the element (style="--parlance-…", a stylesheet) win over, as the
// cascade gives the outer context precedence, and they still inherit down to .parlance-root.
const HOISTED: Record<string, string> = {
  '.parlance-root': ':host',
  '.parlance-root[data-theme="dark"]': ':host([theme="dark"])',
  '.parlance-root[data-theme="auto"]': ':host(:not([theme="light"]):not([theme="dark"]))',
};

interface RuleContainer {
  readonly cssRules: CSSRuleList;
  insertRule(rule: string, index?: number): number;
}

function hoistTokens(container: RuleContainer): void {
  for (let i = 0; i < container.cssRules.length; i++) {
    const rule = container.cssRules[i]!;
    if ('selectorText' in rule && 'style' in rule) {
      const styleRule = rule as CSSStyleRule;
      const target = HOISTED[styleRule.selectorText];
      if (!target) continue;
      const tokens: string[] = [];
      for (const name of Array.from(styleRule.style)) {
        if (!name.startsWith('--')) continue;
        tokens.push(`${name}: ${styleRule.style.getPropertyValue(name)};`);
        styleRule.style.removeProperty(name);
      }
      if (tokens.length > 0) {
        container.insertRule(`${target} { ${tokens.join(' ')} }`, i);
        i++;
      }
    } else if ('cssRules' in rule && 'insertRule' in rule) {
      hoistTokens(rule as unknown as RuleContainer);
    }
  }
}

const sheets = new WeakMap<Document, CSSStyleSheet>();

/**
 * Adopts the kit's and the widget's stylesheet into a shadow root, as one constructable
 * stylesheet shared by every widget in the document. Constructable sheets are not `<style>`
 * elements, so a CSP without `'unsafe-inline'` in `style-src` does not block them.
 */
export function adoptStyles(shadow: ShadowRoot): void {
  const doc = shadow.ownerDocument;
  const view = doc.defaultView;
  const css = () => shadowCss(`${kitCss}\n${widgetCss}`);
  if (view && 'adoptedStyleSheets' in shadow && 'replaceSync' in view.CSSStyleSheet.prototype) {
    let sheet = sheets.get(doc);
    if (!sheet) {
      sheet = new view.CSSStyleSheet();
      sheet.replaceSync(css());
      hoistTokens(sheet);
      sheets.set(doc, sheet);
    }
    if (!shadow.adoptedStyleSheets.includes(sheet)) {
      shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
    }
    return;
  }
  const style = doc.createElement('style');
  style.textContent = css();
  shadow.prepend(style);
  if (style.sheet) hoistTokens(style.sheet);
}
