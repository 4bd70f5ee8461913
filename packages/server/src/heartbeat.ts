/**
 * Idle sockets are reaped: every socket of `wss` is pinged each `intervalMs`; one that has not
 * answered the previous ping (a vanished peer, a half-open TCP connection) is terminated.
 */
import type { WebSocket, WebSocketServer } from 'ws';

export function keepAlive(wss: WebSocketServer, intervalMs: number): void {
  const alive = new WeakMap<WebSocket, boolean>();
  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
  });
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  wss.on('close', () => clearInterval(timer));
}
