import { isAbsolute, resolve } from 'node:path';

/**
 * The directory the user typed the command in. `pnpm mphate ...` runs scripts from the
 * workspace root but sets INIT_CWD to where the user stands, so user paths resolve from there.
 */
export function userCwd(): string {
  const init = process.env.INIT_CWD;
  return init && isAbsolute(init) ? init : process.cwd();
}

/** Resolves a path the user gave on the command line against `userCwd()`. */
export function resolveUserPath(path: string): string {
  return resolve(userCwd(), path);
}
