/**
 * The session view on a real training (chromium, real server): framing of the bulk when the
 * first slices are outliers, reset view, the publication figure and the replay video; and the
 * compare view's memorization errors for a short dropout run streamed by the real callback.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mphateCallback } from '@mphate/callback';
import * as tf from '@tensorflow/tfjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../packages/server/test/helpers/server.ts';
import {
  importFile,
  launchBrowser,
  mlpSpec,
  openPage,
  ROOT,
  screenshot,
  snapshotBytes,
  until,
} from './dashboard-helpers.ts';

type Hook = {
  scatter: {
    pointsDrawn: number;
    draws: number;
    screenPosition(row: number): [number, number] | null;
    camera(): { target: [number, number]; distance: number };
    zoom(f: number): void;
  };
  compare: {
    summaries: {
      name: string;
      memorizationError: number | null;
      memorizationErrorInference: number | null;
      lossGap: number | null;
    }[];
    scatters: { pointsDrawn: number }[];
  };
  setColorMode(mode: string): void;
  figureSvg(): string | null;
  recordVideo(): Promise<string | null>;
};
declare const window: { __mphate: Hook };

const DIST = join(ROOT, 'packages', 'dashboard', 'dist', 'index.html');
const UNITS = 96;
const SLICES = 60;

/** One encoded video frame of a WebM file, and whether it is a key frame. */
type WebmFrame = { key: boolean; data: Uint8Array };

/**
 * The codec and the video frames of a WebM file, read from its EBML tree: SimpleBlocks, and
 * Blocks inside BlockGroups (Chrome writes BlockGroups; one without a ReferenceBlock is a key
 * frame). Lacing is not handled: MediaRecorder writes one frame per block.
 */
function webmFrames(bytes: Uint8Array): { codec: string; frames: WebmFrame[] } {
  // Segment, Cluster, Tracks, TrackEntry: descend into these.
  const CONTAINERS = new Set([0x18538067, 0x1f43b675, 0x1654ae6b, 0xae]);
  const frames: WebmFrame[] = [];
  let codec = '';
  const vint = (at: number) => {
    const length = 8 - Math.floor(Math.log2(bytes[at]!));
    let value = bytes[at]! & ((1 << (8 - length)) - 1);
    let unknown = value === (1 << (8 - length)) - 1;
    for (let i = 1; i < length; i++) {
      value = value * 256 + bytes[at + i]!;
      if (bytes[at + i] !== 0xff) unknown = false;
    }
    return { value, length, unknown };
  };
  const block = (at: number, stop: number, key: boolean): WebmFrame => {
    const track = vint(at);
    const header = track.length + 3; // track number, int16 timecode, flags
    return { key, data: bytes.slice(at + header, stop) };
  };
  const walk = (start: number, end: number, group?: { key: boolean; at: number; stop: number }) => {
    let at = start;
    while (at < end) {
      const idLength = 8 - Math.floor(Math.log2(bytes[at]!));
      let id = 0;
      for (let i = 0; i < idLength; i++) id = id * 256 + bytes[at + i]!;
      at += idLength;
      const size = vint(at);
      at += size.length;
      const stop = size.unknown ? end : Math.min(end, at + size.value);
      if (id === 0xa3) frames.push(block(at, stop, (bytes[at + vint(at).length + 2]! & 0x80) !== 0));
      else if (id === 0x86) codec = new TextDecoder().decode(bytes.slice(at, stop));
      else if (id === 0xa0) {
        const inner = { key: true, at: -1, stop: -1 };
        walk(at, stop, inner);
        if (inner.at >= 0) frames.push(block(inner.at, inner.stop, inner.key));
      } else if (group && id === 0xa1) Object.assign(group, { at, stop });
      else if (group && id === 0xfb) group.key = false;
      else if (CONTAINERS.has(id)) walk(at, stop);
      at = stop;
    }
  };
  walk(0, bytes.length);
  return { codec, frames };
}

describe('session view exports and framing (chromium, real server)', () => {
  let ts: TestServer;
  let browser: Browser;
  let mlpId: string;

  beforeAll(async () => {
    if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build the dashboard first (pnpm build)`);
    ts = await testServer();
    browser = await launchBrowser();
    mlpId = await importFile(ts.url, await snapshotBytes(mlpSpec('mlp vanilla')));
  });
  afterAll(async () => {
    await browser?.close();
    await ts?.stop();
  });

  async function open(hash: string): Promise<{ page: Page; errors: string[] }> {
    const opened = await openPage(browser, `${ts.url}${hash}`);
    await until(opened.page, () => Boolean(window.__mphate), 'the page to start', 20_000);
    return opened;
  }

  /** Share of the canvas's width and height the points of slices >= 10 % span on screen. */
  async function laterSpan(page: Page): Promise<{ width: number; height: number }> {
    const box = (await page.locator('#scatter canvas').boundingBox())!;
    return page.evaluate(
      ({ units, slices, w, h }) => {
        let x0 = Infinity;
        let x1 = -Infinity;
        let y0 = Infinity;
        let y1 = -Infinity;
        for (let row = Math.floor(slices * 0.1) * units; row < slices * units; row++) {
          const p = window.__mphate.scatter.screenPosition(row);
          if (!p) continue;
          const x = Math.min(w, Math.max(0, p[0]));
          const y = Math.min(h, Math.max(0, p[1]));
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
        return { width: (x1 - x0) / w, height: (y1 - y0) / h };
      },
      { units: UNITS, slices: SLICES, w: box.width, h: box.height },
    );
  }

  /** Bounding box of the drawn pixels of the canvas screenshot, as shares of its size. */
  async function inkBox(page: Page, name: string): Promise<{ width: number; height: number }> {
    const png = await screenshot(page, name, page.locator('#scatter canvas'));
    return page.evaluate(async (b64) => {
      const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
      const c = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      let x0 = Infinity;
      let x1 = -Infinity;
      let y0 = Infinity;
      let y1 = -Infinity;
      for (let y = 0; y < bitmap.height; y++)
        for (let x = 0; x < bitmap.width; x++) {
          const i = (y * bitmap.width + x) * 4;
          if (Math.abs(data[i]! - 20) + Math.abs(data[i + 1]! - 22) + Math.abs(data[i + 2]! - 26) > 40) {
            x0 = Math.min(x0, x);
            x1 = Math.max(x1, x);
            y0 = Math.min(y0, y);
            y1 = Math.max(y1, y);
          }
        }
      return { width: (x1 - x0) / bitmap.width, height: (y1 - y0) / bitmap.height };
    }, png.toString('base64'));
  }

  it('frames the bulk of a real training: the later 90 % of slices span >= 60 % of the canvas; reset view restores it after a zoom', async () => {
    const { page, errors } = await open(`#session=${mlpId}`);
    try {
      await until(page, () => window.__mphate.scatter.pointsDrawn === 96 * 60, 'all points drawn');
      const span = await laterSpan(page);
      expect(span.width).toBeGreaterThanOrEqual(0.6);
      expect(span.height).toBeGreaterThanOrEqual(0.6);
      const ink = await inkBox(page, 'framing-fitted');
      expect(ink.width).toBeGreaterThanOrEqual(0.6);
      expect(ink.height).toBeGreaterThanOrEqual(0.6);

      await page.evaluate(() => window.__mphate.scatter.zoom(0.4));
      await until(page, () => window.__mphate.scatter.camera().distance > 2, 'the zoom out');
      const zoomed = await laterSpan(page);
      expect(zoomed.width).toBeLessThan(span.width * 0.6);

      await page.click('#reset-view');
      await until(
        page,
        () => Math.abs(window.__mphate.scatter.camera().distance - 1) < 1e-6,
        'the reset camera',
      );
      const reset = await laterSpan(page);
      expect(reset.width).toBeCloseTo(span.width, 2);
      expect(reset.height).toBeCloseTo(span.height, 2);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the figure: an SVG whose legend lists every class, with axis labels; the PNG is twice its size', async () => {
    const { page, errors } = await open(`#session=${mlpId}`);
    try {
      await until(page, () => window.__mphate.scatter.pointsDrawn > 0, 'the embedding');
      await page.evaluate(() => window.__mphate.setColorMode('class'));
      const svg = (await page.evaluate(() => window.__mphate.figureSvg()))!;
      const items = [...svg.matchAll(/class="legend-item"[^>]*>([^<]*)</g)].map((m) => m[1]);
      for (let d = 0; d < 10; d++) expect(items).toContain(`digit ${d}`);
      const axes = [...svg.matchAll(/class="axis-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
      expect(axes.sort()).toEqual(['M-PHATE 1', 'M-PHATE 2']);
      // Every point is drawn: one zero-length segment each.
      expect(svg.match(/h0/g)?.length).toBe(96 * 60);
      const download = page.waitForEvent('download');
      await page.click('#export-figure-png');
      const file = await (await download).path();
      const size = await page.evaluate(
        async (b64) => {
          const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
          return [bitmap.width, bitmap.height];
        },
        (await import('node:fs')).readFileSync(file!).toString('base64'),
      );
      expect(size).toEqual([1440, 1040]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the replay video: one WebM frame per slice, first and last frames differ, the epoch label is drawn', async () => {
    const { page, errors } = await open(`#session=${mlpId}`);
    try {
      await until(page, () => window.__mphate.scatter.pointsDrawn > 0, 'the embedding');
      const b64 = (await page.evaluate(() => window.__mphate.recordVideo()))!;
      const bytes = new Uint8Array(Buffer.from(b64, 'base64'));
      const webm = webmFrames(bytes);
      expect(webm.codec).toMatch(/^V_VP[89]$/);
      expect(webm.frames.length).toBe(SLICES);
      expect(webm.frames[0]!.key).toBe(true);
      // The frames are decoded one by one (WebCodecs), not sought in a <video>: seeking a
      // MediaRecorder file (no cues, no duration) can show a frame not yet decoded under load.
      const frames = await page.evaluate(
        async ({ data, codec, chunks }) => {
          // A player opens the file.
          const video = document.createElement('video');
          video.muted = true;
          video.src = URL.createObjectURL(await (await fetch(`data:video/webm;base64,${data}`)).blob());
          await new Promise((resolve, reject) => {
            video.addEventListener('loadeddata', resolve, { once: true });
            video.addEventListener('error', () => reject(new Error('the video does not load')), {
              once: true,
            });
          });
          const decoded: ImageData[] = [];
          let failure: unknown = null;
          const decoder = new VideoDecoder({
            output: (frame) => {
              const c = document.createElement('canvas');
              c.width = frame.displayWidth;
              c.height = frame.displayHeight;
              const ctx = c.getContext('2d')!;
              ctx.drawImage(frame, 0, 0);
              decoded.push(ctx.getImageData(0, 0, c.width, c.height));
              frame.close();
            },
            error: (e) => {
              failure = e;
            },
          });
          decoder.configure({ codec: codec === 'V_VP9' ? 'vp09.00.10.08' : 'vp8' });
          chunks.forEach((chunk, i) => {
            const bytes = Uint8Array.from(atob(chunk.data), (ch) => ch.charCodeAt(0));
            decoder.decode(
              new EncodedVideoChunk({
                type: chunk.key ? 'key' : 'delta',
                timestamp: i * 120_000,
                data: bytes,
              }),
            );
          });
          await decoder.flush();
          if (failure) throw failure;
          const first = decoded[0]!;
          const last = decoded[decoded.length - 1]!;
          let diff = 0;
          for (let i = 0; i < first.data.length; i += 4) diff += Math.abs(first.data[i]! - last.data[i]!);
          // The label box sits at the top left: light text on a dark box.
          const light = (frame: ImageData) => {
            let n = 0;
            for (let y = 0; y < Math.min(60, frame.height); y++)
              for (let x = 0; x < Math.min(260, frame.width); x++) {
                const i = (y * frame.width + x) * 4;
                if (frame.data[i]! > 170 && frame.data[i + 1]! > 170 && frame.data[i + 2]! > 170) n++;
              }
            return n;
          };
          return {
            decoded: decoded.length,
            diff: diff / (first.data.length / 4),
            white: Math.min(light(first), light(last)),
            width: first.width,
          };
        },
        {
          data: b64,
          codec: webm.codec,
          chunks: webm.frames.map((f) => ({ key: f.key, data: Buffer.from(f.data).toString('base64') })),
        },
      );
      expect(frames.decoded).toBe(SLICES);
      expect(frames.width).toBeGreaterThan(100);
      expect(frames.diff).toBeGreaterThan(1);
      expect(frames.white).toBeGreaterThan(30);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('compare: a short dropout run shows the memorization error from the cross-entropy metric and the inference-mode one; panels have legends', async () => {
    // A small dropout classifier streamed by the real callback, as a user's run would be.
    const labels = Array.from({ length: 300 }, (_, i) => i % 3);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3).toFloat();
    const x = tf.tidy(() =>
      y
        .matMul(tf.randomNormal([3, 8], 0, 1.5, 'float32', 3))
        .add(tf.randomNormal([300, 8], 0, 1, 'float32', 4)),
    );
    const [tx, vx] = [x.slice([0, 0], [240, 8]), x.slice([240, 0], [60, 8])];
    const [ty, vy] = [y.slice([0, 0], [240, 3]), y.slice([240, 0], [60, 3])];
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [8], units: 24, activation: 'relu' }),
        tf.layers.dropout({ rate: 0.5, seed: 1 }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    model.compile({
      optimizer: tf.train.adam(0.01),
      loss: 'categoricalCrossentropy',
      metrics: ['categoricalCrossentropy'],
    });
    const callback = mphateCallback({
      tf,
      probe: vx.slice([0, 0], [20, 8]),
      server: ts.url,
      session: 'short dropout',
      inferenceEval: { train: [tx, ty], validation: [vx, vy] },
    });
    const history = await model.fit(tx, ty, {
      epochs: 4,
      validationData: [vx, vy],
      verbose: 0,
      callbacks: [callback],
    });
    expect(await callback.flush({ timeoutMs: 20_000 })).toBe(true);
    const at = (key: string) => history.history[key]!.at(-1) as number;
    const metricError = at('val_categoricalCrossentropy') - at('categoricalCrossentropy');
    const ce = (a: tf.Tensor, b: tf.Tensor) =>
      tf.tidy(
        () =>
          tf.metrics
            .categoricalCrossentropy(b, model.predict(a) as tf.Tensor)
            .mean()
            .dataSync()[0]!,
      );
    const inferenceError = ce(vx, vy) - ce(tx, ty);

    const { page, errors } = await open(`#compare=${callback.sessionId},${mlpId}`);
    try {
      await until(
        page,
        () => window.__mphate.compare.summaries[0]?.memorizationError != null,
        'the summaries',
      );
      const summary = await page.evaluate(() => window.__mphate.compare.summaries[0]!);
      expect(summary.name).toBe('short dropout');
      expect(summary.memorizationError).toBeCloseTo(metricError, 5);
      expect(summary.memorizationErrorInference).toBeCloseTo(inferenceError, 4);
      const text = await page.textContent('.compare-panel .compare-summary');
      expect(text).toContain('memorization error (inference mode)');
      expect(text).toContain('val_loss − loss (with penalties)');
      await until(
        page,
        () => window.__mphate.compare.scatters.every((s) => s.pointsDrawn > 0),
        'both panels drawn',
        90_000,
      );
      const legends = await page.$$eval('.compare-legend', (els) => els.map((e) => e.textContent ?? ''));
      expect(legends).toHaveLength(2);
      for (const l of legends) expect(l).toMatch(/slice/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      model.dispose();
      tf.dispose([x, y, tx, vx, ty, vy]);
    }
  });
});
