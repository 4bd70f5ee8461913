/**
 * Command-line values, parsed one way for every command: numbers from flag text, the data
 * folder's default. Each refusal is a UsageError naming the flag, the range and what was given.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isMethodName, METHOD_NAMES, type MethodName } from '@mphate/methods/registry';
import { SERVER_DEFAULTS } from '@mphate/server/defaults';
import { UsageError } from './errors.js';
import { resolveUserPath } from './paths.js';

/** An integer flag in [min, max]; `also` names other accepted words (e.g. "or 'auto'"). */
export function integerFlag(
  command: string,
  flag: string,
  text: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
  also = '',
): number {
  const value = /^[+]?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(
      `${flag} must be an integer ${range}${also ? ` ${also}` : ''}, got '${text}'`,
      command,
    );
  }
  return value;
}

/** A real-number flag in [min, max]. */
export function realFlag(command: string, flag: string, text: string, min: number, max: number): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a number from ${min} to ${max}, got '${text}'`, command);
  }
  return value;
}

type Flags = NonNullable<ParseArgsConfig['options']>;

/** The parsed command line of a command with flags `options` and positional arguments. */
export function parseCommandLine<O extends Flags>(
  argv: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
}

/** `--data DIR` resolved from where the user stands; the server's default folder when absent. */
export function dataFolder(flag: string | undefined): string {
  return resolveUserPath(flag ?? SERVER_DEFAULTS.dataDir);
}

/** The seed of every random stage: an unsigned 32-bit integer. */
export function seedFlag(command: string, text: string): number {
  return integerFlag(command, '--seed', text, 0, 0xffff_ffff);
}

/** A comparison method's name (see `mphate compare --help`). */
export function methodFlag(command: string, flag: string, name: string): MethodName {
  if (!isMethodName(name))
    throw new UsageError(`${flag}: unknown method '${name}' (methods: ${METHOD_NAMES.join(', ')})`, command);
  return name;
}
