import { useCallback, type Ref } from 'react';

/** Sets a ref to `node`: a callback ref is called, an object ref assigned. */
function setRef<T>(ref: Ref<T> | undefined, node: T | null): void {
  if (typeof ref === 'function') ref(node);
  else if (ref) (ref as { current: T | null }).current = node;
}

/**
 * One callback ref for a component root that the component needs itself (`own`) and also
 * forwards to the app (`forwarded`), on React 18 and 19.
 */
export function useComposedRefs<T>(own: Ref<T> | undefined, forwarded: Ref<T> | undefined) {
  return useCallback(
    (node: T | null) => {
      setRef(own, node);
      setRef(forwarded, node);
    },
    [own, forwarded],
  );
}
