import { describe, expect, it } from '@jest/globals';
import {
  calibrationCompletions,
  horizonCompletions,
  isErrorSurge,
  learnErrorBackground,
} from '../../../src/core/rules/errorSurge.js';

const learned = (fraction: number) => ({ fraction, completions: horizonCompletions });

describe('isErrorSurge', () => {
  it('sees no surge until the background is calibrated', () => {
    const young = { fraction: 0, completions: calibrationCompletions - 1 };
    expect(isErrorSurge(young, 100, 100)).toBe(false);
    expect(isErrorSurge({ ...young, completions: calibrationCompletions }, 100, 100)).toBe(true);
  });

  it('ignores a 5% or a 25% background at its own share, window after window', () => {
    for (const share of [0.05, 0.25]) {
      for (const n of [20, 100, 1000, 10_000]) {
        expect(isErrorSurge(learned(share), Math.round(n * share), n)).toBe(false);
      }
    }
  });

  it('passes four standard deviations and two errors above the background', () => {
    // 1000 completions at 5%: expected 50, σ = √(1000 × 0.05 × 0.95) ≈ 6.9; the bar is 50 + 27.6 + 2.
    expect(isErrorSurge(learned(0.05), 79, 1000)).toBe(false);
    expect(isErrorSurge(learned(0.05), 80, 1000)).toBe(true);
    // A clean background ignores a stray 503 or two, not three.
    expect(isErrorSurge(learned(0), 2, 100)).toBe(false);
    expect(isErrorSurge(learned(0), 3, 100)).toBe(true);
  });

  it('counts the 503s themselves as completions', () => {
    expect(isErrorSurge(learned(0.05), 50, 0)).toBe(true);
  });
});

describe('learnErrorBackground', () => {
  it('is the plain mean over the first completions', () => {
    let b = { fraction: 0, completions: 0 };
    b = learnErrorBackground(b, 10, 100);
    b = learnErrorBackground(b, 30, 100);
    expect(b.fraction).toBeCloseTo(0.2, 12);
    expect(b.completions).toBe(200);
  });

  it('then weighs each completion 1 / horizon, so a lasting step is absorbed', () => {
    let b = learned(0.05);
    for (let i = 0; i < 40; i++) b = learnErrorBackground(b, 30, 100);
    // 4000 completions at 30%: 1 − e^(−2) of the way from 5% to 30%.
    expect(b.fraction).toBeGreaterThan(0.25);
    expect(b.completions).toBe(horizonCompletions);
  });

  it('keeps what it knew through an empty or nonsense window', () => {
    const b = learned(0.1);
    expect(learnErrorBackground(b, 0, 0)).toBe(b);
    expect(learnErrorBackground(b, Number.NaN, Number.NaN)).toBe(b);
  });
});
