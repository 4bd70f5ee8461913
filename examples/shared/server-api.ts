/** The few REST calls of `mphate serve` the examples read back (docs/protocol.md lists them all). */

export interface SessionStatus {
  id: string;
  status: string;
  slices: number;
  units: number;
  embeddedSlices: number;
  embeddingFinal: boolean;
}

export interface SessionEmbedding {
  slices: number;
  units: number;
  dims: number;
  coordinates: Float32Array;
}

export async function getSession(http: string, id: string): Promise<SessionStatus> {
  const response = await fetch(new URL(`api/sessions/${id}`, http), { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET /api/sessions/${id}: ${response.status} ${await response.text()}`);
  return (await response.json()) as SessionStatus;
}

/** The session's coordinates once the server has embedded every slice of the finished session. */
export async function waitForEmbedding(
  http: string,
  id: string,
  deadline: number,
): Promise<SessionEmbedding | undefined> {
  while (Date.now() < deadline) {
    const s = await getSession(http, id);
    if (s.status !== 'live' && s.embeddingFinal && s.embeddedSlices === s.slices) {
      const response = await fetch(new URL(`api/sessions/${id}/embedding`, http), {
        signal: AbortSignal.timeout(30_000),
      });
      if (!response.ok) return undefined;
      const bytes = new Uint8Array(await response.arrayBuffer());
      const coordinates = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      const slices = Number(response.headers.get('x-mphate-slices'));
      const units = Number(response.headers.get('x-mphate-units'));
      const dims = Number(response.headers.get('x-mphate-components'));
      return { slices, units, dims, coordinates: coordinates.slice() };
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return undefined;
}
