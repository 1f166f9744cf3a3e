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

describe('test server counters', () => {
  test('counts started and completed streams, answers JSON of responseBytes, and the stats route counts nothing', async () => {
    const server = await start({ latencyMs: 5, responseBytes: 75 });
    const session = await connectReady(server.url);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request(session, {
          method: i % 2 ? 'GET' : 'POST',
          path: `/any/${i}`,
          body: i % 2 ? '' : '{"x":1}',
        }),
      ),
    );
    for (const outcome of outcomes) {
      expect(outcome.status).toBe(200);
      expect(Buffer.byteLength(outcome.body)).toBe(75);
      expect(JSON.parse(outcome.body)).toMatchObject({ ok: true });
    }
    const first = await fetchStats(server.url);
    const second = await fetchStats(server.url);
    expect(first).toMatchObject({
      streamsStarted: 10,
      streamsCompleted: 10,
      rstReceived: {},
      refused: 0,
      goawaySent: 0,
      streamsLost: 0,
      streamsInFlight: 0,
      responsesByStatus: { '200': 10 },
    });
    expect(first.maxConcurrentSeen).toBeGreaterThanOrEqual(1);
    expect(first.maxConcurrentSeen).toBeLessThanOrEqual(10);
    // Asking for the stats twice changes none of the stream counters.
    expect(second.streamsStarted).toBe(10);
    expect(second.streamsCompleted).toBe(10);
    expect(server.stats()).toEqual(second);
    await closeSession(session);
  });

  test('a client reset of an in-flight stream counts as CANCEL and is never answered', async () => {
    const server = await start({ latencyMs: 200 });
    const session = await connectReady(server.url);
    const cancelled = Array.from({ length: 3 }, () => startRequest(session));
    const kept = startRequest(session);
    await waitUntil(() => server.stats().inService === 4);
    for (const r of cancelled) r.stream.close(constants.NGHTTP2_CANCEL);
    await waitUntil(() => server.stats().rstReceived.CANCEL === 3);
    // Unlimited capacity: nothing waits for their workers, so their timers go at once.
    expect(server.stats()).toMatchObject({ inService: 1, streamsInFlight: 1 });
    expect((await kept.done).status).toBe(200);
    const stats = await fetchStats(server.url);
    expect(stats).toMatchObject({
      streamsStarted: 4,
      streamsCompleted: 1,
      rstReceived: { CANCEL: 3 },
      refused: 0,
      streamsLost: 0,
      responsesByStatus: { '200': 1 },
    });
    expect(unreconciled(stats)).toBe(0);
    await closeSession(session);
  });

  test('with a capacity, a reset in service still holds its worker (wasted work); a queued one leaves the queue', async () => {
    // K = ceil(5 TPS × 200 ms / 1000) = 1 worker.
    const server = await start({ latencyMs: 200, capacityTps: 5 });
    expect(server.workers).toBe(1);
    const session = await connectReady(server.url);
    const serving = startRequest(session);
    await waitUntil(() => server.stats().inService === 1);
    const queued = startRequest(session);
    await waitUntil(() => server.stats().queued === 1);
    queued.stream.close(constants.NGHTTP2_CANCEL);
    await waitUntil(() => server.stats().queued === 0);
    serving.stream.close(constants.NGHTTP2_CANCEL);
    await waitUntil(() => server.stats().rstReceived.CANCEL === 2);
    expect(server.stats()).toMatchObject({ inService: 1, streamsInFlight: 0 });
    // The next request waits for the wasted work to end, then is served: more than one service time.
    const next = await request(session);
    expect(next.status).toBe(200);
    expect(next.elapsedMs).toBeGreaterThan(250);
    expect(server.stats()).toMatchObject({ inService: 0, queued: 0, streamsCompleted: 1 });
    await closeSession(session);
  });

  test('resets are keyed by error-code name and never confused with the server’s own closes', async () => {
    const server = await start({ latencyMs: 500 });
    const session = await connectReady(server.url);
    const a = startRequest(session);
    const b = startRequest(session);
    const c = startRequest(session);
    await waitUntil(() => server.stats().streamsInFlight === 3);
    a.stream.close(constants.NGHTTP2_CANCEL);
    b.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    c.stream.close(constants.NGHTTP2_NO_ERROR);
    await waitUntil(() => server.stats().streamsInFlight === 0);
    expect(server.stats().rstReceived).toEqual({ CANCEL: 1, INTERNAL_ERROR: 1, NO_ERROR: 1 });
    expect(server.stats().streamsCompleted).toBe(0);
    await closeSession(session);
  });

  test('streams in flight when the sockets are destroyed count as lost, not as resets', async () => {
    const server = await start({ latencyMs: 1000 });
    const session = await connectReady(server.url);
    const pending = Array.from({ length: 4 }, () => startRequest(session));
    await waitUntil(() => server.stats().streamsInFlight === 4);
    expect(server.destroyAllSockets()).toBe(1);
    const outcomes = await Promise.all(pending.map((p) => p.done));
    for (const outcome of outcomes) expect(outcome.status).toBeUndefined();
    await waitUntil(() => server.stats().streamsInFlight === 0);
    const stats = server.stats();
    expect(stats).toMatchObject({
      streamsStarted: 4,
      streamsLost: 4,
      rstReceived: {},
      inService: 0,
    });
    expect(unreconciled(stats)).toBe(0);
  });

  test('close() is graceful: streams in flight finish, the client sees GOAWAY(NO_ERROR)', async () => {
    const server = await start({ latencyMs: 150 });
    const session = await connectReady(server.url);
    const goaways: number[] = [];
    session.on('goaway', (code) => goaways.push(code));
    const pending = Array.from({ length: 3 }, () => startRequest(session));
    await waitUntil(() => server.stats().streamsInFlight === 3);
    const closed = server.close();
    const outcomes = await Promise.all(pending.map((p) => p.done));
    await closed;
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200]);
    // node may repeat the GOAWAY as the session ends; every one says NO_ERROR.
    expect(goaways.length).toBeGreaterThanOrEqual(1);
    expect(new Set(goaways)).toEqual(new Set([constants.NGHTTP2_NO_ERROR]));
    expect(server.stats()).toMatchObject({ streamsCompleted: 3, goawaySent: 1, streamsLost: 0 });
  });
});
