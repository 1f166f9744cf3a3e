import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { adaptiveBoundViolations, reconciles, runShipped } from './shipped.js';

/** Issue 3, "Done when": the server completes 4,000 TPS whatever the connection count; 16 are allowed. */
describe('server-saturation', () => {
  it('adaptive stops adding connections where throughput stops growing, and says server-bound', () => {
    const { timeoutMs } = loadScenario('simulations/server-saturation.json').client;
    const { result: r } = runShipped('server-saturation', 'adaptive');
    expect(reconciles(r)).toBe(true);
    expect(adaptiveBoundViolations(r, timeoutMs)).toEqual([]);
    expect(r.pathState).toBe('server-bound');
    // 200 workers are covered by 2 connections of 100 streams; one probe beyond is fine, 16 is not.
    expect(r.connectionsMax).toBeLessThanOrEqual(4);
  }, 120_000);

  it('new-connection opens connection after connection for no gain', () => {
    const { result: r } = runShipped('server-saturation', 'new-connection', 8);
    expect(r.connectionsMax).toBeGreaterThan(4);
    expect(r.goodputTps).toBeLessThanOrEqual(4000 * 1.02);
  }, 120_000);
});
