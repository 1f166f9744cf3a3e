import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { runScenario } from '../../../src/sim/runScenario.js';
import { adaptiveBoundViolations, reconciles } from './shipped.js';

/**
 * Issue 3, "Done when", fleet: 20 uncoordinated clients share a server
 * that completes 10,000 TPS. The full 60 s scenario (make test-long).
 */
describe('fleet (60 s)', () => {
  it("adaptive clients share fairly (Jain's index ≥ 0.95) and keep the server busy (≥ 0.95 × capacity)", () => {
    const scenario = loadScenario('simulations/fleet.json');
    const outcome = runScenario(scenario, { policies: ['adaptive'] });
    const total = outcome.report.results[0]!;
    const fairness = outcome.fairness[0]!;
    expect(reconciles(total)).toBe(true);
    expect(fairness.clientGoodputTps).toHaveLength(20);
    expect(fairness.jainIndex).toBeGreaterThanOrEqual(0.95);
    expect(total.capacityTps).toBeCloseTo(10_000, 6);
    expect(total.goodputTps).toBeGreaterThanOrEqual(0.95 * 10_000);
    expect(adaptiveBoundViolations(total, scenario.client.timeoutMs)).toEqual([]);
  }, 180_000);
});

/**
 * Issue 14, scale: 1,000 uncoordinated clients share a server that completes
 * 20,000 TPS (offered 30,000). The full 60 s scenario.
 */
describe('fleet-1000 (60 s)', () => {
  it("reconciles, shares fairly (Jain's index ≥ 0.95) and keeps the server busy (≥ 0.95 × capacity)", () => {
    const scenario = loadScenario('simulations/fleet-1000.json');
    const outcome = runScenario(scenario, { policies: ['adaptive'] });
    const total = outcome.report.results[0]!;
    const fairness = outcome.fairness[0]!;
    expect(reconciles(total)).toBe(true);
    expect(fairness.clientGoodputTps).toHaveLength(1000);
    expect(fairness.jainIndex).toBeGreaterThanOrEqual(0.95);
    expect(total.capacityTps).toBeCloseTo(20_000, 6);
    expect(total.goodputTps).toBeGreaterThanOrEqual(0.95 * 20_000);
  }, 300_000);
});
