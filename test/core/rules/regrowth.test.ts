import { describe, expect, it } from '@jest/globals';
import { regrowthTps } from '../../../src/core/rules/regrowth.js';

const episode = { startTps: 800, peakTps: 1000, regrowFromMs: 5000 };

describe('regrowthTps', () => {
  it('holds at the start until regrowth may begin (a retry-after in force)', () => {
    expect(regrowthTps(episode, 4000, 1000, 250)).toBe(800);
    expect(regrowthTps(episode, 5000, 1000, 250)).toBe(800);
  });

  it('climbs CUBIC’s concave curve: 90% of the peak after 0.21 K, the peak at K', () => {
    expect(regrowthTps(episode, 5210, 1000, 250)).toBeGreaterThan(900);
    expect(regrowthTps(episode, 5200, 1000, 250)).toBeLessThan(900);
    expect(regrowthTps(episode, 5500, 1000, 250)).toBeCloseTo(1000 - 200 * 0.125, 9);
    expect(regrowthTps(episode, 6000, 1000, 250)).toBe(1000);
  });

  it('probes on additively past the peak, the same step for every client', () => {
    expect(regrowthTps(episode, 7000, 1000, 250)).toBeCloseTo(1250, 9);
    const small = { startTps: 8, peakTps: 10, regrowFromMs: 5000 };
    expect(regrowthTps(small, 7000, 1000, 250) - 10).toBeCloseTo(250, 9);
  });

  it('never falls as time goes on', () => {
    let last = 0;
    for (let t = 4000; t < 8000; t += 37) {
      const r = regrowthTps(episode, t, 1000, 250);
      expect(r).toBeGreaterThanOrEqual(last);
      last = r;
    }
  });
});
