/**
 * Reconnect delays, shared by every client that reconnects (the callback's ingest socket, the
 * dashboard's live socket): `minMs` before the first retry, doubling per failed attempt, never
 * more than `maxMs`. `attempt` counts failed attempts since the last success, from 1.
 */
export function backoff(attempt: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
}
