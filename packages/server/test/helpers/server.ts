/** Starts a real server on 127.0.0.1, port 0, with a fresh SQLite folder; cleans both up. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, type ServerOptions, startServer } from '@mphate/server';

export interface TestServer {
  server: RunningServer;
  url: string;
  dataDir: string;
  /** Closes the server and removes its folder. */
  stop(): Promise<void>;
}

export function tempDir(prefix = 'mphate-server-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function testServer(options: ServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const server = await startServer({ port: 0, host: '127.0.0.1', workers: 1, ...options, dataDir });
  return {
    server,
    url: server.url,
    dataDir,
    stop: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** fetch against the server with an optional bearer token; a binary body is sent as application/octet-stream. */
export function api(
  base: string,
  path: string,
  init: Omit<RequestInit, 'body'> & { token?: string; body?: Uint8Array | string } = {},
): Promise<Response> {
  const { token, body, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (body instanceof Uint8Array && !headers.has('content-type'))
    headers.set('content-type', 'application/octet-stream');
  return fetch(new URL(path, base), { ...rest, headers, body: body as BodyInit | undefined });
}
