// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, test } from 'vitest';

import {
  AbortError,
  ApiError,
  ChatStorageError,
  ImagePacer,
  createImageSession,
  createMemoryStorage,
} from 'parlance/core';
import { EmptyPromptError } from '../../../src/core/images/errors';
import { useImageEdit, useImageGeneration, useImageVariation } from 'parlance';

function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

describe('useImageGeneration', () => {
  test('goes pending → success, keeps a history and normalises b64 results', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fetch = async () => {
      await gate;
      return json({
        created: 1,
        data: [{ b64_json: btoa('one'), revised_prompt: 'A calm sea' }, { b64_json: btoa('two') }],
      });
    };
    const { result } = renderHook(() => useImageGeneration({ baseUrl: 'http://x/v1', fetch, pacer: null }));
    expect(result.current.status).toBe('idle');
    let done!: Promise<unknown>;
    act(() => {
      done = result.current.generate({ prompt: 'sea', n: 2 });
    });
    await waitFor(() => expect(result.current.status).toBe('pending'));
    expect(result.current.history).toHaveLength(1);
    expect(result.current.history[0]).toMatchObject({
      status: 'pending',
      n: 2,
      prompt: 'sea',
      operation: 'generate',
    });
    release();
    await act(async () => {
      await done;
    });
    expect(result.current.status).toBe('success');
    expect(result.current.data?.images.map((i) => i.revisedPrompt)).toEqual(['A calm sea', undefined]);
    expect(result.current.history[0]!.status).toBe('success');
    expect(result.current.history[0]!.images).toHaveLength(2);
    expect(result.current.error).toBeNull();
  });

  test('validation errors are typed, nothing is sent, and the status is error', async () => {
    let calls = 0;
    const fetch = async () => (calls++, json({}));
    const { result } = renderHook(() => useImageGeneration({ baseUrl: 'http://x/v1', fetch, pacer: null }));
    await act(async () => {
      await expect(result.current.generate({ prompt: '' })).rejects.toSatisfy(EmptyPromptError.isInstance);
    });
    expect(calls).toBe(0);
    expect(result.current.status).toBe('error');
    expect(EmptyPromptError.isInstance(result.current.error)).toBe(true);
    expect(result.current.history[0]!.status).toBe('error');
    act(() => result.current.reset());
    await waitFor(() => expect(result.current.status).toBe('idle'));
  });

  test('cancel aborts a request on the wire: status back to idle, entry cancelled', async () => {
    const fetch = (_url: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init?.signal?.reason));
      });
    const { result } = renderHook(() => useImageGeneration({ baseUrl: 'http://x/v1', fetch, pacer: null }));
    let done!: Promise<unknown>;
    act(() => {
      done = result.current.generate({ prompt: 'x' }).catch((e: unknown) => e);
    });
    await waitFor(() => expect(result.current.status).toBe('pending'));
    act(() => result.current.cancel());
    expect(AbortError.isInstance(await done)).toBe(true);
    await waitFor(() => expect(result.current.history[0]!.status).toBe('cancelled'));
    expect(result.current.status).toBe('idle');
    expect(result.current.error).toBeNull();
  });

  test('a queued request shows its position and wait from the pacer', async () => {
    const pacer = new ImagePacer({ imagesPerMinute: 1, burst: 1 });
    await pacer.acquire(1);
    const fetch = async () => json({ created: 1, data: [{ url: 'https://img.example/a.png' }] });
    const { result } = renderHook(() => useImageGeneration({ baseUrl: 'http://x/v1', fetch, pacer }));
    act(() => {
      void result.current.generate({ prompt: 'x' }).catch(() => {});
    });
    await waitFor(() => expect(result.current.status).toBe('queued'));
    expect(result.current.queue).toMatchObject({ position: 1, images: 1 });
    expect(result.current.queue!.waitMs).toBeGreaterThan(50_000);
    expect(result.current.history[0]!.status).toBe('queued');
    act(() => result.current.cancel());
    await waitFor(() => expect(result.current.status).toBe('idle'));
    expect(result.current.queue).toBeNull();
  });

  test('API errors surface as ApiError with the status', async () => {
    const fetch = async () =>
      json(
        {
          error: {
            message: 'Your request was rejected',
            type: 'invalid_request_error',
            code: 'content_policy_violation',
            param: null,
          },
        },
        400,
      );
    const { result } = renderHook(() => useImageGeneration({ baseUrl: 'http://x/v1', fetch, pacer: null }));
    await act(async () => {
      await result.current.generate({ prompt: 'x' }).catch(() => {});
    });
    expect(result.current.status).toBe('error');
    expect(ApiError.isInstance(result.current.error) && result.current.error.code).toBe(
      'content_policy_violation',
    );
  });
});

test('useImageVariation needs an image the browser can decode (Node: typed environment error)', async () => {
  const { result } = renderHook(() =>
    useImageVariation({ baseUrl: 'http://x/v1', fetch: async () => json({}), pacer: null }),
  );
  await act(async () => {
    await result.current.vary({ image: new Blob(['x'], { type: 'image/png' }) }).catch(() => {});
  });
  expect(result.current.status).toBe('error');
  expect((result.current.error as { code?: string }).code).toMatch(/unsupported-environment|not-an-image/);
});

describe('image hooks over one session', () => {
  const fetch = async () => json({ created: 1, data: [{ url: 'https://img.example/a.png' }] });

  test('hooks with the same id share one history across generate, edit and vary', async () => {
    const storage = createMemoryStorage();
    const options = { baseUrl: 'http://x/v1', fetch, pacer: null, id: 'shared-id', storage };
    const { result } = renderHook(() => ({
      generation: useImageGeneration(options),
      edit: useImageEdit(options),
      variation: useImageVariation(options),
    }));
    await act(async () => {
      await result.current.generation.generate({ prompt: 'sea' });
      await result.current.variation.vary({ image: new Blob(['x']) }).catch(() => {});
    });
    const { generation, edit, variation } = result.current;
    expect(generation.history.map((e) => e.operation)).toEqual(['variation', 'generate']);
    expect(edit.history).toBe(generation.history);
    expect(variation.history).toBe(generation.history);
    expect([generation.status, edit.status, variation.status]).toEqual(['success', 'idle', 'error']);
    expect(generation.session).toBe(edit.session);
  });

  test('hooks given the same session share it; a remount over the same storage restores the history', async () => {
    const storage = createMemoryStorage();
    const session = createImageSession({
      id: 'remount',
      storage,
      baseUrl: 'http://x/v1',
      fetch,
      pacer: null,
    });
    const first = renderHook(
      () => [useImageGeneration({ session }), useImageVariation({ session })] as const,
    );
    await act(async () => {
      await first.result.current[0].generate({ prompt: 'kept across reloads' });
    });
    expect(first.result.current[1].history[0]!.prompt).toBe('kept across reloads');
    first.unmount();

    const reloaded = renderHook(() =>
      useImageGeneration({
        baseUrl: 'http://x/v1',
        fetch,
        pacer: null,
        id: 'remount',
        storage: createMemoryStorage(Object.fromEntries(storage.entries)),
      }),
    );
    await waitFor(() => expect(reloaded.result.current.history).toHaveLength(1));
    expect(reloaded.result.current.history[0]).toMatchObject({
      prompt: 'kept across reloads',
      status: 'success',
    });
    expect(reloaded.result.current.status).toBe('idle');
  });

  test('a named session whose stored entry is unreadable reports it through onError and keeps it', async () => {
    const storage = createMemoryStorage({ 'parlance:images:foreign': { not: 'ours' } });
    const errors: unknown[] = [];
    const { result } = renderHook(() =>
      useImageGeneration({
        baseUrl: 'http://x/v1',
        fetch,
        pacer: null,
        id: 'foreign',
        storage,
        onError: (e) => errors.push(e),
      }),
    );
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(ChatStorageError.isInstance(errors[0]) && errors[0].kind).toBe('foreign');
    await act(async () => {
      await result.current.generate({ prompt: 'x' });
    });
    expect(result.current.history).toHaveLength(1);
    expect(storage.entries.get('parlance:images:foreign')).toEqual({ not: 'ours' });
  });

  test("requests go through the app's QueryClient as mutations keyed ['parlance', 'images', operation]", async () => {
    const queryClient = new QueryClient();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = async () => (await gate, json({ created: 1, data: [{ url: 'https://img.example/a.png' }] }));
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    );
    const { result } = renderHook(
      () => useImageGeneration({ baseUrl: 'http://x/v1', fetch: slow, pacer: null }),
      {
        wrapper,
      },
    );
    let done!: Promise<unknown>;
    act(() => {
      done = result.current.generate({ prompt: 'x' });
    });
    await waitFor(() =>
      expect(queryClient.isMutating({ mutationKey: ['parlance', 'images', 'generate'] })).toBe(1),
    );
    release();
    await act(async () => {
      await done;
    });
    expect(queryClient.isMutating()).toBe(0);
    expect(result.current.status).toBe('success');
  });
});
