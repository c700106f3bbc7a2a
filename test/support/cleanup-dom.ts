import { afterEach } from 'vitest';

// Vitest runs without globals, so Testing Library cannot register its own cleanup: unmount
// whatever a jsdom test rendered before the environment is torn down, or a late commit (a
// resolved count, a timer) runs against a window that no longer exists.
afterEach(async () => {
  if (typeof document === 'undefined') return;
  const { cleanup } = await import('@testing-library/react');
  cleanup();
});
