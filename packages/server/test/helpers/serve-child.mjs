// Runs a server in a child process (for crash tests): node serve-child.mjs DATA_DIR [GRACE_MS]
// Prints one JSON line {"url": ...} on stdout when it listens.
import { startServer } from '@mphate/server';

const [dataDir, graceMs] = process.argv.slice(2);
const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  graceMs: Number(graceMs ?? 60000),
  workers: 1,
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
const stop = () => server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
