#!/usr/bin/env node
/**
 * The `mphate` command: `mphate <command> [args]`. Each command lives in commands/<name>.ts
 * and is loaded only when run, so `mphate embed` never loads the server.
 */
import { readFileSync } from 'node:fs';
import { reportError } from './errors.js';

/** What a command module exports. `run` resolves with the exit code when the command is done. */
export interface CommandModule {
  run(argv: string[]): Promise<number>;
  /** Printed for `mphate <command> --help`. */
  usage?: string;
}

interface CommandEntry {
  summary: string;
  load(): Promise<CommandModule>;
}

const COMMANDS: Record<string, CommandEntry> = {
  embed: {
    summary: 'embed a trace .npy (slices, units, samples) with M-PHATE; write .npy or .csv',
    load: () => import('./commands/embed.js'),
  },
  compare: {
    summary: "embed a trace with M-PHATE and the paper's comparison methods; print their scores",
    load: () => import('./commands/compare.js'),
  },
  serve: {
    summary: 'run the server and dashboard that training sessions stream into',
    load: () => import('./commands/serve.js'),
  },
  worker: {
    summary: "compute embeddings from a team deployment's queue (serve --queue)",
    load: () => import('./commands/worker.js'),
  },
  import: {
    summary: 'import a snapshot (.mphate) or a bare .npy trace into the store as a session',
    load: () => import('./commands/import.js'),
  },
  export: {
    summary: 'export a session as a snapshot, its trace (.npy), coordinates (.csv) or a figure (.svg, .png)',
    load: () => import('./commands/export.js'),
  },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function mainUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'Usage: mphate <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'mphate <command> --help' for a command's options.",
    'Paths are relative to the directory you run the command from.',
    'Set MPHATE_DEBUG=1 to print stack traces with errors.',
    '',
  ].join('\n');
}

/** Wants help: `-h` or `--help` anywhere before a `--` terminator. */
function wantsHelp(argv: string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(mainUsage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainUsage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    process.stderr.write(
      `mphate: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')}; see 'mphate --help')\n`,
    );
    return 2;
  }
  try {
    const command = await entry.load();
    if (wantsHelp(rest)) {
      process.stdout.write(`${(command.usage ?? `Usage: mphate ${name}\n\n${entry.summary}`).trimEnd()}\n`);
      return 0;
    }
    return await command.run(rest);
  } catch (error) {
    return reportError(error, name);
  }
}

// Set the exit code rather than calling process.exit, so buffered stdout (a pipe) drains
// and long-running commands (serve) keep the process alive until they close.
process.exitCode = await main(process.argv.slice(2));
