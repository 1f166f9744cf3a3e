import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { adaptiveBoundViolations, reconciles, runShipped } from './shipped.js';

/** Issue 3, "Done when": the shipped `goaway-churn` scenario, full length, adaptive policy. */
describe('goaway-churn', () => {
  it('adaptive: no wire cancellation, ≤ 0.1% timed out, efficiency ≥ 0.95, queue-wait p99 ≤ 0.2 × timeout', () => {
    const { timeoutMs } = loadScenario('simulations/goaway-churn.json').client;
    const { result: r } = runShipped('goaway-churn', 'adaptive');
    expect(reconciles(r)).toBe(true);
    expect(adaptiveBoundViolations(r, timeoutMs)).toEqual([]);
  }, 120_000);
});

describe('goaway-churn, what the churn does', () => {
  it('replaces connections and retries only streams the server never processed', () => {
    const { result: r, server } = runShipped('goaway-churn', 'adaptive', 30);
    // 3,000 TPS × 30 s ÷ 10,000 streams per connection: several GOAWAYs.
    expect(server.goawaySent).toBeGreaterThanOrEqual(8);
    expect(r.retries).toBeGreaterThan(0);
    expect(r.failed).toBe(0);
    // Every accepted stream was answered, and nothing processed twice.
    expect(server.streamsStarted).toBe(server.streamsCompleted);
    expect(server.streamsCompleted).toBe(r.succeeded);
  }, 120_000);
});
