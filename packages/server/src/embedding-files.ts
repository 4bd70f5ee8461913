/**
 * A stored embedding as it leaves the server: the binary live frame (coordinates plus the
 * most-active class per point) and the embedding CSV (the format of @mphate/protocol).
 */
import { encodeEmbedding, encodeEmbeddingCsv } from '@mphate/protocol';
import type { Store } from './store.js';
import type { SessionRow, StoredEmbedding } from './store-rows.js';

/** The binary live frame of a stored embedding. */
export async function embeddingFrame(
  store: Store,
  row: SessionRow,
  embedding: StoredEmbedding,
): Promise<Uint8Array> {
  return encodeEmbedding({
    session: row.id,
    slices: embedding.slices,
    units: row.units,
    nComponents: embedding.nComponents,
    t: embedding.t,
    landmarks: embedding.landmarks,
    final: embedding.final,
    coordinates: embedding.coordinates,
    activeClass: await store.activeClasses(row.id, row.units, embedding.slices),
  });
}

/** The embedding CSV of a stored session, one row per point of its latest embedding. */
export async function embeddingCsv(
  store: Store,
  row: SessionRow,
  embedding: StoredEmbedding,
): Promise<string> {
  return encodeEmbeddingCsv({
    units: row.units,
    nComponents: embedding.nComponents,
    coordinates: embedding.coordinates,
    slices: (await store.sliceMetas(row.id)).slice(0, embedding.slices),
    layers: row.header.layers,
  });
}
