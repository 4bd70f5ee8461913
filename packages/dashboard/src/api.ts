import type { ApiError, SessionDetail, SessionSummary } from '@mphate/protocol';
import { askForToken, getToken } from './auth.js';

/**
 * REST client for the server's `/api` (docs/api.md). Every request carries the token when there
 * is one; a 401 asks the user for it once and retries. Errors are thrown with the server's reason.
 */
export class ApiClient {
  private asking: Promise<string | null> | null = null;

  constructor(private readonly base = '') {}

  private async request(path: string, init: RequestInit = {}, retried = false): Promise<Response> {
    const headers = new Headers(init.headers);
    const token = getToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const response = await fetch(`${this.base}${path}`, { ...init, headers });
    if (response.status === 401 && !retried) {
      this.asking ??= askForToken(
        getToken() ? 'The token was refused. Enter the token the server printed.' : undefined,
      ).finally(() => {
        this.asking = null;
      });
      if ((await this.asking) !== null) return this.request(path, init, true);
    }
    if (!response.ok) {
      let reason = `${response.status} ${response.statusText}`;
      try {
        const body = (await response.json()) as ApiError;
        if (body.error) reason = body.error;
      } catch {
        // Not JSON: keep the status line.
      }
      throw new Error(reason);
    }
    return response;
  }

  async sessions(): Promise<SessionSummary[]> {
    return (await this.request('/api/sessions')).json() as Promise<SessionSummary[]>;
  }

  async session(id: string): Promise<SessionDetail> {
    return (await this.request(`/api/sessions/${encodeURIComponent(id)}`)).json() as Promise<SessionDetail>;
  }

  /** The latest embedding's coordinates (points x components, float32). */
  async embedding(id: string): Promise<Float32Array> {
    const buffer = await (
      await this.request(`/api/sessions/${encodeURIComponent(id)}/embedding`)
    ).arrayBuffer();
    return new Float32Array(buffer);
  }

  async rename(id: string, name: string): Promise<void> {
    await this.request(`/api/sessions/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name }),
    });
  }

  /** Asks the server to embed (again) a session that is not live. */
  async embed(id: string): Promise<void> {
    await this.request(`/api/sessions/${encodeURIComponent(id)}/embed`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
  }

  async remove(id: string): Promise<void> {
    await this.request(`/api/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }

  /** Uploads a snapshot file or a bare .npy trace; returns the new session's id. */
  async importFile(bytes: ArrayBuffer): Promise<string> {
    const response = await this.request('/api/snapshots', {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: bytes,
    });
    return ((await response.json()) as { id: string }).id;
  }

  /** Asks for a comparison method's embedding of the session (docs/api.md); computed in the background. */
  async embedWithMethod(id: string, method: string): Promise<void> {
    await this.request(`/api/sessions/${encodeURIComponent(id)}/embed`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ method }),
    });
  }

  /** The session's method embeddings with their scores (no coordinates). */
  async methods(id: string): Promise<MethodSummary[]> {
    return (await this.request(`/api/sessions/${encodeURIComponent(id)}/methods`)).json() as Promise<
      MethodSummary[]
    >;
  }

  /** One method embedding's coordinates (points x 2, float32). */
  async methodEmbedding(id: string, method: string): Promise<Float32Array> {
    const path = `/api/sessions/${encodeURIComponent(id)}/methods/${encodeURIComponent(method)}/embedding`;
    return new Float32Array(await (await this.request(path)).arrayBuffer());
  }

  /** Fetches a file the server offers for download (snapshot, CSV, .npy) as a Blob. */
  async download(id: string, what: 'snapshot' | 'embedding.csv' | 'trace.npy'): Promise<Blob> {
    return (await this.request(`/api/sessions/${encodeURIComponent(id)}/${what}`)).blob();
  }
}

/** A method embedding as `GET /api/sessions/:id/methods` lists it. */
export interface MethodSummary {
  method: string;
  label: string;
  slices: number;
  seed: number;
  seconds: number;
  scores: { intra10: number; inter10: number; intra40: number; inter40: number };
  createdAt: number;
}

/** Saves a Blob under a file name through a temporary link. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
