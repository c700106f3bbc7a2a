import { useCallback, useEffect, useRef, useState } from 'react';

import { useLatest } from './use-latest';

interface UseControllableStateParams<T> {
  /** The controlled value; `undefined` means uncontrolled. */
  prop: T | undefined;
  defaultProp: T;
  onChange?: ((value: T) => void) | undefined;
  /** Names the component in the dev warning when it switches between controlled and not. */
  caller: string;
}

/**
 * One helper for every `value`/`defaultValue`/`onValueChange` triple.
 */
export function useControllableState<T>({
  prop,
  defaultProp,
  onChange,
  caller,
}: UseControllableStateParams<T>) {
  const [uncontrolled, setUncontrolled] = useState(defaultProp);
  const isControlled = prop !== undefined;
  const value = isControlled ? prop : uncontrolled;
  const onChangeRef = useLatest(onChange);

  const wasControlled = useRef(isControlled);
  useEffect(() => {
    if (wasControlled.current !== isControlled && process.env.NODE_ENV !== 'production') {
      console.warn(
        `${caller} is changing from ${wasControlled.current ? 'controlled' : 'uncontrolled'} to ${
          isControlled ? 'controlled' : 'uncontrolled'
        }. Pick one for the lifetime of the component: pass \`value\` always, or only \`defaultValue\`.`,
      );
    }
    wasControlled.current = isControlled;
  }, [isControlled, caller]);

  const setValue = useCallback(
    (next: T | ((prev: T) => T)) => {
      const resolved = typeof next === 'function' ? (next as (prev: T) => T)(value) : next;
      if (Object.is(resolved, value)) return;
      if (!isControlled) setUncontrolled(resolved);
      onChangeRef.current?.(resolved);
    },
    [isControlled, value, onChangeRef],
  );

  return [value, setValue] as const;
}
