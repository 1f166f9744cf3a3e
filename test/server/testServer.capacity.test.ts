import type { ClientHttp2Session } from 'node:http2';
import { describe, expect, test } from '@jest/globals';
import { closeSession, connectReady, request } from './rawClient.js';
import { serverFixture } from './serverFixture.js';

const start = serverFixture();

/** Closed-loop load: `concurrency` loops per session, `total` requests in all; returns latencies and wall time. */
async function closedLoop(
  sessions: readonly ClientHttp2Session[],
  concurrency: number,
  total: number,
): Promise<{ latenciesMs: number[]; elapsedMs: number; statuses: Set<number | undefined> }> {
  let remaining = total;
  const latenciesMs: number[] = [];
  const statuses = new Set<number | undefined>();
  const startMs = performance.now();
  const loop = async (session: ClientHttp2Session) => {
    while (remaining > 0) {
      remaining -= 1;
      const outcome = await request(session);
      statuses.add(outcome.status);
      latenciesMs.push(outcome.elapsedMs);
    }
  };
  await Promise.all(sessions.flatMap((s) => Array.from({ length: concurrency }, () => loop(s))));
  return { latenciesMs, elapsedMs: performance.now() - startMs, statuses };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('capacity model: K workers and a FIFO', () => {
  test('latency rises past capacity whatever the connection count, and throughput never passes it', async () => {
    // K = ceil(200 TPS × 50 ms / 1000) = 10 workers.
    const server = await start({ capacityTps: 200, latencyMs: 50, seed: 1 });
    expect(server.workers).toBe(10);
    const sessions = await Promise.all(Array.from({ length: 4 }, () => connectReady(server.url)));
    let maxQueued = 0;
    const probe = setInterval(() => {
      maxQueued = Math.max(maxQueued, server.stats().queued);
    }, 10);
    try {
      // Below capacity: 5 in flight on one connection, 5 of 10 workers busy, no wait.
      const under = await closedLoop(sessions.slice(0, 1), 5, 40);
      const queuedUnder = maxQueued;
      // Past capacity: 4 connections × 10 in flight = 40 for 10 workers; by
      // Little's law each waits about 40 / 200 TPS = 200 ms.
      const over4 = await closedLoop(sessions, 10, 120);
      // The same 40 in flight on one connection: the server, not the connection, is the limit.
      const over1 = await closedLoop(sessions.slice(0, 1), 40, 120);

      for (const run of [under, over4, over1]) expect(run.statuses).toEqual(new Set([200]));
      expect(queuedUnder).toBe(0);
      expect(maxQueued).toBeGreaterThanOrEqual(20);
      expect(median(under.latenciesMs)).toBeLessThan(120);
      expect(median(over4.latenciesMs)).toBeGreaterThan(2 * median(under.latenciesMs));
      expect(median(over1.latenciesMs)).toBeGreaterThan(2 * median(under.latenciesMs));
      // 120 requests on 10 workers of 50 ms need 12 rounds: at least 600 ms
      // (less a little timer rounding), i.e. no more than 200 per second.
      for (const run of [over4, over1]) expect(run.elapsedMs).toBeGreaterThanOrEqual(12 * 50 - 20);
      expect(server.stats()).toMatchObject({ streamsCompleted: 280, queued: 0, inService: 0 });
    } finally {
      clearInterval(probe);
      await Promise.all(sessions.map(closeSession));
    }
  });
});
