/**
 * The few WebSocket features the transport uses, common to the browser's WebSocket and Node's `ws`.
 * Node 20 has no global WebSocket, so there we load `ws` at run time; the browser bundle marks `ws`
 * external and never reaches that import.
 */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null;
  onerror: ((event: { message?: string; error?: unknown }) => void) | null;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string) => Promise<SocketLike>;

export const OPEN = 1;

export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** `ws` in Node (no global WebSocket before Node 22), the global WebSocket elsewhere. */
export const defaultSocketFactory: SocketFactory = async (url) => {
  if (isNode()) {
    const mod = (await import('ws')) as unknown as { WebSocket?: unknown; default?: unknown };
    const WS = (mod.WebSocket ?? mod.default) as new (url: string) => SocketLike;
    return new WS(url);
  }
  const WS = (globalThis as { WebSocket?: new (url: string) => SocketLike }).WebSocket;
  if (!WS) throw new Error('this environment has no WebSocket');
  return new WS(url);
};

/** Node only: whether an open socket keeps the process alive (an idle socket should not). */
export function setKeepAlive(socket: SocketLike, keep: boolean): void {
  // `ws` keeps its net.Socket in `_socket`; browsers have nothing to (un)ref.
  const raw = (socket as unknown as { _socket?: { ref?(): void; unref?(): void } })._socket;
  if (keep) raw?.ref?.();
  else raw?.unref?.();
}

/** Node only: timers that must not keep the process alive. */
export function unrefTimer(timer: unknown): void {
  (timer as { unref?(): void } | undefined)?.unref?.();
}
