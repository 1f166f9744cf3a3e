import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { runPolicy } from '../../../src/sim/policyRun.js';
import { reconciles, runShipped, steadyState } from './shipped.js';

/**
 * Issue 3, "Done when", seed-52845: the Go issue's client (3,000 TPS, 5 s
 * timeout, 100 streams per connection at ~50 ms) against one connection and
 * against up to eight. Full 60 s scenarios.
 */
describe('seed-52845, cap 1', () => {
  it('naive: at least 15% time out and goodput is at most 0.8 × offered', () => {
    const { result: r, server } = runShipped('seed-52845-cap1', 'naive');
    expect(reconciles(r)).toBe(true);
    expect(r.timedOut).toBeGreaterThanOrEqual(0.15 * r.submitted);
    expect(r.goodputTps).toBeLessThanOrEqual(0.8 * r.offeredTps);
    // Its deadlines fire in flight: RST_STREAM(CANCEL) storms the server.
    expect(r.cancelledOnWire).toBeGreaterThan(0);
    expect(server.rstReceived.CANCEL).toBe(r.cancelledOnWire);
  }, 120_000);

  it('adaptive: no wire cancellation, ≤ 0.1% timed out, sheds the excess unsent, efficiency ≥ 0.97', () => {
    const { result: r, server, samples } = runShipped('seed-52845-cap1', 'adaptive');
    expect(reconciles(r)).toBe(true);
    expect(r.cancelledOnWire).toBe(0);
    expect(r.timedOut).toBeLessThanOrEqual(0.001 * r.submitted);
    expect(r.efficiency).toBeGreaterThanOrEqual(0.97);
    // The excess over one connection's ~1,960 TPS is shed, not queued to death.
    expect(r.rejected).toBeGreaterThan(0.25 * r.submitted);
    const rejected = samples.filter((s) => s.outcome === 'rejected');
    expect(rejected).toHaveLength(r.rejected);
    // Never sent: no dispatch, and the server saw exactly the streams that were answered.
    expect(rejected.every((s) => s.dispatchedAtMs === undefined)).toBe(true);
    expect(server.streamsStarted).toBe(r.succeeded);
    expect(server.rstReceived).toEqual({});
    // Fast: shed within the admission queue-wait limit (0.15 × 5 s), never near the 5 s budget.
    const waits = rejected.map((s) => s.settledAtMs - s.submittedAtMs).sort((a, b) => a - b);
    expect(waits[Math.floor(0.99 * (waits.length - 1))]!).toBeLessThanOrEqual(750);
  }, 120_000);
});

describe('seed-52845, cap 8', () => {
  it('adaptive carries the full 3,000 TPS: efficiency ≥ 0.97, nothing shed in steady state, no wire cancellation', () => {
    const { result: r } = runShipped('seed-52845-cap8', 'adaptive');
    expect(reconciles(r)).toBe(true);
    expect(r.capacityTps).toBeCloseTo(3000, 6);
    expect(r.efficiency).toBeGreaterThanOrEqual(0.97);
    expect(r.cancelledOnWire).toBe(0);
    expect(r.timedOut).toBe(0);
    expect(steadyState(r).reduce((sum, p) => sum + p.rejectedTps, 0)).toBe(0);
    expect(r.connectionsMax).toBeGreaterThanOrEqual(2);
  }, 120_000);
});

describe('seed-52845 against the nginx profile', () => {
  it('naive (as Go serves them: oldest first, the backlog abandoned once one is sent too late): keeps the connection busy, times out the excess, meets few refusals', () => {
    const { result: r, server } = runShipped('seed-52845-nginx', 'naive');
    expect(reconciles(r)).toBe(true);
    expect(r.timedOut).toBeGreaterThanOrEqual(0.2 * r.submitted);
    expect(r.goodputTps).toBeLessThanOrEqual(0.8 * r.offeredTps);
    expect(r.efficiency).toBeGreaterThanOrEqual(0.95);
    // Only the few sent too late, which end each run of oldest-first, expire in flight, so
    // nginx's held slots rarely refuse one.
    expect(server.refused).toBeLessThanOrEqual(0.01 * r.submitted);
  }, 120_000);

  it("naive served oldest first (nghttp2's queue): its cancels meet nginx's held slots, refusals and GOAWAYs", () => {
    const scenario = loadScenario('simulations/seed-52845-nginx.json');
    const fifo = {
      ...scenario,
      client: { ...scenario.client, options: { queueOrder: 'fifo' } },
    };
    const { result: r, serverStats: server } = runPolicy(fifo, 'naive', { seed: scenario.seed });
    expect(reconciles(r)).toBe(true);
    expect(r.goodputTps).toBeLessThanOrEqual(0.8 * r.capacityTps);
    expect(r.cancelledOnWire).toBeGreaterThan(0);
    expect(server.refused).toBeGreaterThan(0);
    expect(server.goawaySent).toBeGreaterThan(0);
  }, 120_000);

  it('adaptive: never cancels, so nginx never refuses it; efficiency ≥ 0.97', () => {
    const { result: r, server } = runShipped('seed-52845-nginx', 'adaptive');
    expect(reconciles(r)).toBe(true);
    expect(r.cancelledOnWire).toBe(0);
    expect(r.timedOut).toBe(0);
    expect(server.refused).toBe(0);
    expect(server.goawaySent).toBe(0);
    expect(r.efficiency).toBeGreaterThanOrEqual(0.97);
  }, 120_000);
});
