import {
  backoff,
  type EndMessage,
  type EpochMessage,
  type HelloMessage,
  type IngestReply,
  PROTOCOL_VERSION,
  parseIngestReply,
  type SessionHeader,
} from '@mphate/protocol';
import {
  defaultSocketFactory,
  OPEN,
  type SocketFactory,
  type SocketLike,
  setKeepAlive,
  unrefTimer,
} from './socket.js';

/**
 * Delivery to the server's `/ws/ingest` (docs/protocol.md, architecture "Delivery").
 *
 * Every message stays in `queue` until the server acknowledges it (it acks after committing).
 * `hello` is sent first on every connection; after the server's `welcome`, everything still
 * unacknowledged is (re)sent in order, and the server ignores numbers it already stores. Nothing
 * here throws into training and nothing here is awaited by training: `send` only queues and writes
 * to an open socket. While the server is unreachable the queue is bounded by bytes; past the bound
 * the oldest messages are dropped, with one warning.
 */

export interface TransportOptions {
  /** ws:// or wss:// base URL of the server (http(s):// is accepted and converted). */
  server: string;
  token?: string;
  header: SessionHeader;
  /** Bound on unacknowledged bytes (default 256 MiB). */
  maxQueueBytes?: number;
  warn?: (message: string) => void;
  socketFactory?: SocketFactory;
  /** Reconnect backoff: first delay and ceiling, ms. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

type Kind = 'slice' | 'epoch' | 'end';

interface Outgoing {
  kind: Kind;
  /** Slice number or epoch index; -1 for end. */
  index: number;
  data: string | Uint8Array;
  bytes: number;
}

export interface TransportStats {
  /** Messages waiting for an acknowledgement. */
  pending: number;
  pendingBytes: number;
  /** Messages acknowledged by the server. */
  acknowledged: number;
  /** Messages dropped past the queue bound. */
  dropped: number;
  /** Messages the server refused (and that were dropped). */
  rejected: number;
  connected: boolean;
}

const DEFAULT_MAX_QUEUE_BYTES = 256 * 1024 * 1024;
const WELCOME_TIMEOUT_MS = 10_000;

function formatBytes(bytes: number): string {
  if (bytes >= 1048576) return `${Math.round(bytes / 1048576)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

/** 32 random bytes as hex, from the platform's CSPRNG (Node and browsers alike). */
function randomSecret(): string {
  const bytes = new Uint8Array(32);
  (globalThis as { crypto: { getRandomValues(b: Uint8Array): Uint8Array } }).crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `${server}/ws/ingest?token=...` from what the user wrote. */
function ingestUrl(server: string, token?: string): string {
  let base = server.trim().replace(/\/+$/, '');
  if (/^https?:\/\//i.test(base)) base = base.replace(/^http/i, 'ws');
  if (!/^wss?:\/\//i.test(base)) {
    throw new Error(`server must be a ws:// or http:// URL such as ws://127.0.0.1:7777, got '${server}'`);
  }
  const url = new URL(`${base}/ws/ingest`);
  if (token) url.searchParams.set('token', token);
  return url.toString();
}

export class Transport {
  private readonly url: string;
  private readonly maxQueueBytes: number;
  private readonly warnFn: (message: string) => void;
  private readonly socketFactory: SocketFactory;
  private readonly minBackoff: number;
  private readonly maxBackoff: number;
  private readonly warned = new Set<string>();
  private readonly queue: Outgoing[] = [];
  private queueBytes = 0;
  private socket: SocketLike | null = null;
  /** True between the server's welcome and the socket's close: sends go straight out. */
  private ready = false;
  private everConnected = false;
  private stopped = false;
  private ended = false;
  /** Failed connection attempts since the last welcome (the reconnect delay grows with it). */
  private failures = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private welcomeTimer: ReturnType<typeof setTimeout> | null = null;
  private waiters: ((ok: boolean) => void)[] = [];
  private stats = { acknowledged: 0, dropped: 0, rejected: 0 };

  /** The session's secret, presented in every hello (docs/protocol.md): only we may resume the session. */
  private readonly secret = randomSecret();

  constructor(private readonly options: TransportOptions) {
    this.url = ingestUrl(options.server, options.token);
    this.maxQueueBytes = options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES;
    this.warnFn = options.warn ?? ((m) => console.warn(m));
    this.socketFactory = options.socketFactory ?? defaultSocketFactory;
    this.minBackoff = options.minBackoffMs ?? 250;
    this.maxBackoff = options.maxBackoffMs ?? 5000;
    this.connect();
  }

  sendSlice(index: number, frame: Uint8Array): void {
    this.enqueue({ kind: 'slice', index, data: frame, bytes: frame.byteLength });
  }

  sendEpoch(message: Omit<EpochMessage, 'type' | 'v'>): void {
    const text = JSON.stringify({ type: 'epoch', v: PROTOCOL_VERSION, ...message } satisfies EpochMessage);
    this.enqueue({ kind: 'epoch', index: message.index, data: text, bytes: text.length * 2 });
  }

  sendEnd(message: Omit<EndMessage, 'type' | 'v'>): void {
    if (this.ended) return;
    this.ended = true;
    const text = JSON.stringify({ type: 'end', v: PROTOCOL_VERSION, ...message } satisfies EndMessage);
    this.enqueue({ kind: 'end', index: -1, data: text, bytes: text.length * 2 });
  }

  getStats(): TransportStats {
    return {
      pending: this.queue.length,
      pendingBytes: this.queueBytes,
      ...this.stats,
      connected: this.ready,
    };
  }

  /** Resolves true once nothing is waiting for an acknowledgement, false when `timeoutMs` passes first. */
  flush(timeoutMs = 30_000): Promise<boolean> {
    if (this.queue.length === 0 || this.stopped) return Promise.resolve(this.queue.length === 0);
    return new Promise((resolve) => {
      let done = false;
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (value: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(value);
      };
      this.waiters.push(finish);
    });
  }

  /** Stops for good: no more reconnects; whatever is unacknowledged is abandoned. */
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    this.ready = false;
    if (socket) {
      try {
        socket.close(1000, 'done');
      } catch {
        // already closed
      }
    }
    this.notifyWaiters(this.queue.length === 0);
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    try {
      this.warnFn(message);
    } catch {
      // a user's warn hook must not break training either
    }
  }

  private enqueue(message: Outgoing): void {
    if (this.stopped) return;
    this.queue.push(message);
    this.queueBytes += message.bytes;
    while (this.queueBytes > this.maxQueueBytes && this.queue.length > 1) {
      const old = this.queue.shift()!;
      this.queueBytes -= old.bytes;
      this.stats.dropped++;
      this.warnOnce(
        'dropped',
        `[mphate] more than ${formatBytes(this.maxQueueBytes)} are waiting for the server at ${this.options.server}: dropping the oldest messages, so the session will have gaps (raise maxQueueBytes or start the server)`,
      );
    }
    if (this.socket) setKeepAlive(this.socket, true);
    if (this.ready) this.write(message);
  }

  private write(message: Outgoing): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return;
    try {
      socket.send(message.data);
    } catch {
      // the close handler reconnects and resends
    }
  }

  private connect(): void {
    if (this.stopped) return;
    this.socketFactory(this.url).then(
      (socket) => this.attach(socket),
      (error: unknown) => this.onDisconnect(error instanceof Error ? error.message : String(error)),
    );
  }

  private attach(socket: SocketLike): void {
    if (this.stopped) {
      socket.close();
      return;
    }
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    let lastError = '';
    socket.onopen = () => {
      this.everConnected = true;
      const hello: HelloMessage = {
        type: 'hello',
        v: PROTOCOL_VERSION,
        session: this.options.header,
        secret: this.secret,
      };
      socket.send(JSON.stringify(hello));
      this.welcomeTimer = setTimeout(() => socket.close(4000, 'no welcome'), WELCOME_TIMEOUT_MS);
      unrefTimer(this.welcomeTimer);
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let reply: IngestReply;
      try {
        reply = parseIngestReply(event.data);
      } catch (error) {
        this.warnOnce(
          'reply',
          `[mphate] the server sent a reply this callback does not understand: ${(error as Error).message}`,
        );
        return;
      }
      this.onReply(reply);
    };
    socket.onerror = (event) => {
      lastError = event.message ?? (event.error instanceof Error ? event.error.message : '') ?? '';
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.ready = false;
      if (this.welcomeTimer) clearTimeout(this.welcomeTimer);
      this.onDisconnect(lastError || event.reason || `closed with code ${event.code ?? '?'}`);
    };
    setKeepAlive(socket, this.queue.length > 0);
  }

  private onReply(reply: IngestReply): void {
    switch (reply.type) {
      case 'welcome': {
        if (this.welcomeTimer) clearTimeout(this.welcomeTimer);
        this.ready = true;
        this.failures = 0;
        // The server stores slices and epochs in the order they were sent, so everything below its
        // counts is already stored (or was refused): no need to send it again.
        this.removeWhere(
          (m) =>
            (m.kind === 'slice' && m.index < reply.slices) || (m.kind === 'epoch' && m.index < reply.epochs),
        );
        for (const message of this.queue) this.write(message);
        break;
      }
      case 'ack':
        this.stats.acknowledged++;
        this.removeWhere((m) => m.kind === reply.of && (reply.of === 'end' || m.index === reply.index));
        break;
      case 'reject': {
        if (reply.retryable) {
          // Not stored, not lost: the server closes, we reconnect with backoff and resend it.
          this.warnOnce(
            'retry',
            `[mphate] the server cannot store messages right now (${reply.reason}); they are kept and sent again when it can`,
          );
          break;
        }
        this.stats.rejected++;
        const what = reply.index === undefined ? reply.of : `${reply.of} ${reply.index}`;
        // Once per kind of message: a diverged run would otherwise print one line per slice.
        this.warnOnce(
          `reject:${reply.of === 'frame' ? 'slice' : reply.of}`,
          `[mphate] the server refused ${what}: ${reply.reason} (dropped; later refusals of this kind are counted, not shown)`,
        );
        if (reply.of === 'hello') {
          // The session itself is refused: resending can never succeed.
          this.warnOnce(
            'gave-up',
            '[mphate] the session was refused by the server; nothing more will be sent',
          );
          this.queue.length = 0;
          this.queueBytes = 0;
          this.stop();
          return;
        }
        if (reply.index === undefined && (reply.of === 'frame' || reply.of === 'slice')) {
          // A binary message refused without its number: the server handles messages in order and
          // acknowledged everything before it, so it is the oldest unacknowledged slice.
          const i = this.queue.findIndex((m) => m.kind === 'slice');
          if (i >= 0) this.removeAt(i);
        } else {
          this.removeWhere((m) => m.kind === reply.of && (reply.of === 'end' || m.index === reply.index));
        }
        break;
      }
    }
    if (this.ended && this.queue.length === 0) {
      // Everything, `end` included, is stored: the connection has no more use.
      this.stop();
    }
  }

  private removeAt(i: number): void {
    const [m] = this.queue.splice(i, 1);
    if (m) this.queueBytes -= m.bytes;
    this.afterRemove();
  }

  private removeWhere(predicate: (m: Outgoing) => boolean): void {
    let removed = false;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (predicate(this.queue[i]!)) {
        this.queueBytes -= this.queue[i]!.bytes;
        this.queue.splice(i, 1);
        removed = true;
      }
    }
    if (removed) this.afterRemove();
  }

  private afterRemove(): void {
    if (this.queue.length === 0) {
      if (this.socket) setKeepAlive(this.socket, false);
      this.notifyWaiters(true);
    }
  }

  private notifyWaiters(ok: boolean): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(ok);
  }

  private onDisconnect(reason: string): void {
    if (this.stopped) return;
    if (this.everConnected) {
      this.warnOnce(
        'lost',
        `[mphate] lost the connection to the M-PHATE server at ${this.options.server} (${reason}); training goes on, reconnecting and resending what was not acknowledged`,
      );
    } else {
      this.warnOnce(
        'unreachable',
        `[mphate] cannot reach the M-PHATE server at ${this.options.server} (${reason}). Training goes on; up to ${formatBytes(this.maxQueueBytes)} are kept and sent when it is reachable. Start it with 'pnpm mphate serve', or pass server: false.`,
      );
    }
    this.reconnectTimer = setTimeout(
      () => {
        this.reconnectTimer = null;
        this.connect();
      },
      backoff(++this.failures, this.minBackoff, this.maxBackoff),
    );
    // A retry must not keep a finished script alive; `flush()` does when the user wants to wait.
    unrefTimer(this.reconnectTimer);
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.welcomeTimer) clearTimeout(this.welcomeTimer);
    this.reconnectTimer = null;
    this.welcomeTimer = null;
  }
}
