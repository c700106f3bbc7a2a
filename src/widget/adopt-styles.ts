import kitCss from '../styles.css?inline';

import widgetCss from './widget.css?inline';

/**
 * Inside a shadow root `rem` resolves against the host page's `<html>` font size, which the widget
 * does not control (a host with `html { font-size: 40px }` would blow the layout up), so rem
 * lengths become px at the browser default of 16px. `:root` matches nothing in a shadow tree, so
 * token declarations written for it move to `:host`, where the host's own `--parlance-*` values on
 * the element still win.
 */
export function shadowCss(css: string): string {
  return css
    .replace(/(-?\d*\.?\d+)rem\b/g, (_, n: string) => `${+(Number(n) * 16).toFixed(3)}px`)
    .replace(/:root\b/g, ':host');
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
  const css = shadowCss(`${kitCss}\n${widgetCss}`);
  if (view && 'adoptedStyleSheets' in shadow && 'replaceSync' in view.CSSStyleSheet.prototype) {
    let sheet = sheets.get(doc);
    if (!sheet) {
      sheet = new view.CSSStyleSheet();
      sheet.replaceSync(css);
      sheets.set(doc, sheet);
    }
    if (!shadow.adoptedStyleSheets.includes(sheet)) {
      shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
    }
    return;
  }
  const style = doc.createElement('style');
  style.textContent = css;
  shadow.prepend(style);
}
