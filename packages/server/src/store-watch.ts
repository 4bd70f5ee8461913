import type { SessionStore } from './session-store.js';

/**
 * Sessions another process adds to the store while this server runs (`mphate import` on the
 * same --data folder, which writes SQLite directly): noticed within `intervalMs`, so they are
 * listed and embedded like sessions the server stored itself. One indexed read of the session
 * rows per tick; sessions this server made are known already and cost nothing more.
 */
export const STORE_WATCH_MS = 2000;

export function watchStore(
  store: SessionStore,
  onNew: (id: string) => void,
  intervalMs = STORE_WATCH_MS,
): () => void {
  const known = new Set(store.listSessions().map((s) => s.id));
  const timer = setInterval(() => {
    let rows: ReturnType<SessionStore['listSessions']>;
    try {
      rows = store.listSessions();
    } catch {
      return; // closing, or a transient SQLite busy: the next tick reads again
    }
    for (const s of rows) {
      if (known.has(s.id)) continue;
      known.add(s.id);
      onNew(s.id);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
