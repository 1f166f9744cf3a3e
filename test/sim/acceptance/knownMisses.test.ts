import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { adaptiveBoundViolations, reconciles, runShipped } from './shipped.js';

/**
 * Issue 3, "Done when", for the scenarios the control law does not yet
 * meet. Each is `it.failing`: it passes while the adaptive policy misses
 * the bound, and turns red the day the law meets it, so whoever fixes the
 * law moves it to a plain `it` beside the others. docs/simulator.md,
 * "Current results", records what the timeline shows for each.
 */
describe.each(['flow-control', 'flow-control-upload'])('%s (known miss)', (name) => {
  it.failing('adaptive: no wire cancellation, ≤ 0.1% timed out, efficiency ≥ 0.95, queue-wait p99 ≤ 0.2 × timeout', () => {
    const { timeoutMs } = loadScenario(`simulations/${name}.json`).client;
    const { result: r } = runShipped(name, 'adaptive');
    expect(reconciles(r)).toBe(true);
    expect(adaptiveBoundViolations(r, timeoutMs)).toEqual([]);
  }, 120_000);
});
