import {
  decodeEmbedding,
  decodeNpy,
  decodeSlice,
  decodeSnapshot,
  encodeEmbedding,
  encodeNpy,
  encodeSlice,
  encodeSnapshot,
  NpyError,
  ProtocolError,
  parseIngestReply,
  parseIngestText,
  type SessionHeader,
  type Snapshot,
  validateSessionHeader,
} from '@mphate/protocol';
import { decodeFrame, encodeFrame } from '@mphate/protocol/internal';
import { describe, expect, it } from 'vitest';

const header: SessionHeader = {
  id: '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e',
  name: 'mlp',
  createdAt: 1_700_000_000_000,
  units: 5,
  samples: 4,
  layers: [
    { name: 'dense_1', className: 'Dense', units: 3, totalUnits: 3 },
    { name: 'dense_2', className: 'Dense', units: 2, totalUnits: 300, keptUnits: [7, 99] },
  ],
  probeLabels: [0, 1, 0, 1],
  classNames: ['zero', 'one'],
  every: 'epoch',
  mphate: { intersliceKnn: 12 },
};

function slice(n: number, fill = 1) {
  return {
    slice: n,
    epoch: n,
    batch: null,
    step: n * 10,
    task: null,
    time: 1,
    logs: { loss: 0.5, acc: 0.9 },
    units: 5,
    samples: 4,
    data: new Float32Array(20).fill(fill),
  };
}

describe('session header', () => {
  it('accepts a valid header and returns an equal object', () => {
    expect(validateSessionHeader(JSON.parse(JSON.stringify(header)))).toEqual(header);
  });

  it.each([
    [{ id: 'not-a-uuid' }, /session\.id must be a UUID/],
    [{ units: 6 }, /units is 6 but its layers hold 5/],
    [{ samples: 2 }, /session\.samples must be between 3/],
    [{ probeLabels: [0, 1] }, /2 labels for 4 probe samples/],
    [{ layers: [] }, /at least one layer/],
    [{ mphate: { gamma: 2 } }, /mphate\.gamma must be a number from -1 to 1, got 2/],
    [{ mphate: { bogus: 1 } }, /unknown option 'bogus'/],
    [{ mphate: { seed: -1 } }, /mphate\.seed must be an integer from 0 to 4294967295, got -1/],
    [{ mphate: { nLandmark: 5 } }, /mphate\.nLandmark must be an integer from 10 to 1000000/],
    [{ mphate: { live: { sweeps: 0 } } }, /mphate\.live\.sweeps must be an integer from 1 to 1000, got 0/],
    [{ mphate: { live: { nSvd: 3 } } }, /mphate\.live has an unknown option 'nSvd'/],
  ])('refuses %j naming the field', (patch, message) => {
    expect(() => validateSessionHeader({ ...header, ...patch })).toThrow(message);
  });
});

describe('session options', () => {
  it('keeps the batch and the live options a header sets', () => {
    const mphate = { seed: 7, t: 'auto', mdsSolver: 'smacof', live: { warmStart: false, sweeps: 5 } };
    expect(validateSessionHeader({ ...header, mphate }).mphate).toEqual(mphate);
  });
});

describe('ingest messages', () => {
  it('round-trips a slice through its binary frame', () => {
    const s = slice(3, 0.25);
    const decoded = decodeSlice(encodeSlice(s), { units: 5, samples: 4 });
    expect(decoded.slice).toBe(3);
    expect(decoded.logs).toEqual({ loss: 0.5, acc: 0.9 });
    expect(Array.from(decoded.data)).toEqual(Array.from(s.data));
  });

  it('decodes a slice from an unaligned buffer', () => {
    const bytes = encodeSlice(slice(1));
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect(decodeSlice(shifted, { units: 5, samples: 4 }).data[0]).toBe(1);
  });

  it('refuses a slice whose shape differs from the session', () => {
    expect(() => decodeSlice(encodeSlice(slice(0)), { units: 6, samples: 4 })).toThrow(
      /does not match the session/,
    );
  });

  it('refuses NaN activations naming the unit', () => {
    const s = slice(2);
    s.data[9] = Number.NaN;
    expect(() => decodeSlice(encodeSlice(s), { units: 5, samples: 4 })).toThrow(
      /slice 2 .* unit 2, sample 1/,
    );
  });

  it('refuses truncated, padded and oversized frames', () => {
    const bytes = encodeSlice(slice(0));
    expect(() => decodeFrame(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    const padded = new Uint8Array(bytes.length + 4);
    padded.set(bytes);
    expect(() => decodeFrame(padded)).toThrow(/after its declared payload/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(0, 1 << 30, true);
    expect(() => decodeFrame(huge)).toThrow(/declares 1073741824 bytes/);
    expect(() => decodeFrame(new Uint8Array([1, 2]))).toThrow(ProtocolError);
  });

  it('refuses a frame claiming a payload it does not have', () => {
    const frame = encodeFrame({ type: 'slice', v: 1 }, new Uint8Array(8));
    expect(() => decodeFrame(frame.subarray(0, frame.length - 8))).toThrow(/truncated/);
  });

  it('parses text messages and refuses other versions', () => {
    const secret = 'a'.repeat(64);
    expect(parseIngestText(JSON.stringify({ type: 'hello', v: 1, session: header, secret })).type).toBe(
      'hello',
    );
    expect(() => parseIngestText(JSON.stringify({ type: 'hello', v: 1, session: header }))).toThrow(
      /hello.secret/,
    );
    expect(() =>
      parseIngestText(JSON.stringify({ type: 'hello', v: 1, session: header, secret: 'short' })),
    ).toThrow(/at least 32/);
    expect(parseIngestText(JSON.stringify({ type: 'end', v: 1, slices: 3, epochs: 3 }))).toMatchObject({
      slices: 3,
    });
    expect(() => parseIngestText(JSON.stringify({ type: 'end', v: 2, slices: 3, epochs: 3 }))).toThrow(
      /version 2/,
    );
    expect(() => parseIngestText('{')).toThrow(/not valid JSON/);
    expect(() =>
      parseIngestText(JSON.stringify({ type: 'epoch', v: 1, index: 0, epoch: 0, logs: { loss: 'x' } })),
    ).toThrow(/epoch\.logs\.loss must be a finite number/);
    expect(parseIngestReply(JSON.stringify({ type: 'ack', v: 1, of: 'slice', index: 4 }))).toEqual({
      type: 'ack',
      v: 1,
      of: 'slice',
      index: 4,
    });
  });
});

describe('embedding frames', () => {
  it('round-trips coordinates and most-active classes', () => {
    const coordinates = Float32Array.from({ length: 2 * 5 * 2 }, (_, i) => i / 3);
    const activeClass = Int16Array.from({ length: 10 }, (_, i) => (i % 3) - 1);
    const bytes = encodeEmbedding({
      session: header.id,
      slices: 2,
      units: 5,
      nComponents: 2,
      t: 7,
      landmarks: 0,
      final: false,
      coordinates,
      activeClass,
    });
    const m = decodeEmbedding(bytes);
    expect(Array.from(m.coordinates)).toEqual(Array.from(coordinates));
    expect(Array.from(m.activeClass)).toEqual(Array.from(activeClass));
    expect(m.t).toBe(7);
  });
});

describe('snapshot files', () => {
  async function snapshot(): Promise<{ bytes: Uint8Array; source: Snapshot }> {
    const trace = Float32Array.from({ length: 3 * 5 * 4 }, (_, i) => Math.sin(i));
    const source: Snapshot = {
      header: {
        format: 'mphate-snapshot',
        version: 1,
        exportedAt: 5,
        session: header,
        status: 'finished',
        slices: [0, 1, 2].map((n) => {
          const { units: _u, samples: _s, data: _d, ...meta } = slice(n);
          return meta;
        }),
        epochs: [{ index: 0, epoch: 0, task: null, time: 1, logs: { val_loss: 0.7 } }],
        embedding: { slices: 3, nComponents: 2, t: 5, landmarks: 0, final: true, mphate: { seed: 1 } },
      },
      trace,
      coordinates: Float32Array.from({ length: 3 * 5 * 2 }, (_, i) => i),
    };
    return { bytes: await encodeSnapshot(source), source };
  }

  it('round-trips header, trace and coordinates', async () => {
    const { bytes, source } = await snapshot();
    const back = await decodeSnapshot(bytes);
    expect(back.header).toEqual(source.header);
    expect(Array.from(back.trace)).toEqual(Array.from(source.trace));
    expect(Array.from(back.coordinates!)).toEqual(Array.from(source.coordinates!));
  });

  it('refuses a truncated file', async () => {
    const { bytes } = await snapshot();
    await expect(decodeSnapshot(bytes.subarray(0, bytes.length - 100))).rejects.toThrow(
      /checksum does not match/,
    );
  });

  it('refuses a file with one flipped byte', async () => {
    const { bytes } = await snapshot();
    const tampered = bytes.slice();
    tampered[tampered.length - 60]! ^= 1;
    await expect(decodeSnapshot(tampered)).rejects.toThrow(/checksum does not match/);
  });

  it('refuses a file that is not a snapshot', async () => {
    await expect(decodeSnapshot(new Uint8Array(100))).rejects.toThrow(/bad magic/);
  });
});

describe('.npy', () => {
  it('round-trips a 3-D float32 array', () => {
    const data = Float32Array.from({ length: 24 }, (_, i) => i * 0.5);
    const back = decodeNpy(encodeNpy({ shape: [2, 3, 4], data }));
    expect(back.shape).toEqual([2, 3, 4]);
    expect(back.dtype).toBe('float32');
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });

  it('writes a header numpy accepts: 64-byte aligned data, newline-terminated', () => {
    const bytes = encodeNpy({ shape: [5], data: new Float64Array(5) });
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    expect(bytes[10 + headerLength - 1]).toBe(0x0a);
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLength))).toContain("'shape': (5,)");
  });

  it('refuses truncated data and foreign dtypes', () => {
    const bytes = encodeNpy({ shape: [2, 2], data: new Float32Array(4) });
    expect(() => decodeNpy(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated .npy data/);
    const bigEndian = bytes.slice();
    const text = new TextDecoder().decode(bigEndian);
    bigEndian.set(new TextEncoder().encode('>f4'), text.indexOf('<f4'));
    expect(() => decodeNpy(bigEndian)).toThrow(/unsupported .npy dtype '>f4'/);
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]))).toThrow(/not a .npy file/);
  });

  it('refuses trailing bytes and shapes numpy never writes (1e3, 0x10, 2.5)', () => {
    const bytes = encodeNpy({ shape: [2, 2], data: new Float32Array(4) });
    const padded = new Uint8Array(bytes.length + 4);
    padded.set(bytes);
    expect(() => decodeNpy(padded)).toThrow(/4 bytes after the data/);
    const text = new TextDecoder().decode(bytes);
    for (const shape of ['1e3', '0x1', '2.5']) {
      const forged = bytes.slice();
      const at = text.indexOf("'shape': (2, 2)");
      forged.set(new TextEncoder().encode(`'shape': (${shape.padEnd(4)})`), at);
      expect(() => decodeNpy(forged), shape).toThrow(/bad .npy shape|truncated|after the data/);
      expect(() => decodeNpy(forged)).toThrow(NpyError);
    }
    expect(new NpyError('x')).toBeInstanceOf(ProtocolError);
  });
});
