import { distanceAgreement, fitTransform } from '@mphate/core';
import { decodeNpy, type EmbeddingMessage, type SessionDetail } from '@mphate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IngestClient,
  LiveClient,
  sessionHeader,
  sliceMeta,
  sliceOf,
  syntheticTrace,
} from './helpers/clients.js';
import { api, STORES, stopTestPostgres, type TestServer, testServer } from './helpers/server.js';

afterAll(stopTestPostgres);

const UNITS = 40;
const SAMPLES = 24;
const SLICES = 10;

describe.each(STORES)(
  'a streamed session (%s store): stored, embedded live, pushed to two dashboards, final = batch',
  (store) => {
    let t: TestServer;
    beforeAll(async () => {
      t = await testServer({}, store);
    });
    afterAll(async () => {
      await t.stop();
    });

    it('streams, embeds, pushes; live agrees with batch; final equals fitTransform of the exported trace', async () => {
      const labels = Array.from({ length: SAMPLES }, (_, i) => i % 3);
      const header = sessionHeader({
        units: UNITS,
        samples: SAMPLES,
        probeLabels: labels,
        mphate: { seed: 5 },
      });
      const trace = syntheticTrace(SLICES, UNITS, SAMPLES, 21);
      const dashboards = [await LiveClient.connect(t.url), await LiveClient.connect(t.url)];
      for (const d of dashboards) await d.waitFor((m) => m.type === 'sessions');

      const ingest = await IngestClient.connect(t.url, header);
      for (const d of dashboards) d.subscribe(header.id);
      for (const d of dashboards) await d.waitFor((m) => m.type === 'session' && m.session.id === header.id);
      for (let s = 0; s < SLICES; s++) {
        await ingest.slice(sliceMeta(s), sliceOf(trace, s, UNITS, SAMPLES), UNITS, SAMPLES);
        await ingest.epoch(s, { loss: 1 / (s + 1), val_loss: 1.2 / (s + 1) });
      }
      // the live embedding catches up with the newest state
      const live = await Promise.all(
        dashboards.map((d) => d.embedding(header.id, (e) => e.slices === SLICES && !e.final)),
      );
      await ingest.end(SLICES, SLICES);
      const finals = await Promise.all(dashboards.map((d) => d.embedding(header.id, (e) => e.final)));
      ingest.close();

      // both dashboards saw the same frames, logs and progress
      for (const d of dashboards) {
        expect(d.embeddings(header.id).length).toBeGreaterThanOrEqual(2);
        expect(d.inbox.messages.some((m) => m.type === 'logs' && m.rows.length === 1)).toBe(true);
        expect(
          d.inbox.messages.some(
            (m) => m.type === 'progress' && m.session === header.id && m.phase !== 'idle',
          ),
        ).toBe(true);
      }
      expect(Buffer.from(finals[0]!.coordinates.buffer.slice(0)).length).toBeGreaterThan(0);
      expect([...finals[0]!.coordinates]).toEqual([...finals[1]!.coordinates]);
      const final = finals[0]!;
      expect(final).toMatchObject({ slices: SLICES, units: UNITS, nComponents: 2, final: true });
      // most-active class per point, from the probe labels
      expect(final.activeClass.length).toBe(SLICES * UNITS);
      expect(final.activeClass.every((c) => c >= 0 && c < 3)).toBe(true);

      // stored
      const detail = (await (await api(t.url, `/api/sessions/${header.id}`)).json()) as SessionDetail;
      expect(detail).toMatchObject({
        status: 'finished',
        slices: SLICES,
        epochs: SLICES,
        embeddedSlices: SLICES,
        embeddingFinal: true,
      });
      expect(detail.mphate).toEqual({ seed: 5 });

      // final coordinates = mphate embed (fitTransform) of the exported trace with the same options
      const npy = decodeNpy(
        new Uint8Array(await (await api(t.url, `/api/sessions/${header.id}/trace.npy`)).arrayBuffer()),
      );
      // (REST before fitTransform: the in-process batch embedding blocks this event loop a while)
      const rest = new Float32Array(
        await (await api(t.url, `/api/sessions/${header.id}/embedding`)).arrayBuffer(),
      );
      expect(Buffer.from(rest.buffer).equals(Buffer.from(final.coordinates.slice().buffer))).toBe(true);
      const batch = await fitTransform(
        { epochs: SLICES, units: UNITS, samples: SAMPLES, data: npy.data as Float32Array },
        detail.mphate,
      );
      expect(batch.coordinates.length).toBe(final.coordinates.length);
      const maxDiff = batch.coordinates.reduce(
        (m, v, i) => Math.max(m, Math.abs(v - final.coordinates[i]!)),
        0,
      );
      console.log(`final vs fitTransform of the exported trace: max |difference| = ${maxDiff}`);
      expect(maxDiff).toBeLessThanOrEqual(1e-4);

      // live frames agree with the batch embedding of the same slices
      const lastLive = live[0] as EmbeddingMessage;
      const agreement = distanceAgreement(lastLive.coordinates, batch.coordinates, SLICES * UNITS, 2, 2);
      console.log(`live vs batch distance agreement (Spearman): ${agreement.toFixed(3)}`);
      expect(agreement).toBeGreaterThanOrEqual(0.9);
      for (const d of dashboards) d.close();
    });

    it('a session that ends before its last slices were shown live: a live frame of every slice, then the final one', async () => {
      const header = sessionHeader({ units: UNITS, samples: SAMPLES, mphate: { seed: 6 } });
      const trace = syntheticTrace(SLICES, UNITS, SAMPLES, 22);
      const dashboard = await LiveClient.connect(t.url);
      await dashboard.waitFor((m) => m.type === 'sessions');
      const ingest = await IngestClient.connect(t.url, header);
      dashboard.subscribe(header.id);
      for (let s = 0; s < 3; s++)
        await ingest.slice(sliceMeta(s), sliceOf(trace, s, UNITS, SAMPLES), UNITS, SAMPLES);
      await dashboard.embedding(header.id, (e) => !e.final);
      // the rest of the training and its end arrive while live frames are being computed
      for (let s = 3; s < SLICES; s++)
        ingest.sendSlice(sliceMeta(s), sliceOf(trace, s, UNITS, SAMPLES), UNITS, SAMPLES);
      await ingest.end(SLICES, SLICES);
      const final = await dashboard.embedding(header.id, (e) => e.final);
      const frames = dashboard.embeddings(header.id);
      const lastLive = frames.findIndex((e) => !e.final && e.slices === SLICES);
      expect(lastLive).toBeGreaterThanOrEqual(0);
      expect(lastLive).toBeLessThan(frames.indexOf(final));
      expect(final.slices).toBe(SLICES);
      dashboard.close();
      ingest.close();
    });

    it('a dashboard that connects mid-session gets the current state at once; re-embed with other options is pushed', async () => {
      const header = sessionHeader({ units: UNITS, samples: SAMPLES });
      const trace = syntheticTrace(4, UNITS, SAMPLES, 8);
      const ingest = await IngestClient.connect(t.url, header);
      for (let s = 0; s < 4; s++)
        await ingest.slice(sliceMeta(s), sliceOf(trace, s, UNITS, SAMPLES), UNITS, SAMPLES);
      await t.server.idle(header.id);
      const late = await LiveClient.connect(t.url);
      late.subscribe(header.id);
      const state = await late.waitFor((m) => m.type === 'session');
      expect(state.type === 'session' && state.session.slices).toBe(4);
      const first = await late.embedding(header.id, () => true, 30_000);
      expect(first.slices).toBeGreaterThanOrEqual(2);
      // a live session cannot be re-embedded; a finished one can
      const conflict = await api(t.url, `/api/sessions/${header.id}/embed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"t": 5}',
      });
      expect(conflict.status).toBe(409);
      await ingest.end(4, 0);
      await late.embedding(header.id, (e) => e.final);
      const accepted = await api(t.url, `/api/sessions/${header.id}/embed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"t": 5, "nComponents": 3}',
      });
      expect(accepted.status).toBe(202);
      const reembedded = await late.embedding(header.id, (e) => e.nComponents === 3);
      expect(reembedded).toMatchObject({ t: 5, slices: 4 });
      late.close();
      ingest.close();
    });
  },
);

describe('one session final batch and another session live frames, one live worker (sqlite)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await testServer({ workers: 1 });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('the live frames keep coming while the final batch runs on the batch worker', async () => {
    const dashboard = await LiveClient.connect(t.url);
    await dashboard.waitFor((m) => m.type === 'sessions');
    // a: a larger training (2,400 points: its final batch's dense stages take seconds)
    const a = sessionHeader({ units: 120, samples: SAMPLES, mphate: { seed: 1 } });
    const aTrace = syntheticTrace(20, 120, SAMPLES, 31);
    const ingestA = await IngestClient.connect(t.url, a);
    dashboard.subscribe(a.id);
    for (let s = 0; s < 20; s++)
      ingestA.sendSlice(sliceMeta(s), sliceOf(aTrace, s, 120, SAMPLES), 120, SAMPLES);
    await ingestA.end(20, 20);
    // b starts once a's final batch is running
    await dashboard.waitFor(
      (m) => m.type === 'progress' && m.session === a.id && m.final && m.phase !== 'queued',
    );
    const b = sessionHeader({ units: UNITS, samples: SAMPLES });
    const bTrace = syntheticTrace(3, UNITS, SAMPLES, 32);
    const ingestB = await IngestClient.connect(t.url, b);
    dashboard.subscribe(b.id);
    for (let s = 0; s < 3; s++)
      await ingestB.slice(sliceMeta(s), sliceOf(bTrace, s, UNITS, SAMPLES), UNITS, SAMPLES);
    await dashboard.embedding(b.id, (e) => e.slices === 3);
    // b's frame came while a's final batch was still running
    expect(dashboard.embeddings(a.id).some((e) => e.final)).toBe(false);
    const final = await dashboard.embedding(a.id, (e) => e.final);
    expect(final.slices).toBe(20);
    dashboard.close();
    ingestA.close();
    ingestB.close();
  });
});
