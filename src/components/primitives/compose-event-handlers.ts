/**
 * Runs the user's handler first; ours runs unless the user called `preventDefault()`.
 */
export function composeEventHandlers<E extends { defaultPrevented: boolean }>(
  theirs: ((event: E) => void) | undefined,
  ours: (event: E) => void,
): (event: E) => void {
  return (event) => {
    theirs?.(event);
    if (!event.defaultPrevented) ours(event);
  };
}

/** The window that owns `node`, which differs from the global one inside iframes. */
export function getOwnerWindow(node: Node | null | undefined): Window & typeof globalThis {
  return (node?.ownerDocument?.defaultView ?? window) as Window & typeof globalThis;
}
