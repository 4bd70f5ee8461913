/** Runs the built `mphate` bin as a child process, the way users (and `pnpm mphate`) do. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = join(REPO, 'packages/cli/dist/bin.js');
export const FIXTURES = join(REPO, 'test/fixtures');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin.js ...args` in `cwd` with INIT_CWD (pnpm's "where the user stands") set. */
export function runCli(args: string[], options: { cwd: string; initCwd?: string }): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, INIT_CWD: options.initCwd ?? options.cwd };
  delete env.MPHATE_DEBUG;
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env, timeout: 110_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

export async function makeTempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mphate-cli-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
