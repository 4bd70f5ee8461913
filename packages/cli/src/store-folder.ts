import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionStore } from '@mphate/server';
import { CliError } from './errors.js';
import { dataFolder } from './flags.js';

/**
 * Opens the session store of `--data DIR` (or the default folder), runs `work`, always closes it.
 * `existing`: the store must be there already (opening one creates it: a command that only reads,
 * such as export, must not leave an empty store behind in a mistyped folder).
 */
export async function withStore<T>(
  data: string | undefined,
  work: (store: SessionStore) => Promise<T>,
  o: { existing?: boolean } = {},
): Promise<T> {
  const { SessionStore, DB_FILE } = await import('@mphate/server');
  const dir = dataFolder(data);
  if (o.existing && !existsSync(join(dir, DB_FILE))) {
    throw new CliError(
      `no session store in ${data ?? dir} (${existsSync(dir) ? `no ${DB_FILE} there` : 'the folder does not exist'}): pass the --data folder 'mphate serve' uses`,
    );
  }
  // Off any server's event loop: this command may wait for the server's writes.
  const store = new SessionStore(dir, { busyTimeoutMs: 10_000 });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
