/**
 * Who may talk to the server: the bearer token (constant-time comparison, so it cannot be
 * guessed byte by byte from response times) and what counts as loopback.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

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

/**
 * Hosts only this machine can reach: `localhost`, the addresses 127.0.0.0/8 and ::1 (also
 * IPv4-mapped). A name such as
 * `127.evil.example` is not an address and not loopback.
 */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) return h === '::1' || /^::ffff:127\.\d+\.\d+\.\d+$/.test(h) || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** Wildcard listen addresses (every interface). */
export function isWildcard(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::' || h === '';
}
