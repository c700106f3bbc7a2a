// Several widgets may be open full screen at once; the page scrolls again only when the last one closes.
const holders = new WeakMap<Document, { count: number; overflow: string }>();

/** Stops the host page behind a full-screen panel from scrolling. Returns the release function. */
export function lockScroll(doc: Document): () => void {
  const root = doc.documentElement;
  let state = holders.get(doc);
  if (!state) {
    // CSSOM writes, not a style attribute: allowed under a CSP without 'unsafe-inline' styles.
    state = { count: 0, overflow: root.style.getPropertyValue('overflow') };
    root.style.setProperty('overflow', 'hidden', 'important');
    holders.set(doc, state);
  }
  state.count++;
  let released = false;
  return () => {
    if (released || !state) return;
    released = true;
    state.count--;
    if (state.count === 0) {
      root.style.removeProperty('overflow');
      if (state.overflow) root.style.setProperty('overflow', state.overflow);
      holders.delete(doc);
    }
  };
}
