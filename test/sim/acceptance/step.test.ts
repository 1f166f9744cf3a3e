import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { adaptiveBoundViolations, reconciles, runShipped } from './shipped.js';

/** Issue 3, "Done when": the shipped `step` scenario, full length, adaptive policy. */
describe('step', () => {
  it('adaptive: no wire cancellation, ≤ 0.1% timed out, efficiency ≥ 0.95, queue-wait p99 ≤ 0.2 × timeout', () => {
    const { timeoutMs } = loadScenario('simulations/step.json').client;
    const { result: r } = runShipped('step', 'adaptive');
    expect(reconciles(r)).toBe(true);
    expect(adaptiveBoundViolations(r, timeoutMs)).toEqual([]);
  }, 120_000);
});
