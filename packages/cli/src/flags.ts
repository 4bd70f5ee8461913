/** Parsing of numeric and method flags shared by the commands; errors name the flag and the range. */
import { isMethodName, METHOD_NAMES, type MethodName } from '@mphate/methods/registry';
import { UsageError } from './errors.js';

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

export function realFlag(command: string, flag: string, text: string, min: number, max: number): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a number from ${min} to ${max}, got '${text}'`, command);
  }
  return value;
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
