import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { adaptiveBoundViolations, reconciles, runShipped } from './shipped.js';

/** Issue 3, "Done when": the shipped `ramp` scenario, full length (0 → 12,000 TPS over 60 s), adaptive policy. */
describe('ramp', () => {
  it('adaptive: no wire cancellation, ≤ 0.1% timed out, efficiency ≥ 0.95, queue-wait p99 ≤ 0.2 × timeout', () => {
    const { timeoutMs } = loadScenario('simulations/ramp.json').client;
    const { result: r } = runShipped('ramp', 'adaptive');
    expect(reconciles(r)).toBe(true);
    expect(adaptiveBoundViolations(r, timeoutMs)).toEqual([]);
  }, 120_000);
});
