/** What every example takes and returns, and the server URL conventions they share. */

export interface ExampleOptions {
  /** Epochs to train (per task for continual learning). Each example has its own default. */
  epochs?: number;
  /** The `mphate serve` address: ws://, http:// or host:port. Default ws://127.0.0.1:7777. */
  server?: string;
  /** Session name (prefix, for examples that make several sessions). */
  session?: string;
  /** Train on at most this many digits (quick tests). Default: all. */
  maxTrain?: number;
  /** Where progress lines go. Default console.log. */
  log?: (line: string) => void;
}

/** Options of an example that can write a snapshot file instead of streaming (`pnpm bench live` records its traces so). */
export interface RecordableOptions extends Omit<ExampleOptions, 'server'> {
  /** As in ExampleOptions, or false: stream nowhere (with `record`: the snapshot file only). */
  server?: string | false;
  /** Also write the session to this snapshot file (the callback's `record`). */
  record?: string;
}

/** One training run that streamed into a session. */
export interface SessionRun {
  /** The session's name as the dashboard lists it. */
  name: string;
  /** The session id (a UUID made by the callback). */
  id: string | null;
  /** Whether the server acknowledged every slice before the run returned. */
  delivered: boolean;
  /** Final epoch's logs (loss, acc, val_loss, val_acc, ...). */
  logs: Record<string, number>;
}

export interface ExampleResult {
  sessions: SessionRun[];
}

export const DEFAULT_SERVER = 'ws://127.0.0.1:7777';

/** The WebSocket base the callback streams to and the http base of the dashboard, from one address. */
export function serverUrls(server: string = DEFAULT_SERVER): { ws: string; http: string } {
  let text = server.trim().replace(/\/+$/, '');
  if (!/^[a-z]+:\/\//i.test(text)) text = `ws://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(
      `--server must be a URL such as ws://127.0.0.1:7777 or http://127.0.0.1:7777, got '${server}'`,
    );
  }
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) {
    throw new Error(`--server must be a ws:// or http:// URL, got '${server}'`);
  }
  const host = url.host;
  const path = url.pathname.replace(/\/+$/, '');
  return {
    ws: `${secure ? 'wss' : 'ws'}://${host}${path}`,
    http: `${secure ? 'https' : 'http'}://${host}${path}/`,
  };
}

/** The callback's `server` and the dashboard base for links; both off for `server: false`. */
export function streamTarget(server: string | false | undefined): {
  ws: string | false;
  http: string | null;
} {
  return server === false ? { ws: false, http: null } : serverUrls(server);
}

/** A one-line summary of an epoch's logs: "loss 0.312  acc 0.912  val_loss 0.330  val_acc 0.905". */
export function formatLogs(logs: Record<string, number> | undefined): string {
  if (!logs) return '';
  return Object.entries(logs)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k} ${v.toFixed(3)}`)
    .join('  ');
}

/** Plain numbers from tfjs logs (which may hold tensors or be undefined). */
export function plainLogs(logs: Record<string, unknown> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(logs ?? {})) if (typeof v === 'number') out[k] = v;
  return out;
}

/** The dashboard's link to one session (`#session=ID`). */
export function sessionLink(http: string, id: string): string {
  return `${http}#session=${id}`;
}

/** The dashboard's compare view of 2 to 4 sessions (`#compare=A,B,...`). */
export function compareLink(http: string, ids: readonly string[]): string {
  return `${http}#compare=${ids.slice(0, 4).join(',')}`;
}
