/**
 * Errors a command throws to end the run with one line on stderr (`mphate: <message>`).
 * UsageError (exit 2) is for bad command lines; CliError (exit 1 by default) for bad input
 * or failed I/O. Anything else is reported the same way; MPHATE_DEBUG=1 adds the stack.
 */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** A bad command line: unknown flag, bad flag value, missing argument. Exit code 2. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The command whose `--help` the hint points to. */
    readonly command?: string,
  ) {
    super(message, 2);
  }
}

/** node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for bad command lines. */
export function isParseArgsError(error: unknown): error is Error & { code: string } {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** Writes the one-line report for `error` to stderr and returns the exit code. */
export function reportError(error: unknown, command?: string): number {
  const debug = process.env.MPHATE_DEBUG === '1';
  let code = 1;
  let message: string;
  let hintCommand = command;
  if (error instanceof UsageError) {
    code = 2;
    message = error.message;
    hintCommand = error.command ?? command;
  } else if (isParseArgsError(error)) {
    code = 2;
    message = parseArgsMessage(error.message);
  } else if (error instanceof CliError) {
    code = error.exitCode;
    message = error.message;
  } else if (error instanceof Error) {
    message = error.message || error.name;
  } else {
    message = String(error);
  }
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
