import type { Store } from './store.js';

/**
 * Sessions another process adds to the store while this server runs (`mphate import` on the
 * same --data folder, which writes SQLite directly): noticed within `intervalMs`, so they are
 * listed and embedded like sessions the server stored itself. One indexed read of the session
 * rows per tick; sessions this server made are known already and cost nothing more.
 */
export const STORE_WATCH_MS = 2000;

export async function watchStore(
  store: Store | undefined,
  onNew: (id: string) => void,
  intervalMs = STORE_WATCH_MS,
): Promise<() => void> {
  if (!store) return () => {};
  const known = new Set((await store.listSessions()).map((s) => s.id));
  let reading = false;
  const timer = setInterval(() => {
    if (reading) return;
    reading = true;
    store
      .listSessions()
      .then((rows) => {
        for (const s of rows) {
          if (known.has(s.id)) continue;
          known.add(s.id);
          onNew(s.id);
        }
      })
      // closing, or a transient busy store: the next tick reads again
      .catch(() => {})
      .finally(() => {
        reading = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
