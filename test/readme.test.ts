import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The README's two promises are the commands CI and the demo really run. */
const readme = readFileSync('README.md', 'utf8');
const ciRun = readFileSync('.ci/run', 'utf8');
const rootPackage = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

function commandAfter(marker: string): string {
  const match = new RegExp(`<!-- ${marker} -->\\s*\`\`\`sh\\n([^\\n]+)\\n\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no \`\`\`sh block after <!-- ${marker} -->`);
  return match[1]!.trim();
}

describe('README commands', () => {
  const testCommand = commandAfter('test-command');
  const demoCommand = commandAfter('demo-command');

  it('uses only npx and pnpm, which a fresh machine with Node and npm has', () => {
    for (const command of [testCommand, demoCommand]) {
      expect(command).toMatch(/^npx --yes pnpm@9 install && npx --yes pnpm@9 \w+$/);
    }
  });

  it('is the test command .ci/run runs', () => {
    const lines = ciRun.split('\n').map((l) => l.trim());
    expect(lines).toContain(testCommand);
  });

  it('runs the test and demo scripts the workspace defines', () => {
    expect(testCommand.endsWith('pnpm@9 test')).toBe(true);
    expect(demoCommand.endsWith('pnpm@9 demo')).toBe(true);
    expect(rootPackage.scripts.test).toContain('vitest run');
    expect(rootPackage.scripts.demo).toContain('scripts/demo.mjs');
  });
});

describe('README --json command', () => {
  it('parses as JSON through the pipe the README shows (pnpm -s keeps its banner off stdout)', () => {
    const command = commandAfter('json-command');
    expect(command).toMatch(
      /^pnpm -s mphate embed trace\.npy --out coords\.csv --json \| python3 -m json\.tool$/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'mphate-readme-'));
    try {
      copyFileSync('test/fixtures/rw-20x50x25.npy', join(dir, 'trace.npy'));
      // "pnpm X" in the README means "npx --yes pnpm@9 X" without a global pnpm; files in a scratch folder.
      const shell = command
        .replace(/^pnpm /, 'npx --yes pnpm@9 ')
        .replace('trace.npy', join(dir, 'trace.npy'))
        .replace('coords.csv', join(dir, 'coords.csv'));
      const out = execFileSync('sh', ['-c', shell], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 110_000,
      });
      expect(JSON.parse(out)).toMatchObject({ points: 1000, units: 50 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
