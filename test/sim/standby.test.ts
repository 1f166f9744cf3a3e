import { describe, expect, it } from '@jest/globals';
import type { PolicyResult } from '../../src/core/runResult.js';
import { runScenario } from '../../src/sim/runScenario.js';
import { scenarioWith } from './scenarioFixture.js';

/**
 * The dominance matrix's ×10 spike in virtual time: 2,000/s on 2 connections
 * of 100 streams, 50 ms service, ×10 from 3 s to 6 s, a 1 s budget. During
 * the spike the path drains 400/s, and admission truthfully predicts that
 * most arrivals would miss; the moment the spike ends it drains a budget's
 * worth of them at once, as the plain client's unbounded queue shows.
 */
function spike(options: Record<string, unknown>): Record<'naive' | 'adaptive', PolicyResult> {
  const base = scenarioWith({});
  const scenario = scenarioWith({
    name: 'x10-spike',
    seed: 7,
    load: { arrivals: 'poisson', phases: [{ durationS: 10, fromTps: 2000, toTps: 2000 }] },
    network: { ...base.network, rttMs: 1 },
    server: {
      ...base.server,
      latency: { distribution: 'constant', meanMs: 50 },
      latencySchedule: [
        { atS: 3, factor: 10 },
        { atS: 6, factor: 1 },
      ],
    },
    client: { ...base.client, timeoutMs: 1000, maxConnections: 2, naiveConnections: 2, options },
  });
  const [naive, adaptive] = runScenario(scenario, { policies: ['naive', 'adaptive'] }).report
    .results;
  return { naive: naive!, adaptive: adaptive! };
}

describe('standby through a latency transient (simulated)', () => {
  it('carries what the plain client carries, with no timeout and no cancel', () => {
    const { naive, adaptive } = spike({});
    expect(naive.timedOut).toBeGreaterThan(3000);
    expect(naive.cancelledOnWire).toBeGreaterThan(0);
    expect(adaptive.succeeded).toBeGreaterThanOrEqual(0.99 * naive.succeeded);
    expect(adaptive.timedOut).toBe(0);
    expect(adaptive.cancelledOnWire).toBe(0);
  }, 60_000);

  it('without it, sheds at once what the spike end would have carried', () => {
    const { naive, adaptive } = spike({ standby: false });
    expect(adaptive.succeeded).toBeLessThan(0.97 * naive.succeeded);
    expect(adaptive.timedOut).toBe(0);
  }, 60_000);
});
