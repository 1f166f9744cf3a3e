import { describe, expect, test } from '@jest/globals';
import { safetyMargin } from '../../src/tune/safetyMargin.js';

describe('safetyMargin', () => {
  test('the floor applies while two standard errors stay under it', () => {
    const m = safetyMargin(0.02, 0.05);
    expect(m.fraction).toBe(0.05);
    expect(m.reason).toMatch(/under 5% as noise/);
    expect(m.reason).toMatch(/2 standard errors\) was only 4\.0%/);
  });

  test('a noisier knee widens the margin to two standard errors', () => {
    const m = safetyMargin(0.04, 0.05);
    expect(m.fraction).toBeCloseTo(0.08, 12);
    expect(m.reason).toMatch(/two standard errors/);
  });

  test('the margin stops at 25% and says the measurement is the problem', () => {
    const m = safetyMargin(0.3, 0.05);
    expect(m.fraction).toBe(0.25);
    expect(m.reason).toMatch(/very noisy/);
  });

  test('at --max-rate there is no knee measurement: the floor alone', () => {
    const m = safetyMargin(undefined, 0.05);
    expect(m.fraction).toBe(0.05);
    expect(m.reason).toMatch(/--max-rate without reaching its knee/);
  });

  test('garbage uncertainty is read as none', () => {
    expect(safetyMargin(Number.NaN, 0.05).fraction).toBe(0.05);
    expect(safetyMargin(-1, 0.05).fraction).toBe(0.05);
  });
});
