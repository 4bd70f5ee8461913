import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeNpy,
  decodeSnapshot,
  encodeNpy,
  encodeSnapshot,
  type SessionHeader,
  type SliceMeta,
} from '@mphate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, makeTempDir, runCli } from './run-cli.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let dir: string;
beforeAll(async () => {
  temp = await makeTempDir();
  dir = temp.dir;
});
afterAll(() => temp.remove());

const mphate = (args: string[], cwd: string) => runCli(args, { cwd });

function sessionHeader(units: number, samples: number): SessionHeader {
  return {
    id: randomUUID(),
    name: 'cli test',
    createdAt: 1_700_000_000_000,
    units,
    samples,
    layers: [
      { name: 'dense_1', className: 'Dense', units: units / 2, totalUnits: units / 2 },
      { name: 'dense_2', className: 'Dense', units: units / 2, totalUnits: units / 2 },
    ],
    every: 'epoch',
  };
}

const sliceMeta = (slice: number): SliceMeta => ({
  slice,
  epoch: slice,
  batch: null,
  step: slice,
  task: null,
  time: 0,
  logs: { loss: 1 / (slice + 1) },
});

describe('mphate import / export / serve', () => {
  it('imports a snapshot and a .npy into --data, exports them as .mphate, .npy and .csv', async () => {
    const header = sessionHeader(6, 5);
    const trace = Float32Array.from({ length: 3 * 6 * 5 }, (_, i) => Math.sin(i));
    const coordinates = Float32Array.from({ length: 3 * 6 * 2 }, (_, i) => i);
    writeFileSync(
      join(dir, 'run.mphate'),
      await encodeSnapshot({
        header: {
          format: 'mphate-snapshot',
          version: 1,
          exportedAt: 0,
          session: header,
          status: 'finished',
          slices: [0, 1, 2].map((s) => sliceMeta(s)),
          epochs: [],
          embedding: { slices: 3, nComponents: 2, t: 3, landmarks: 0, final: true, mphate: {} },
        },
        trace,
        coordinates,
      }),
    );
    const imported = await mphate(['import', 'run.mphate', '--data', 'store'], dir);
    expect(imported).toMatchObject({ code: 0, stdout: `${header.id}\n` });
    const again = await mphate(['import', 'run.mphate', '--data', 'store'], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);

    writeFileSync(join(dir, 'trace.npy'), encodeNpy({ shape: [3, 6, 5], data: trace }));
    const npyImport = await mphate(['import', 'trace.npy', '--data', 'store', '--name', 'from numpy'], dir);
    expect(npyImport.code).toBe(0);
    expect(npyImport.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);

    expect(
      (await mphate(['export', header.id.slice(0, 8), '--out', 'out.npy', '--data', 'store'], dir)).code,
    ).toBe(0);
    const npy = decodeNpy(new Uint8Array(readFileSync(join(dir, 'out.npy'))));
    expect(npy.shape).toEqual([3, 6, 5]);
    expect(Buffer.from(npy.data.buffer).equals(Buffer.from(trace.buffer))).toBe(true);
    expect((await mphate(['export', header.id, '--out', 'out.mphate', '--data', 'store'], dir)).code).toBe(0);
    const snapshot = await decodeSnapshot(new Uint8Array(readFileSync(join(dir, 'out.mphate'))));
    expect(snapshot.header.session.id).toBe(header.id);
    expect((await mphate(['export', header.id, '--out', 'out.csv', '--data', 'store'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8').split('\n')[1]).toBe('0,0,dense_1,0,0,0,1');
    const missing = await mphate(['export', 'ffffffff', '--out', 'x.npy', '--data', 'store'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no session 'ffffffff'/);
    const tampered = readFileSync(join(dir, 'run.mphate'));
    tampered[tampered.length - 50]! ^= 1;
    writeFileSync(join(dir, 'bad.mphate'), tampered);
    const bad = await mphate(['import', 'bad.mphate', '--data', 'store2'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/checksum/);
  });

  it('serve prints the URL with #token=, answers, stops on SIGTERM; a taken port is a plain message', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--port', '0', '--data', 'served', '--token', 'tok'],
      {
        cwd: dir,
        env: { ...process.env, INIT_CWD: dir },
      },
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const line = await new Promise<string>((resolveLine) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += String(d);
        if (out.includes('\n')) resolveLine(out.split('\n')[0]!);
      });
    });
    const match = /^M-PHATE dashboard: (http:\/\/127\.0\.0\.1:(\d+)\/)#token=tok$/.exec(line);
    expect(match).not.toBeNull();
    const port = Number(match![2]);
    expect(
      (await fetch(`${match![1]}api/sessions`, { headers: { authorization: 'Bearer tok' } })).status,
    ).toBe(200);
    const taken = await mphate(['serve', '--port', String(port), '--data', 'other'], dir);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(`mphate: port ${port} is in use; pass --port\n`);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
