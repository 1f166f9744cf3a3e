import { constants } from 'node:http2';
import { describe, expect, test } from '@jest/globals';
import {
  closeSession,
  connectReady,
  fetchStats,
  request,
  startRequest,
  unreconciled,
  waitUntil,
} from './rawClient.js';
import { serverFixture } from './serverFixture.js';

const start = serverFixture();

describe('fault: goawayEvery', () => {
  test('sends GOAWAY(NO_ERROR) after N streams on a connection and lets them finish', async () => {
    const server = await start({ goawayEvery: 3, latencyMs: 20 });
    const session = await connectReady(server.url);
    const goaways: [number, number][] = [];
    session.on('goaway', (code, lastStreamId) => goaways.push([code, lastStreamId]));
    const outcomes = await Promise.all(Array.from({ length: 3 }, () => request(session)));
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200]);
    // Client stream ids are odd: the third is 5, the last the server processed.
    expect(goaways[0]).toEqual([constants.NGHTTP2_NO_ERROR, 5]);
    await waitUntil(() => session.destroyed);
    // A second connection gets its own budget of 3.
    const next = await connectReady(server.url);
    expect((await request(next)).status).toBe(200);
    expect(server.stats()).toMatchObject({ streamsStarted: 4, streamsCompleted: 4, goawaySent: 1 });
    await closeSession(next);
  });
});

describe('fault: refuseOverCapacity', () => {
  test('refuses with REFUSED_STREAM (7) once every worker is busy and maxQueued wait', async () => {
    // K = ceil(20 TPS × 200 ms / 1000) = 4 workers, 2 may wait, the other 14 of 20 are refused.
    const server = await start({
      capacityTps: 20,
      latencyMs: 200,
      refuseOverCapacity: true,
      maxQueued: 2,
    });
    const session = await connectReady(server.url);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => request(session)));
    const ok = outcomes.filter((o) => o.status === 200);
    const refused = outcomes.filter((o) => o.rstCode === constants.NGHTTP2_REFUSED_STREAM);
    expect(ok).toHaveLength(6);
    expect(refused).toHaveLength(14);
    const stats = await fetchStats(server.url);
    expect(stats).toMatchObject({ refused: 14, streamsCompleted: 6, rstReceived: {} });
    expect(unreconciled(stats)).toBe(0);
    await closeSession(session);
  });

  test('without the flag the same load queues instead and everything completes', async () => {
    const server = await start({ capacityTps: 20, latencyMs: 100, maxQueued: 2 });
    const session = await connectReady(server.url);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => request(session)));
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    expect(server.stats().refused).toBe(0);
    await closeSession(session);
  });
});

describe('fault: maxResetsPerS (reset flood)', () => {
  test('more than N resets in a second earn GOAWAY(ENHANCE_YOUR_CALM) and a closed connection', async () => {
    const server = await start({ maxResetsPerS: 10, latencyMs: 2000 });
    const session = await connectReady(server.url);
    const goaways: number[] = [];
    session.on('goaway', (code) => goaways.push(code));
    const pending = Array.from({ length: 15 }, () => startRequest(session));
    await waitUntil(() => server.stats().streamsInFlight === 15);
    // Ten resets are tolerated.
    for (const p of pending.slice(0, 10)) p.stream.close(constants.NGHTTP2_CANCEL);
    await waitUntil(() => server.stats().rstReceived.CANCEL === 10);
    expect(server.stats().goawaySent).toBe(0);
    // The eleventh within the second is one too many.
    pending[10]!.stream.close(constants.NGHTTP2_CANCEL);
    await waitUntil(() => session.destroyed);
    expect(goaways).toEqual([constants.NGHTTP2_ENHANCE_YOUR_CALM]);
    await waitUntil(() => server.stats().streamsInFlight === 0);
    const stats = server.stats();
    expect(stats).toMatchObject({ goawaySent: 1, rstReceived: { CANCEL: 11 }, streamsLost: 4 });
    expect(unreconciled(stats)).toBe(0);
  });

  test('resets spread over more than a second stay under the limit', async () => {
    const server = await start({ maxResetsPerS: 3, latencyMs: 5000 });
    const session = await connectReady(server.url);
    const pending = Array.from({ length: 6 }, () => startRequest(session));
    await waitUntil(() => server.stats().streamsInFlight === 6);
    for (const p of pending.slice(0, 3)) p.stream.close(constants.NGHTTP2_CANCEL);
    await waitUntil(() => server.stats().rstReceived.CANCEL === 3);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    for (const p of pending.slice(3, 6)) p.stream.close(constants.NGHTTP2_CANCEL);
    await waitUntil(() => server.stats().rstReceived.CANCEL === 6);
    expect(server.stats().goawaySent).toBe(0);
    expect(session.destroyed).toBe(false);
    await closeSession(session);
  });
});

describe('fault: errorFraction', () => {
  test('answers exactly that share at once with the status and retry-after', async () => {
    const server = await start({
      errorFraction: 0.25,
      errorStatus: 429,
      retryAfterS: 2,
      latencyMs: 100,
    });
    const session = await connectReady(server.url);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => request(session)));
    const limited = outcomes.filter((o) => o.status === 429);
    expect(limited).toHaveLength(5);
    for (const o of limited) {
      expect(o.headers['retry-after']).toBe('2');
      // Answered without the modelled latency.
      expect(o.elapsedMs).toBeLessThan(90);
    }
    expect(outcomes.filter((o) => o.status === 200)).toHaveLength(15);
    expect(server.stats().responsesByStatus).toEqual({ '200': 15, '429': 5 });
    await closeSession(session);
  });
});

describe('fault: errorFraction without retry-after, and notFoundFraction', () => {
  test('retryAfterS null: the same share of 503s, with no retry-after header', async () => {
    const server = await start({ errorFraction: 0.25, retryAfterS: null, latencyMs: 20 });
    const session = await connectReady(server.url);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => request(session)));
    const errors = outcomes.filter((o) => o.status === 503);
    expect(errors).toHaveLength(5);
    for (const o of errors) expect(o.headers).not.toHaveProperty('retry-after');
    await closeSession(session);
  });

  test('answers that share of the remaining requests 404 at once, exactly', async () => {
    // 40 requests: 10 get the 503; of the other 30, a fifth (6) get 404.
    const server = await start({ errorFraction: 0.25, notFoundFraction: 0.2, latencyMs: 100 });
    const session = await connectReady(server.url);
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => request(session)));
    const notFound = outcomes.filter((o) => o.status === 404);
    expect(notFound).toHaveLength(6);
    for (const o of notFound) expect(o.elapsedMs).toBeLessThan(90);
    expect(server.stats().responsesByStatus).toEqual({ '200': 24, '404': 6, '503': 10 });
    await closeSession(session);
  });
});

describe('fault: latencySpike', () => {
  test('multiplies service times that start inside the window after the first request', async () => {
    const server = await start({
      latencyMs: 20,
      latencySpike: { factor: 10, atMs: 150, forMs: 400 },
    });
    const session = await connectReady(server.url);
    // The stats route does not start the spike's clock: had it, `first` would fall in the spike.
    await fetchStats(server.url);
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    const first = await request(session);
    await new Promise((r) => setTimeout(r, 200 - (performance.now() - t0)));
    const during = await request(session);
    await new Promise((r) => setTimeout(r, 600 - (performance.now() - t0)));
    const after = await request(session);
    expect(first.elapsedMs).toBeLessThan(100);
    expect(during.elapsedMs).toBeGreaterThanOrEqual(195);
    expect(after.elapsedMs).toBeLessThan(100);
    await closeSession(session);
  });
});

describe('fault: maxRequestBytes', () => {
  test('answers 413 and stops the upload with RST_STREAM(NO_ERROR); smaller bodies pass', async () => {
    const server = await start({ maxRequestBytes: 10_000, latencyMs: 1 });
    const session = await connectReady(server.url);
    const big = await request(session, { body: Buffer.alloc(200_000, 1) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ ok: false });
    const small = await request(session, { body: Buffer.alloc(10_000, 1) });
    expect(small.status).toBe(200);
    expect(server.stats()).toMatchObject({
      streamsCompleted: 2,
      rstReceived: {},
      responsesByStatus: { '200': 1, '413': 1 },
    });
    await closeSession(session);
  });
});

describe('control: goawayAll and setLatencyMultiplier', () => {
  test('goawayAll(PROTOCOL_ERROR) reaches every session with the code', async () => {
    const server = await start({ latencyMs: 1 });
    const sessions = await Promise.all([connectReady(server.url), connectReady(server.url)]);
    const codes: number[] = [];
    for (const s of sessions) s.on('goaway', (code) => codes.push(code));
    expect(server.goawayAll(constants.NGHTTP2_PROTOCOL_ERROR)).toBe(2);
    await waitUntil(() => codes.length === 2);
    expect(codes).toEqual([constants.NGHTTP2_PROTOCOL_ERROR, constants.NGHTTP2_PROTOCOL_ERROR]);
    expect(server.stats().goawaySent).toBe(2);
  });

  test('the multiplier stretches service times that start after it is set', async () => {
    const server = await start({ latencyMs: 20 });
    const session = await connectReady(server.url);
    const before = await request(session);
    server.setLatencyMultiplier(10);
    const during = await request(session);
    server.setLatencyMultiplier(1);
    const after = await request(session);
    expect(during.elapsedMs).toBeGreaterThanOrEqual(195);
    expect(before.elapsedMs).toBeLessThan(during.elapsedMs / 2);
    expect(after.elapsedMs).toBeLessThan(during.elapsedMs / 2);
    expect(() => server.setLatencyMultiplier(-1)).toThrow(RangeError);
    await closeSession(session);
  });
});
