import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { adaptiveBoundViolations, reconciles, runShipped } from './shipped.js';

/** Issue 3, "Done when": service latency ×5 from 20 s to 40 s at 2,000 TPS, full length, adaptive policy. */
describe('latency-spike', () => {
  it('adaptive: no wire cancellation, ≤ 0.1% timed out, efficiency ≥ 0.95, queue-wait p99 ≤ 0.2 × timeout', () => {
    const { timeoutMs } = loadScenario('simulations/latency-spike.json').client;
    const { result: r } = runShipped('latency-spike', 'adaptive');
    expect(reconciles(r)).toBe(true);
    expect(adaptiveBoundViolations(r, timeoutMs)).toEqual([]);
    // 2,000 TPS at 250 ms needs 5 connections of 100 streams: the spike is not the server saturating.
    expect(r.connectionsMax).toBeGreaterThanOrEqual(5);
    expect(r.pathState).not.toBe('server-bound');
  }, 120_000);
});
