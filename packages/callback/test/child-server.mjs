// A real M-PHATE server in its own process, so a test can SIGKILL it. Usage: node child-server.mjs <port> <dataDir>
import { startServer } from '@mphate/server';

const [port, dataDir] = process.argv.slice(2);
const server = await startServer({ port: Number(port), host: '127.0.0.1', dataDir, workers: 1 });
process.stdout.write(`PORT ${server.port}\n`);
