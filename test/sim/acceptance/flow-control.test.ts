import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { adaptiveBoundViolations, reconciles, runShipped } from './shipped.js';

/**
 * Issue 3, "Done when": 1 MiB responses under the client's own 64 KiB receive windows at 150 TPS,
 * full length, adaptive policy. The path carries ~100 responses/s (bandwidth); one connection
 * ~27 (its window per round trip), so the pool must grow while the responses report that the
 * client's window held them back.
 */
describe('flow-control', () => {
  it('adaptive: no wire cancellation, ≤ 0.1% timed out, efficiency ≥ 0.95, queue-wait p99 ≤ 0.2 × timeout', () => {
    const { timeoutMs } = loadScenario('simulations/flow-control.json').client;
    const { result: r, server, samples } = runShipped('flow-control', 'adaptive');
    expect(reconciles(r)).toBe(true);
    expect(adaptiveBoundViolations(r, timeoutMs)).toEqual([]);
    expect(server.rstReceived).toEqual({});
    // Five connections carry ~85 responses/s in the model (their windows share the link); the
    // bandwidth takes six or more.
    expect(r.connectionsMax).toBeGreaterThanOrEqual(6);
    // Every 1 MiB response waited on the client's receive window: the signal the law acts on.
    const responses = samples.filter((s) => s.outcome === 'succeeded');
    expect(responses.length).toBeGreaterThan(0);
    expect(responses.every((s) => s.windowStalled)).toBe(true);
  }, 120_000);
});
