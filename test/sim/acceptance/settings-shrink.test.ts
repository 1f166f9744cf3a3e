import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { adaptiveBoundViolations, reconciles, runShipped } from './shipped.js';

/** Issue 3, "Done when": MAX_CONCURRENT_STREAMS 100 → 10 at 20 s and back at 40 s, full length, adaptive policy. */
describe('settings-shrink', () => {
  it('adaptive: no wire cancellation, ≤ 0.1% timed out, efficiency ≥ 0.95, queue-wait p99 ≤ 0.2 × timeout', () => {
    const { timeoutMs } = loadScenario('simulations/settings-shrink.json').client;
    const { result: r } = runShipped('settings-shrink', 'adaptive');
    expect(reconciles(r)).toBe(true);
    expect(adaptiveBoundViolations(r, timeoutMs)).toEqual([]);
    // Ten streams per connection carry ~196 TPS each: the pool must grow to the cap of 8.
    expect(r.connectionsMax).toBe(8);
  }, 120_000);
});
