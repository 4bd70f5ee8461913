/**
 * Starts a real server on 127.0.0.1, port 0, with a fresh store: a SQLite folder, or a fresh
 * database on this test file's own PostgreSQL (scripts/team-local.ts; stopped when the file's
 * process exits). Cleans up after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, type ServerOptions, startServer } from '@mphate/server';
import { type LocalPostgres, startPostgres } from '../../../../scripts/team-local.js';

/** The stores the contract tests run against. */
export const STORES = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORES)[number];

let cluster: Promise<LocalPostgres> | undefined;
let databases = 0;

/** This test file's PostgreSQL, started on first use (it says how to install PostgreSQL when missing). */
export function testPostgres(): Promise<LocalPostgres> {
  cluster ??= startPostgres();
  return cluster;
}

/** Stops this file's PostgreSQL (call from the file's afterAll). */
export async function stopTestPostgres(): Promise<void> {
  const pg = await cluster?.catch(() => undefined);
  cluster = undefined;
  pg?.stop();
}

/** A new empty database on this file's PostgreSQL. */
export async function testDatabase(): Promise<string> {
  const pg = await testPostgres();
  return pg.createDatabase(`t${process.pid}_${++databases}`);
}

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

export async function testServer(
  options: ServerOptions = {},
  store: StoreKind = 'sqlite',
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const storeUrl = store === 'postgres' ? await testDatabase() : undefined;
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    workers: 1,
    ...options,
    dataDir,
    ...(storeUrl ? { storeUrl } : {}),
  });
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
