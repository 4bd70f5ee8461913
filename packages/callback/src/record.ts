import {
  type EpochRecord,
  encodeSnapshot,
  type SessionHeader,
  type SessionStatus,
  type SliceMeta,
  SNAPSHOT_MEDIA_TYPE,
  SNAPSHOT_VERSION,
} from '@mphate/protocol';
import { isNode } from './socket.js';

/** The bit of the DOM a download needs (the package compiles without lib.dom). */
interface MiniElement {
  href: string;
  download: string;
  click(): void;
  remove(): void;
}
interface MiniDocument {
  createElement(tag: 'a'): MiniElement;
  body: { appendChild(node: MiniElement): unknown };
}

/**
 * The `record` option: the whole session kept in memory and written as one snapshot file
 * (packages/protocol's format) when the session ends. Node writes it atomically (a temporary
 * file renamed to `<path>` once complete), so a reader never sees half a file; a browser page
 * gets a download.
 */
export class Recorder {
  private readonly slices: SliceMeta[] = [];
  private readonly data: Float32Array[] = [];
  private readonly epochs: EpochRecord[] = [];

  constructor(
    readonly path: string,
    private readonly header: SessionHeader,
  ) {}

  addSlice(meta: SliceMeta, values: Float32Array): void {
    this.slices.push(meta);
    this.data.push(values);
  }

  addEpoch(record: EpochRecord): void {
    this.epochs.push(record);
  }

  /** The snapshot file's bytes. */
  async encode(status: SessionStatus = 'finished'): Promise<Uint8Array> {
    const per = this.header.units * this.header.samples;
    const trace = new Float32Array(this.data.length * per);
    for (let i = 0; i < this.data.length; i++) trace.set(this.data[i]!, i * per);
    return encodeSnapshot({
      header: {
        format: 'mphate-snapshot',
        version: SNAPSHOT_VERSION,
        exportedAt: Date.now(),
        session: this.header,
        status,
        slices: this.slices,
        epochs: this.epochs,
      },
      trace,
    });
  }

  /** Writes the file (Node) or offers it as a download (browser). Resolves with where it went. */
  async write(status: SessionStatus = 'finished'): Promise<string> {
    const bytes = await this.encode(status);
    if (isNode()) {
      const { writeFileAtomic } = await import('@mphate/protocol/node');
      await writeFileAtomic(this.path, bytes);
      return this.path;
    }
    const doc = (globalThis as { document?: MiniDocument }).document;
    if (!doc) throw new Error('record: no file system and no document to download into');
    const url = URL.createObjectURL(
      new Blob([bytes as Uint8Array<ArrayBuffer>], { type: SNAPSHOT_MEDIA_TYPE }),
    );
    const a = doc.createElement('a');
    a.href = url;
    a.download = this.path.split(/[\\/]/).pop() || 'session.mphate';
    doc.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return a.download;
  }
}
