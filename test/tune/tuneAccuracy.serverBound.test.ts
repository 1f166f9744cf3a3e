import { expect, test } from '@jest/globals';
import { tuneAgainst } from './tuneAccuracy.js';

/**
 * Issue 6 §2, accuracy, server-bound. The embedded server's capacity model
 * (docs/server.md) gives it K = ceil(600 × 100 / 1000) = 60 workers, each
 * busy for a constant 100 ms: 60 ÷ 0.1 s = 600 req/s server-wide, with a
 * FIFO in front. One connection of 100 streams carries up to
 * 100 ÷ 0.1 s = 1,000 req/s, more than the server, so the true capacity is
 * 600 req/s and one connection is the fewest that reaches it; a second one
 * only lengthens the server's queue.
 */
test('server-bound: maxSafeTps within 10% below the true capacity, on one connection', async () => {
  const run = await tuneAgainst(
    { maxConcurrentStreams: 100, latencyMs: 100, capacityTps: 600 },
    { maxRateTps: 5000 },
  );
  const r = run.result.recommendation;
  const trueCapacityTps = 600;
  try {
    expect(r.maxSafeTps).toBeLessThanOrEqual(trueCapacityTps);
    expect(r.maxSafeTps).toBeGreaterThanOrEqual(0.9 * trueCapacityTps);
    expect(r.connections).toBe(1);
    expect(r.pathState).toBe('server-bound');
    expect(r.stop).toBe('no-gain');
    expect(r.maxConcurrentStreams).toBe(100);
    // With one connection the server, not the connection, was the limit.
    expect(r.perConnectionIsLimit).toBe(false);
    expect(r.perConnectionLittleTps).toBeGreaterThan(trueCapacityTps);
    expect(run.result.confirm?.held).toBe(true);
    expect(run.result.stages.every((s) => s.timedOut === 0 && s.cancelledOnWire === 0)).toBe(true);
    expect(run.cancelsAtServer).toBe(0);
  } catch (error) {
    process.stderr.write(`${run.text}\n`);
    throw error;
  }
}, 40_000);
