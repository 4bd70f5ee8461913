/**
 * The checks every request passes before any route sees it (docs/api.md, "Security"):
 *
 * - Host allowlist on every HTTP request and upgrade, against DNS rebinding: loopback names
 *   and addresses, the host the server listens on (with a wildcard: this machine's addresses
 *   and name), and each `--allow-host`.
 * - Origin on every upgrade and every state-changing request, against cross-site pages: no
 *   Origin (Node clients, curl), the same origin, a loopback origin (a page on the user's own
 *   dev server) or an `--allow-origin`. Anything else is refused, token or not.
 * - Headers that keep the dashboard from being framed or its content sniffed.
 */
import { hostname, networkInterfaces } from 'node:os';
import { MphateError } from '@mphate/protocol';
import { isLoopback, isWildcard } from './auth.js';

export interface GuardOptions {
  /** The address the server listens on. */
  host: string;
  /** More Host names to accept ('*' accepts any). */
  allowHosts?: readonly string[];
  /** More origins to accept, e.g. 'https://notebook.example:8888' ('*' accepts any). */
  allowOrigins?: readonly string[];
}

/** Methods a cross-site page can use without changing anything (CORS keeps it from reading answers). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Headers on every response. The CSP allows 'unsafe-eval' because regl (the dashboard's WebGL
 * layer) compiles its draw commands with Function(); scripts still come only from this server,
 * and nothing can frame the page.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' data: blob:; media-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
});

export class RequestGuard {
  private readonly hosts = new Set<string>();
  private readonly anyHost: boolean;
  private readonly origins = new Set<string>();
  private readonly anyOrigin: boolean;

  constructor(options: GuardOptions) {
    const allowHosts = options.allowHosts ?? [];
    this.anyHost = allowHosts.includes('*');
    for (const h of allowHosts) this.hosts.add(bare(h));
    if (isWildcard(options.host)) {
      this.hosts.add(bare(hostname()));
      for (const addresses of Object.values(networkInterfaces()))
        for (const a of addresses ?? []) this.hosts.add(bare(a.address));
    } else {
      this.hosts.add(bare(options.host));
    }
    const allowOrigins = options.allowOrigins ?? [];
    this.anyOrigin = allowOrigins.includes('*');
    for (const o of allowOrigins) this.origins.add(o.replace(/\/+$/, '').toLowerCase());
  }

  /** The refusal for a request, or undefined when it may go on. */
  check(method: string, hostHeader: string | undefined, origin: string | undefined, upgrade = false) {
    const host = this.checkHost(hostHeader);
    if (host) return host;
    if (upgrade || !SAFE_METHODS.has(method.toUpperCase())) return this.checkOrigin(origin, hostHeader!);
    return undefined;
  }

  private checkHost(header: string | undefined): MphateError | undefined {
    if (this.anyHost) return undefined;
    if (!header) return new MphateError('the request has no Host header', 'forbidden');
    const name = hostOf(header);
    if (name !== undefined && (isLoopback(name) || this.hosts.has(name))) return undefined;
    return new MphateError(
      `Host '${header.slice(0, 100)}' is not one this server answers to (DNS rebinding protection); start it with --allow-host ${hostOf(header) ?? 'HOST'} to accept it`,
      'forbidden',
    );
  }

  private checkOrigin(origin: string | undefined, hostHeader: string): MphateError | undefined {
    if (origin === undefined || this.anyOrigin) return undefined;
    const normalized = origin.replace(/\/+$/, '').toLowerCase();
    if (this.origins.has(normalized)) return undefined;
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
      if (url.host === hostHeader.toLowerCase() || isLoopback(url.hostname)) return undefined;
    }
    return new MphateError(
      `Origin '${origin.slice(0, 100)}' may not use this server (cross-site request); start it with --allow-origin ${origin.slice(0, 100)} to allow that page`,
      'forbidden',
    );
  }
}

/** The host name of a Host header (`name`, `name:port`, `[v6]:port`), lower case; undefined when malformed. */
function hostOf(header: string): string | undefined {
  const h = header.trim().toLowerCase();
  const v6 = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(h);
  if (v6) return v6[1];
  const named = /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(h);
  return named?.[1];
}

function bare(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}
