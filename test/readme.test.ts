import { readFileSync } from 'node:fs';
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
