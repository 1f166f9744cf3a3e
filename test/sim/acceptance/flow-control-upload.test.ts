import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { adaptiveBoundViolations, reconciles, runShipped } from './shipped.js';

/**
 * Issue 3, "Done when": 256 KiB uploads under the server's 64 KiB windows at 300 TPS, full length,
 * adaptive policy. One connection carries ~108 uploads/s in the model, so the pool must grow, and
 * an add judged while the rate still capped throughput must not be called server-bound.
 */
describe('flow-control-upload', () => {
  it('adaptive: no wire cancellation, ≤ 0.1% timed out, efficiency ≥ 0.95, queue-wait p99 ≤ 0.2 × timeout', () => {
    const { timeoutMs } = loadScenario('simulations/flow-control-upload.json').client;
    const { result: r } = runShipped('flow-control-upload', 'adaptive');
    expect(reconciles(r)).toBe(true);
    expect(adaptiveBoundViolations(r, timeoutMs)).toEqual([]);
    expect(r.connectionsMax).toBeGreaterThanOrEqual(3);
    expect(r.pathState).not.toBe('server-bound');
  }, 120_000);
});
