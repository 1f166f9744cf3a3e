import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { adaptiveBoundViolations, reconciles, runShipped } from './shipped.js';

/**
 * Issue 3, "Done when": the shipped `ramp` scenario, adaptive policy, its
 * first 30 s (0 → 6,000 TPS); ramp.long.test.ts runs all 60 s.
 */
describe('ramp', () => {
  it('adaptive: no wire cancellation, ≤ 0.1% timed out, efficiency ≥ 0.95, queue-wait p99 ≤ 0.2 × timeout', () => {
    const { timeoutMs } = loadScenario('simulations/ramp.json').client;
    const { result: r } = runShipped('ramp', 'adaptive', 30);
    expect(reconciles(r)).toBe(true);
    expect(adaptiveBoundViolations(r, timeoutMs)).toEqual([]);
  }, 120_000);
});
