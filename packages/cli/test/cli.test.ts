import { copyFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeNpy } from '@mphate/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, makeTempDir, runCli } from './run-cli.js';

// Command dispatch and bad input. None of these reach the M-PHATE computation, so they are fast.
let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir();
  await copyFile(join(FIXTURES, 'rw-20x50x25.npy'), join(temp.dir, 'trace.npy'));
});
afterEach(() => temp.remove());

const run = (...args: string[]) => runCli(args, { cwd: temp.dir });

/** Files in the temp dir other than the input: a failed run must leave nothing behind. */
async function leftovers(): Promise<string[]> {
  return (await readdir(temp.dir)).filter((name) => name !== 'trace.npy').sort();
}

describe('mphate dispatch', () => {
  it('--help lists the commands and exits 0', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    for (const command of ['embed', 'serve', 'import', 'export']) expect(result.stdout).toContain(command);
  });

  it('embed --help prints every flag on stdout', async () => {
    const result = await run('embed', '--help');
    expect(result.code).toBe(0);
    for (const flag of [
      '--out',
      '--seed',
      '--landmarks',
      '--t',
      '--gamma',
      '--interslice-knn',
      '--solver',
      '--components',
      '--json',
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });

  it('an unknown command exits 2 naming it', async () => {
    const result = await run('embedd', 'trace.npy');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mphate: unknown command 'embedd'/);
    expect(result.stdout).toBe('');
  });

  it('no command prints the usage on stderr and exits 2', async () => {
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: mphate <command>');
  });
});

describe('mphate embed: bad input gets one clear line and leaves no output', () => {
  const cases: {
    name: string;
    args: string[];
    code: number;
    message: RegExp;
    setup?: () => Promise<void>;
  }[] = [
    {
      name: 'missing trace file',
      args: ['missing.npy', '--out', 'c.npy'],
      code: 1,
      message: /missing\.npy: no such file/,
    },
    {
      name: '2-D .npy',
      args: ['flat.npy', '--out', 'c.npy'],
      code: 1,
      message: /flat\.npy: shape \(6, 4\) is 2-D; expected a 3-D trace \(epochs, units, samples\)/,
      setup: () =>
        writeFile(join(temp.dir, 'flat.npy'), encodeNpy({ shape: [6, 4], data: new Float32Array(24) })),
    },
    {
      name: 'int32 .npy',
      args: ['ints.npy', '--out', 'c.npy'],
      code: 1,
      message: /ints\.npy: dtype int32 is not supported/,
      setup: () =>
        writeFile(join(temp.dir, 'ints.npy'), encodeNpy({ shape: [2, 3, 4], data: new Int32Array(24) })),
    },
    {
      name: 'not a .npy file',
      args: ['notes.txt', '--out', 'c.npy'],
      code: 1,
      message: /notes\.txt: not a \.npy file/,
      setup: () => writeFile(join(temp.dir, 'notes.txt'), 'epoch,unit\n1,2\n'),
    },
    {
      name: 'truncated .npy',
      args: ['cut.npy', '--out', 'c.npy'],
      code: 1,
      message: /cut\.npy: truncated \.npy data/,
      setup: async () => {
        const whole = encodeNpy({ shape: [2, 3, 4], data: new Float32Array(24) });
        await writeFile(join(temp.dir, 'cut.npy'), whole.subarray(0, whole.length - 10));
      },
    },
    {
      name: 'a directory as trace',
      args: ['.', '--out', 'c.npy'],
      code: 1,
      message: /cannot read \.: is a directory/,
    },
    {
      name: '--components 4',
      args: ['trace.npy', '--out', 'c.npy', '--components', '4'],
      code: 2,
      message: /--components must be 2 or 3, got '4'/,
    },
    {
      name: '--solver bad',
      args: ['trace.npy', '--out', 'c.npy', '--solver', 'lbfgs'],
      code: 2,
      message: /--solver must be 'sgd' or 'smacof', got 'lbfgs'/,
    },
    {
      name: '--seed -1',
      args: ['trace.npy', '--out', 'c.npy', '--seed', '-1'],
      code: 2,
      message: /--seed must be an integer from 0/,
    },
    {
      name: '--t 1.5',
      args: ['trace.npy', '--out', 'c.npy', '--t', '1.5'],
      code: 2,
      message: /--t must be 'auto' or an integer from 1 to 10000, got '1\.5'/,
    },
    {
      name: '--gamma 2',
      args: ['trace.npy', '--out', 'c.npy', '--gamma', '2'],
      code: 2,
      message: /--gamma must be a number from -1 to 1, got '2'/,
    },
    {
      name: '--landmarks x',
      args: ['trace.npy', '--out', 'c.npy', '--landmarks', 'x'],
      code: 2,
      message: /--landmarks must be an integer/,
    },
    {
      name: '--interslice-knn 0',
      args: ['trace.npy', '--out', 'c.npy', '--interslice-knn', '0'],
      code: 2,
      message: /--interslice-knn must be an integer from 1 to 10000, got '0'/,
    },
    {
      name: 'unknown flag',
      args: ['trace.npy', '--out', 'c.npy', '--fast'],
      code: 2,
      message: /unknown option '--fast'/,
    },
    { name: 'missing --out', args: ['trace.npy'], code: 2, message: /missing --out/ },
    { name: 'missing trace', args: ['--out', 'c.npy'], code: 2, message: /missing the trace file/ },
    {
      name: 'unknown output extension',
      args: ['trace.npy', '--out', 'c.json'],
      code: 2,
      message: /--out c\.json: unknown extension '\.json'/,
    },
    {
      name: 'output directory missing',
      args: ['trace.npy', '--out', 'no/such/c.npy'],
      code: 1,
      message: /--out no\/such\/c\.npy: directory .* does not exist/,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      await c.setup?.();
      const before = await leftovers();
      const result = await run('embed', ...c.args);
      expect(result.code).toBe(c.code);
      expect(result.stdout).toBe('');
      // One line, prefixed, naming the problem, and no stack trace.
      expect(result.stderr).toMatch(/^mphate: /);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(c.message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(await leftovers()).toEqual(before);
    });
  }
});

describe('mphate serve with a queue', () => {
  it('refuses --workers (a serve instance with a queue computes nothing) and names what to run instead', async () => {
    // Refused before anything is opened: no PostgreSQL needs to listen at this URL.
    const result = await run(
      'serve',
      '--store',
      'postgres://127.0.0.1:1/mphate',
      '--queue',
      'store',
      '--workers',
      '2',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--workers .*with a queue \(--queue\) serve computes nothing/);
    expect(result.stderr).toContain('mphate worker --workers 2');
  });
});
