#!/usr/bin/env node
/**
 * `pnpm pack-all [DIR]`: packs every workspace package into an installable tarball in DIR
 * (default ./packs), with workspace versions replaced by real ones, so a project outside this
 * repository can `npm install` them until they are published. Prints the install commands.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Dependencies first: protocol and core, then what needs them. */
export const PACKAGES = ['protocol', 'core', 'figure', 'callback', 'server', 'dashboard', 'cli'];

export function packAll(outDir) {
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (/^mphate-.*\.tgz$/.test(f)) rmSync(join(outDir, f));
  for (const name of PACKAGES) {
    execFileSync('npx', ['--yes', 'pnpm@9', 'pack', '--pack-destination', outDir], {
      cwd: join(ROOT, 'packages', name),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const files = readdirSync(outDir);
  return Object.fromEntries(
    PACKAGES.map((name) => [
      name,
      join(
        outDir,
        files.find((f) => f.startsWith(`mphate-${name}-`)),
      ),
    ]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const out = resolve(process.env.INIT_CWD ?? process.cwd(), args[0] ?? 'packs');
  const tarballs = packAll(out);
  const rel = (name) => tarballs[name];
  process.stdout.write(
    `Packed ${PACKAGES.length} packages into ${out}\n\n` +
      `The callback, in your project (next to its own @tensorflow/tfjs):\n` +
      `  npm install @tensorflow/tfjs ${rel('protocol')} ${rel('callback')}\n\n` +
      `The server, dashboard and the mphate command too (then: npx mphate serve):\n` +
      `  npm install ${PACKAGES.map(rel).join(' ')}\n`,
  );
}
