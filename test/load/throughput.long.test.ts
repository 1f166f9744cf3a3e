import { describe, expect, it } from '@jest/globals';
import { runLoad } from '../../src/load/runLoad.js';
import { serverFixture } from '../server/serverFixture.js';
import { expectReconciled } from './expectReconciled.js';

const startServer = serverFixture();

// A throughput claim, so it lives with the long tests (`make test-long`): on a
// 2-core box that other jobs share it measures the neighbours as much as the
// generator, and the unit suite must not depend on a quiet machine.
describe('runLoad throughput', () => {
  it('offers and carries several thousand requests per second on one connection', async () => {
    // 1000 streams × 5 ms: the connection is never the limit, the client and generator are.
    const server = await startServer({ maxConcurrentStreams: 1000, latencyMs: 5 });
    const run = await runLoad({
      url: server.url,
      rateTps: 4000,
      durationMs: 5000,
      // Long enough that a neighbour's CPU burst delays requests instead of cascading into
      // deadlines and a reset storm: this test is about throughput, not about deadlines.
      timeoutMs: 10_000,
      policy: 'naive',
    });
    expectReconciled(run, 20_000);
    expect(run.result.succeeded).toBeGreaterThan(0.95 * 20_000);
    // Sustained, not caught up after the end: goodput over the run after its 1 s warm-up.
    expect(run.result.goodputTps).toBeGreaterThan(0.9 * 4000);
    // Arrivals are batched per 2 ms tick; a generator that cannot keep up drifts by seconds.
    expect(run.generator.sendLagP99Ms).toBeLessThan(250);
  });
});
