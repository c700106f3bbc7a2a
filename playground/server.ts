// The server the playground is served from: its API, and the models it lists.
import { createClient } from 'parlance/core';
import { useEffect, useState } from 'react';

export const API = new URL('/v1', location.href).href;
const client = createClient({ baseUrl: API });

export type ServerModels = { status: 'loading' } | { status: 'ready'; ids: string[] } | { status: 'error' };

export function useServerModels(): ServerModels {
  const [models, setModels] = useState<ServerModels>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    client.models.list({ signal: controller.signal }).then(
      (list) => setModels({ status: 'ready', ids: list.data.map((m) => m.id) }),
      () => {
        if (!controller.signal.aborted) setModels({ status: 'error' });
      },
    );
    return () => controller.abort();
  }, []);
  return models;
}
