/**
 * Stored rows turned into what clients read: the REST SessionDetail, the live embedding frame,
 * the embedding CSV. One place, so REST and live pushes say the same thing.
 */
import {
  encodeEmbedding,
  type MphateOptionsJson,
  type SessionDetail,
  type SessionHeader,
} from '@mphate/protocol';
import { type SessionRow, type Store, type StoredEmbedding, summaryOf } from './store.js';

/** The options a session is embedded with: server defaults overridden by the session header's. */
export function sessionOptions(header: SessionHeader, defaults: MphateOptionsJson): MphateOptionsJson {
  return { ...defaults, ...header.mphate };
}

export function sessionDetail(
  store: Store,
  id: string,
  defaults: MphateOptionsJson,
): SessionDetail | undefined {
  const row = store.getSession(id);
  if (!row) return undefined;
  return detailOf(store, row, defaults);
}

export function detailOf(store: Store, row: SessionRow, defaults: MphateOptionsJson): SessionDetail {
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

/** The binary live frame of a stored embedding (coordinates + most-active class per point). */
export function embeddingFrame(store: Store, row: SessionRow, embedding: StoredEmbedding): Uint8Array {
  return encodeEmbedding({
    session: row.id,
    slices: embedding.slices,
    units: row.units,
    nComponents: embedding.nComponents,
    t: embedding.t,
    landmarks: embedding.landmarks,
    final: embedding.final,
    coordinates: embedding.coordinates,
    activeClass: store.activeClasses(row.id, row.units, embedding.slices),
  });
}

/** Where each traced unit comes from: its layer's name and its index in that layer. */
export function unitOrigins(header: SessionHeader): { layer: string[]; layerUnit: Int32Array } {
  const layer: string[] = [];
  const layerUnit = new Int32Array(header.units);
  let u = 0;
  for (const l of header.layers) {
    for (let i = 0; i < l.units; i++, u++) {
      layer.push(l.name);
      layerUnit[u] = l.keptUnits ? l.keptUnits[i]! : i;
    }
  }
  return { layer, layerUnit };
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `slice,epoch,layer,unit,layerUnit,x,y[,z]`, one row per point of the embedding. */
export function embeddingCsv(store: Store, row: SessionRow, embedding: StoredEmbedding): string {
  const d = embedding.nComponents;
  const metas = store.sliceMetas(row.id).slice(0, embedding.slices);
  const { layer, layerUnit } = unitOrigins(row.header);
  const names = layer.map(csvField);
  const lines: string[] = [
    d === 3 ? 'slice,epoch,layer,unit,layerUnit,x,y,z' : 'slice,epoch,layer,unit,layerUnit,x,y',
  ];
  const c = embedding.coordinates;
  metas.forEach((meta, s) => {
    for (let u = 0; u < row.units; u++) {
      const p = (s * row.units + u) * d;
      const xyz = d === 3 ? `${c[p]},${c[p + 1]},${c[p + 2]}` : `${c[p]},${c[p + 1]}`;
      lines.push(`${meta.slice},${meta.epoch},${names[u]},${u},${layerUnit[u]},${xyz}`);
    }
  });
  return `${lines.join('\n')}\n`;
}
