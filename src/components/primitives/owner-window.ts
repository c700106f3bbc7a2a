/** The window that owns `node`, which differs from the global one inside iframes. */
export function getOwnerWindow(node: Node | null | undefined): Window & typeof globalThis {
  return (node?.ownerDocument?.defaultView ?? window) as Window & typeof globalThis;
}
