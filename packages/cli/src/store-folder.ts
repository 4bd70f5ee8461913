import type { SessionStore } from '@mphate/server';
import { dataFolder } from './flags.js';

/** Opens the session store of `--data DIR` (or the default folder), runs `work`, always closes it. */
export async function withStore<T>(
  data: string | undefined,
  work: (store: SessionStore) => Promise<T>,
): Promise<T> {
  const { SessionStore } = await import('@mphate/server');
  // Off any server's event loop: this command may wait for the server's writes.
  const store = new SessionStore(dataFolder(data), { busyTimeoutMs: 10_000 });
  try {
    return await work(store);
  } finally {
    store.close();
  }
}
