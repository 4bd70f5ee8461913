/**
 * Errors a command throws to end the run with one line on stderr (`mphate: <message>`).
 * UsageError is for bad command lines; CliError for bad input or failed I/O, with the kind of
 * @mphate/protocol's errors (the server's refusals keep theirs). The exit code follows from the
 * kind here, at the CLI's edge, and nowhere else. MPHATE_DEBUG=1 adds the stack.
 */
import { type ErrorKind, errorKind } from '@mphate/protocol';

export type CliErrorKind = ErrorKind | 'usage';

export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly kind: CliErrorKind = 'invalid',
  ) {
    super(message);
  }
}

/** A bad command line: unknown flag, bad flag value, missing argument. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The command whose `--help` the hint points to. */
    readonly command?: string,
  ) {
    super(message, 'usage');
  }
}

/** 2 for a bad command line, 75 (sysexits' EX_TEMPFAIL) when trying again may work, else 1. */
export function exitCode(kind: CliErrorKind | undefined): number {
  if (kind === 'usage') return 2;
  if (kind === 'unavailable') return 75;
  return 1;
}

/** node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for bad command lines. */
export function isParseArgsError(error: unknown): error is Error & { code: string } {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** Writes the one-line report for `error` to stderr and returns the exit code. */
export function reportError(error: unknown, command?: string): number {
  const debug = process.env.MPHATE_DEBUG === '1';
  let kind: CliErrorKind | undefined;
  let message: string;
  let hintCommand = command;
  if (error instanceof CliError) {
    kind = error.kind;
    message = error.message;
    if (error instanceof UsageError) hintCommand = error.command ?? command;
  } else if (isParseArgsError(error)) {
    kind = 'usage';
    message = parseArgsMessage(error.message);
  } else if (error instanceof Error) {
    kind = errorKind(error);
    message = error.message || error.name;
  } else {
    message = String(error);
  }
  const code = exitCode(kind);
  let text = `mphate: ${message.replace(/\s*\n\s*/g, ' ')}`;
  if (code === 2) text += ` (see 'mphate ${hintCommand ? `${hintCommand} ` : ''}--help')`;
  text += '\n';
  if (debug && error instanceof Error && error.stack) text += `${error.stack}\n`;
  process.stderr.write(text);
  return code;
}

/** parseArgs messages run to several sentences; keep the first, plus the fix for a dash value. */
function parseArgsMessage(text: string): string {
  const first = text
    .split(/\.\s|\n/)[0]!
    .replace(/\.$/, '')
    .trim();
  const message = first.charAt(0).toLowerCase() + first.slice(1);
  const ambiguous = /^option '(--[\w-]+)' argument is ambiguous/.exec(message);
  return ambiguous ? `${message}: a value starting with '-' needs ${ambiguous[1]}=VALUE` : message;
}
