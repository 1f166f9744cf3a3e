import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from '../../src/core/seededRandom.js';
import { ArrivalProcess } from '../../src/sim/arrivalProcess.js';
import type { Scenario } from '../../src/sim/scenario.js';
import { scenarioWith } from './scenarioFixture.js';

function arrivalTimes(s: Scenario, seed = 1): number[] {
  const a = new ArrivalProcess(s, new SeededRandom(seed));
  const times: number[] = [];
  for (let t = a.next(); t !== undefined; t = a.next()) times.push(t);
  return times;
}

describe('ArrivalProcess', () => {
  it('draws Poisson arrivals at the phase rate', () => {
    const times = arrivalTimes(
      scenarioWith({
        load: { arrivals: 'poisson', phases: [{ durationS: 100, fromTps: 1000, toTps: 1000 }] },
      }),
    );
    // 100,000 expected; a Poisson count has sd √100000 ≈ 316.
    expect(Math.abs(times.length - 100_000)).toBeLessThan(1500);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const shortGaps = gaps.filter((g) => g < 1).length / gaps.length;
    expect(Math.abs(shortGaps - (1 - Math.exp(-1)))).toBeLessThan(0.01);
  });

  it('follows a ramp: arrivals grow linearly, their count is the integral of the rate', () => {
    const times = arrivalTimes(
      scenarioWith({
        load: { arrivals: 'poisson', phases: [{ durationS: 60, fromTps: 0, toTps: 2000 }] },
      }),
    );
    expect(Math.abs(times.length - 60_000)).toBeLessThan(1200);
    const firstHalf = times.filter((t) => t < 30_000).length;
    // ∫0..30 of (2000 t / 60) dt = 15,000: a quarter of the total.
    expect(Math.abs(firstHalf / times.length - 0.25)).toBeLessThan(0.01);
  });

  it('steps between phases and stops at the end', () => {
    const times = arrivalTimes(
      scenarioWith({
        load: {
          arrivals: 'uniform',
          phases: [
            { durationS: 2, fromTps: 10, toTps: 10 },
            { durationS: 1, fromTps: 0, toTps: 0 },
            { durationS: 2, fromTps: 100, toTps: 100 },
          ],
        },
      }),
    );
    expect(times.filter((t) => t < 2000)).toHaveLength(19);
    expect(times.filter((t) => t >= 2000 && t < 3000)).toHaveLength(0);
    expect(times.filter((t) => t >= 3000).length).toBeGreaterThanOrEqual(199);
    expect(Math.max(...times)).toBeLessThan(5000);
  });

  it('is deterministic for a seed', () => {
    const s = scenarioWith({});
    expect(arrivalTimes(s, 9).slice(0, 50)).toEqual(arrivalTimes(s, 9).slice(0, 50));
    expect(arrivalTimes(s, 9).slice(0, 50)).not.toEqual(arrivalTimes(s, 10).slice(0, 50));
  });
});
