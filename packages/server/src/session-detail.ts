/**
 * A stored session as clients read it: the REST SessionDetail (also pushed live as `session`)
 * and the options it is embedded with. One place, so REST and live pushes say the same thing.
 */
import type { MphateOptionsJson, SessionDetail, SessionHeader } from '@mphate/protocol';
import { type SessionRow, type SessionStore, summaryOf } from './session-store.js';

/** The options a session is embedded with: server defaults overridden by the session header's. */
export function sessionOptions(header: SessionHeader, defaults: MphateOptionsJson): MphateOptionsJson {
  return { ...defaults, ...header.mphate };
}

export function sessionDetail(
  store: SessionStore,
  id: string,
  defaults: MphateOptionsJson,
): SessionDetail | undefined {
  const row = store.getSession(id);
  if (!row) return undefined;
  return detailOf(store, row, defaults);
}

export function detailOf(store: SessionStore, row: SessionRow, defaults: MphateOptionsJson): SessionDetail {
  const { header } = row;
  const { rows, epochRows } = store.logs(row.id);
  const embedding = store.embeddingInfo(row.id);
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
