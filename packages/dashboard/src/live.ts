import {
  backoff,
  decodeEmbedding,
  type EmbeddingMessage,
  type LiveTextMessage,
  PROTOCOL_VERSION,
  parseLiveText,
} from '@mphate/protocol';
import { BehaviorSubject, filter, Observable, retry, Subject, type Subscription, share, timer } from 'rxjs';
import { getToken } from './auth.js';

/**
 * The live WebSocket (`/ws/live`) as rxjs streams. It reconnects by itself with exponential
 * backoff (0.5 s doubling to 10 s), re-subscribes to every session it was following, and
 * publishes its connection state so the page can show it.
 */

export type ConnectionStatus = 'connecting' | 'open' | 'waiting';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Failed attempts since the last successful connection. */
  attempt: number;
  /** When waiting: ms until the next attempt. */
  retryInMs?: number;
  /** Why the last connection ended, when known. */
  reason?: string;
}

export type LiveMessage = LiveTextMessage | EmbeddingMessage;

/** Reconnect delay: 0.5 s doubling to 10 s (the callback's transport uses the same helper). */
export const backoffMs = (attempt: number): number => backoff(attempt, 500, 10_000);

export class LiveClient {
  readonly state$ = new BehaviorSubject<ConnectionState>({ status: 'connecting', attempt: 0 });
  /** Every message from the server, decoded. */
  readonly messages$ = new Subject<LiveMessage>();
  /** Protocol errors the page should show (a message that did not decode). */
  readonly errors$ = new Subject<string>();
  private readonly followed = new Set<string>();
  private socket: WebSocket | null = null;
  private running: Subscription | null = null;

  constructor(private readonly url: () => string = defaultLiveUrl) {}

  /** Messages of one type, typed. */
  on<T extends LiveMessage['type']>(type: T): Observable<Extract<LiveMessage, { type: T }>> {
    return this.messages$.pipe(
      filter((m): m is Extract<LiveMessage, { type: T }> => m.type === type),
      share(),
    );
  }

  start(): void {
    if (this.running) return;
    const connection$ = new Observable<MessageEvent>((subscriber) => {
      this.state$.next({ ...this.state$.value, status: 'connecting' });
      const socket = new WebSocket(this.url());
      socket.binaryType = 'arraybuffer';
      this.socket = socket;
      socket.onopen = () => {
        this.state$.next({ status: 'open', attempt: 0 });
        for (const id of this.followed) this.send('subscribe', id);
      };
      socket.onmessage = (event) => subscriber.next(event);
      socket.onclose = (event) => {
        this.socket = null;
        subscriber.error(new Error(event.reason || `connection closed (${event.code})`));
      };
      return () => {
        socket.onclose = null;
        socket.onmessage = null;
        if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING)
          socket.close();
        if (this.socket === socket) this.socket = null;
      };
    });
    this.running = connection$
      .pipe(
        retry({
          resetOnSuccess: true,
          delay: (error: Error) => {
            const attempt = this.state$.value.attempt + 1;
            const wait = backoffMs(attempt);
            this.state$.next({ status: 'waiting', attempt, retryInMs: wait, reason: error.message });
            return timer(wait);
          },
        }),
      )
      .subscribe((event) => this.dispatch(event));
  }

  stop(): void {
    this.running?.unsubscribe();
    this.running = null;
  }

  /** Reconnects now (e.g. after the token changed). */
  restart(): void {
    this.stop();
    this.state$.next({ status: 'connecting', attempt: 0 });
    this.start();
  }

  follow(id: string): void {
    if (this.followed.has(id)) return;
    this.followed.add(id);
    this.send('subscribe', id);
  }

  unfollow(id: string): void {
    if (!this.followed.delete(id)) return;
    this.send('unsubscribe', id);
  }

  get following(): ReadonlySet<string> {
    return this.followed;
  }

  private send(type: 'subscribe' | 'unsubscribe', session: string): void {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type, v: PROTOCOL_VERSION, session }));
    }
  }

  private dispatch(event: MessageEvent): void {
    try {
      if (typeof event.data === 'string') this.messages$.next(parseLiveText(event.data));
      else this.messages$.next(decodeEmbedding(new Uint8Array(event.data as ArrayBuffer)));
    } catch (error) {
      this.errors$.next(`live message refused: ${(error as Error).message}`);
    }
  }
}

export function defaultLiveUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const token = getToken();
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}://${window.location.host}/ws/live${query}`;
}
