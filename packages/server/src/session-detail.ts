/**
 * A stored session as clients read it: the REST SessionDetail (also pushed live as `session`)
 * and the options it is embedded with. One place, so REST and live pushes say the same thing.
 */
import type { MphateOptionsJson, SessionDetail, SessionHeader } from '@mphate/protocol';
import type { Store } from './store.js';
import { type SessionRow, summaryOf } from './store-rows.js';

/** The options a session is embedded with: server defaults overridden by the session header's. */
export function sessionOptions(header: SessionHeader, defaults: MphateOptionsJson): MphateOptionsJson {
  return { ...defaults, ...header.mphate };
}

export async function sessionDetail(
  store: Store,
  id: string,
  defaults: MphateOptionsJson,
): Promise<SessionDetail | undefined> {
  const row = await store.getSession(id);
  if (!row) return undefined;
  return detailOf(store, row, defaults);
}

export async function detailOf(
  store: Store,
  row: SessionRow,
  defaults: MphateOptionsJson,
): Promise<SessionDetail> {
  const { header } = row;
  const [{ rows, epochRows }, embedding] = await Promise.all([
    store.logs(row.id),
    store.embeddingInfo(row.id),
  ]);
  const tasks: string[] = [];
  for (const r of rows) if (r.task !== null && !tasks.includes(r.task)) tasks.push(r.task);
  const detail: SessionDetail = {
    ...summaryOf(row),
    layers: header.layers,
    samples: header.samples,
    every: header.every,
    logs: rows,
    epochLogs: epochRows,
    mphate: sessionOptions(header, defaults),
    embeddedSlices: embedding?.slices ?? 0,
    embeddingFinal: embedding?.final ?? false,
    tasks,
  };
  if (header.probeLabels) detail.probeLabels = header.probeLabels;
  if (header.classNames) detail.classNames = header.classNames;
  return detail;
}
