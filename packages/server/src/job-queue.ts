/**
 * Embedding jobs on a real queue: pg-boss on the store's PostgreSQL (docs/deploy.md says why).
 *
 * The live rules across workers:
 * - A job names a session, nothing more; it computes the session's newest state when it runs,
 *   so intermediate states are skipped.
 * - The queue's policy is `short`: at most one job per session waits (a request while one
 *   waits is dropped: the waiting one will see the newer state), so nothing queues without bound.
 * - At most one job per session runs: the worker holds a session-level advisory lock on its
 *   own connection for the whole job. A job whose session is locked elsewhere is put back
 *   (due a moment later) and completed. A worker killed mid-job loses its connection, so the
 *   lock frees at once; its job row is found by `reap` (active, older than the grace, lock
 *   free) and requested again, so another worker takes the session over.
 * - Jobs are FIFO: a session asking again goes behind everyone waiting (fair turns).
 */

import pg from 'pg';
import PgBoss from 'pg-boss';

const QUEUE = 'mphate-embed';

export interface QueueOptions {
  /** A job running longer is failed and retried by pg-boss (after a kill, `reap` is faster). */
  expireInSeconds: number;
  /** A job is retried this often after it failed (a bug, the database down). */
  retryLimit: number;
}

export class JobQueue {
  private readonly workIds: string[] = [];

  private constructor(
    readonly boss: PgBoss,
    private readonly locks: pg.Pool,
  ) {}

  static async open(url: string, options: QueueOptions, log: (m: string) => void): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: url,
      max: 4,
      // Expired jobs are found within this many seconds.
      maintenanceIntervalSeconds: 5,
      monitorStateIntervalSeconds: 60,
      schedule: false,
    });
    boss.on('error', (error) => log(`queue: ${error.message}`));
    await boss.start();
    const queues = await boss.getQueues();
    if (!queues.some((q) => q.name === QUEUE)) {
      await boss
        .createQueue(QUEUE, {
          name: QUEUE,
          policy: 'short',
          expireInSeconds: options.expireInSeconds,
          retryLimit: options.retryLimit,
          retryDelay: 1,
          retentionMinutes: 60,
        })
        .catch(() => {}); // another process created it at the same moment
    }
    const locks = new pg.Pool({ connectionString: url, max: 32 });
    locks.on('error', () => {});
    return new JobQueue(boss, locks);
  }

  /** Asks for a computation of the session (dropped when one is waiting already). */
  async request(session: string, startAfterSeconds = 0): Promise<void> {
    await this.boss.send(
      QUEUE,
      { session },
      { singletonKey: session, ...(startAfterSeconds ? { startAfter: startAfterSeconds } : {}) },
    );
  }

  /** True while a job of the session waits or runs. */
  async busy(session: string): Promise<boolean> {
    const { rows } = await this.locks.query(
      `SELECT 1 FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry', 'active') LIMIT 1`,
      [QUEUE, session],
    );
    return rows.length > 0;
  }

  /**
   * Runs `compute` for jobs, `concurrency` at a time, each under the session's lock. Resolves
   * once the workers poll.
   */
  async work(
    concurrency: number,
    compute: (session: string) => Promise<void>,
    pollSeconds = 0.5,
  ): Promise<void> {
    for (let i = 0; i < concurrency; i++) {
      const id = await this.boss.work<{ session: string }>(
        QUEUE,
        { batchSize: 1, pollingIntervalSeconds: pollSeconds },
        async ([job]) => {
          if (!job) return;
          await this.locked(job.data.session, compute);
        },
      );
      this.workIds.push(id);
    }
  }

  private async locked(session: string, compute: (session: string) => Promise<void>): Promise<void> {
    const client = await this.locks.connect();
    let broken = false;
    try {
      const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [session]);
      if (!rows[0].ok) {
        // Running elsewhere: that job, or this one put back, computes the newest state.
        await this.request(session, 1);
        return;
      }
      try {
        await compute(session);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [session]).catch(() => {
          broken = true;
        });
      }
    } finally {
      client.release(broken);
    }
  }

  /** Jobs left active by a worker that died (its lock is free): their sessions are requested again. */
  async reap(graceSeconds: number): Promise<string[]> {
    const { rows } = await this.locks.query(
      `SELECT DISTINCT singleton_key AS s FROM pgboss.job
         WHERE name = $1 AND state = 'active' AND started_on < now() - make_interval(secs => $2)`,
      [QUEUE, graceSeconds],
    );
    const orphans: string[] = [];
    for (const { s } of rows as { s: string }[]) {
      const client = await this.locks.connect();
      try {
        const { rows: got } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [s]);
        if (got[0].ok) {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [s]);
          // Fail the orphan now (pg-boss would at expiry) and ask for the session again.
          await client.query(
            `UPDATE pgboss.job SET state = 'failed', completed_on = now(), output = '{"reason":"worker lost"}'
               WHERE name = $1 AND singleton_key = $2 AND state = 'active' AND started_on < now() - make_interval(secs => $3)`,
            [QUEUE, s, graceSeconds],
          );
          await this.request(s);
          orphans.push(s);
        }
      } finally {
        client.release();
      }
    }
    return orphans;
  }

  async close(): Promise<void> {
    for (const id of this.workIds) await this.boss.offWork(id).catch(() => {});
    await this.boss.stop({ graceful: false, wait: true, close: true }).catch(() => {});
    await this.locks.end().catch(() => {});
  }
}
