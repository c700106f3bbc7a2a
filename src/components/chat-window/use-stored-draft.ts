import { useCallback, useEffect, useRef, useState } from 'react';

import { draftStorageKey, type ChatStorage } from '../../core';

const WRITE_DELAY_MS = 300;

/**
 * The composer's draft, kept per conversation in the conversation's storage
 * (`parlance:draft:<id>`): read back after mount (never during render), written a moment after
 * typing stops, on `pagehide` and on unmount, and removed once it is empty (sent).
 * Without a storage it is plain state.
 */
export function useStoredDraft(
  storage: ChatStorage | null | undefined,
  id: string,
  initial: string,
): [string, (value: string) => void] {
  const [draft, setDraftState] = useState(initial);
  const pending = useRef<string | null>(null);
  const touched = useRef(false);
  const key = draftStorageKey(id);

  const write = useCallback(() => {
    const value = pending.current;
    if (value === null || !storage) return;
    pending.current = null;
    try {
      const done = value === '' ? storage.remove(key) : storage.set(key, value);
      if (done instanceof Promise) done.catch(() => undefined);
    } catch {
      // A draft that cannot be kept (storage full, private mode) is still in the composer.
    }
  }, [storage, key]);

  useEffect(() => {
    if (!storage) return;
    let live = true;
    const apply = (value: unknown) => {
      // What the user typed since mount wins over what was kept.
      if (live && !touched.current && typeof value === 'string' && value !== '') setDraftState(value);
    };
    try {
      const value = storage.get(key);
      if (value instanceof Promise) value.then(apply, () => undefined);
      else apply(value);
    } catch {
      // An unreadable draft is no draft.
    }
    return () => {
      live = false;
    };
  }, [storage, key]);

  useEffect(() => {
    if (!storage) return;
    const onPageHide = () => write();
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      write();
    };
  }, [storage, write]);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const setDraft = useCallback(
    (value: string) => {
      touched.current = true;
      setDraftState(value);
      if (!storage) return;
      pending.current = value;
      clearTimeout(timer.current);
      // An emptied draft (a message sent) goes at once: a reload must not bring it back.
      if (value === '') write();
      else timer.current = setTimeout(write, WRITE_DELAY_MS);
    },
    [storage, write],
  );
  return [draft, setDraft];
}
