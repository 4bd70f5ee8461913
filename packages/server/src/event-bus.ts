/**
 * Fan-out between the processes of a team deployment (several `serve` instances, embedding
 * workers) over PostgreSQL LISTEN/NOTIFY on the store's database: events carry ids (and a
 * job's progress), never bulk data; each instance reads what it pushes from the store. One
 * dedicated connection listens; when it drops (the database restarts) it reconnects with
 * backoff and every listener is told (`resync`) so dashboards get fresh state.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

const CHANNEL = 'mphate_events';

export type TeamEvent =
  | { e: 'hello'; s: string }
  | { e: 'slice'; s: string; n: number }
  | { e: 'epoch'; s: string; n: number }
  | { e: 'changed'; s: string }
  | { e: 'deleted'; s: string }
  | { e: 'list' }
  | { e: 'alive'; s: string[] }
  | { e: 'embedding'; s: string }
  | { e: 'progress'; s: string; phase: string; fraction: number; slices: number; final: boolean };

/** What a listener receives: the event and whether this process published it. */
export type TeamListener = (event: TeamEvent, own: boolean) => void;

export class EventBus {
  /** This process, so a listener can tell its own events from the others'. */
  readonly origin = randomUUID();
  private listener: pg.Client | undefined;
  private readonly listeners: TeamListener[] = [];
  private closed = false;
  private retryMs = 250;

  private constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly log: (message: string) => void,
  ) {}

  static async open(url: string, log: (message: string) => void): Promise<EventBus> {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => {});
    const bus = new EventBus(url, pool, log);
    await bus.listen();
    return bus;
  }

  on(listener: TeamListener): void {
    this.listeners.push(listener);
  }

  /** Publishes to every process (this one included, through the database). Lost while the database is down. */
  publish(event: TeamEvent): void {
    if (this.closed) return;
    const payload = JSON.stringify({ o: this.origin, ...event });
    this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch(() => {});
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', () => {});
    client.on('end', () => {
      if (this.listener === client) this.listener = undefined;
      if (!this.closed) this.reconnect();
    });
    client.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      let event: (TeamEvent & { o?: string }) | undefined;
      try {
        event = JSON.parse(n.payload) as TeamEvent & { o?: string };
      } catch {
        return;
      }
      const own = event.o === this.origin;
      for (const listener of this.listeners) listener(event, own);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
    this.retryMs = 250;
  }

  private reconnect(): void {
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 5000);
    setTimeout(() => {
      if (this.closed) return;
      this.listen().then(
        () => {
          this.log('event bus reconnected');
          for (const listener of this.listeners) listener({ e: 'list' }, false);
        },
        () => this.reconnect(),
      );
    }, wait).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => {});
    await this.pool.end().catch(() => {});
  }
}
