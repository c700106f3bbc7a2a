import { useInsertionEffect, useRef } from 'react';

/** A ref that always holds the latest value, so callbacks handed to a core object never go stale. */
export function useLatest<T>(value: T) {
  const ref = useRef(value);
  useInsertionEffect(() => {
    ref.current = value;
  });
  return ref;
}
