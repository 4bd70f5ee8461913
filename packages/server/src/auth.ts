/**
 * Bearer-token check for /api and the WebSockets. The comparison is constant-time so the token
 * cannot be guessed byte by byte from response times.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** True when `Authorization: Bearer <token>` or the `token` query parameter carries the token. */
export function tokenMatches(
  authorization: string | undefined,
  queryToken: string | null | undefined,
  token: string,
): boolean {
  const expected = digest(token);
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
  for (const candidate of [bearer, queryToken]) {
    if (typeof candidate === 'string' && timingSafeEqual(digest(candidate), expected)) return true;
  }
  return false;
}

/** Hosts that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || h.startsWith('127.') || h === '::ffff:127.0.0.1';
}
