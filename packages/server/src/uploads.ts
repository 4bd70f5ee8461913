/**
 * POST /api/snapshots bodies: the size is checked from Content-Length before one byte is read
 * (and counted while reading, for uploads without one), at most `maxConcurrent` uploads are
 * read and imported at once (more are answered 503 with Retry-After), and the bytes go to the
 * import worker (import-worker.ts), which validates and stores them off the event loop.
 */
import type { IncomingMessage } from 'node:http';
import { Worker } from 'node:worker_threads';
import { MphateError } from '@mphate/protocol';
import type { CostLimits } from './defaults.js';
import type { ImportReply, ImportRequest } from './import-worker.js';
import type { NpyImportOptions } from './snapshots.js';

export class Uploads {
  private active = 0;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (id: string) => void; reject: (e: Error) => void }>();
  private nextJob = 1;

  constructor(
    private readonly dataDir: string,
    private readonly limits: CostLimits,
    private readonly maxBytes: number,
    private readonly maxConcurrent: number,
  ) {}

  /** Reads the request's body and imports it; resolves with the new session's id. */
  async import(req: IncomingMessage, options: NpyImportOptions): Promise<string> {
    if (this.active >= this.maxConcurrent) {
      throw new MphateError(
        `${this.active} uploads are being imported already (maxConcurrentUploads); try again shortly`,
        'unavailable',
      );
    }
    this.active++;
    try {
      const bytes = await readBody(req, this.maxBytes);
      return await this.run(bytes, options);
    } finally {
      this.active--;
    }
  }

  private run(bytes: Uint8Array, options: NpyImportOptions): Promise<string> {
    const worker = this.spawn();
    const job = this.nextJob++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(job, { resolve, reject });
      worker.postMessage({ job, bytes, options } satisfies ImportRequest, [bytes.buffer as ArrayBuffer]);
    });
  }

  private spawn(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./import-worker.js', import.meta.url), {
      workerData: { dataDir: this.dataDir, limits: this.limits },
    });
    worker.unref();
    worker.on('message', (reply: ImportReply) => {
      const waiting = this.pending.get(reply.job);
      if (!waiting) return;
      this.pending.delete(reply.job);
      if ('id' in reply) waiting.resolve(reply.id);
      else waiting.reject(reply.kind ? new MphateError(reply.error, reply.kind) : new Error(reply.error));
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the import worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}

/** The whole body, refused before reading when Content-Length says it is too large. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new MphateError(`the request body exceeds the limit of ${maxBytes} bytes (maxUploadBytes)`, 'too-large');
  const declared = req.headers['content-length'];
  const length = declared === undefined ? undefined : Number(declared);
  if (length !== undefined && !(Number.isSafeInteger(length) && length >= 0))
    return Promise.reject(new MphateError('Content-Length is not a byte count', 'malformed'));
  if (length !== undefined && length > maxBytes) {
    req.resume(); // let the connection drain instead of stalling
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    let buffer = new Uint8Array(length ?? 64 * 1024);
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size + chunk.length > (length ?? maxBytes)) {
        req.destroy();
        reject(
          length === undefined
            ? tooLarge()
            : new MphateError('the body is longer than its Content-Length', 'malformed'),
        );
        return;
      }
      if (size + chunk.length > buffer.length) {
        const grown = new Uint8Array(Math.min(maxBytes, Math.max(buffer.length * 2, size + chunk.length)));
        grown.set(buffer.subarray(0, size));
        buffer = grown;
      }
      buffer.set(chunk, size);
      size += chunk.length;
    });
    req.on('end', () => {
      if (size === 0) reject(new MphateError('the request body is empty', 'malformed'));
      else resolve(size === buffer.length ? buffer : buffer.slice(0, size));
    });
    req.on('error', () => reject(new MphateError('the upload was interrupted', 'malformed')));
    req.on('aborted', () => reject(new MphateError('the upload was interrupted', 'malformed')));
  });
}
