import { describe, expect, it } from '@jest/globals';
import { congestionKinds, firstCongestion, zeroCongestion } from '../../src/core/congestion.js';

describe('congestion counts', () => {
  it('lists every kind exactly once', () => {
    expect(new Set(congestionKinds).size).toBe(congestionKinds.length);
    expect([...congestionKinds].sort()).toEqual(Object.keys(zeroCongestion()).sort());
  });

  it('starts every kind at zero, in a fresh object each time', () => {
    const a = zeroCongestion();
    expect(Object.values(a).every((n) => n === 0)).toBe(true);
    a.timeout = 3;
    expect(zeroCongestion().timeout).toBe(0);
  });

  it('finds no congestion in an all-zero window', () => {
    expect(firstCongestion(zeroCongestion())).toBeUndefined();
  });

  it('reports the most specific kind present', () => {
    expect(firstCongestion({ ...zeroCongestion(), timeout: 2 })).toBe('timeout');
    expect(firstCongestion({ ...zeroCongestion(), timeout: 2, http503: 1 })).toBe('http503');
    expect(firstCongestion({ ...zeroCongestion(), http429: 1, enhanceYourCalm: 1 })).toBe(
      'enhanceYourCalm',
    );
  });

  it('ignores non-positive and NaN counts', () => {
    expect(
      firstCongestion({ ...zeroCongestion(), timeout: -1, http429: Number.NaN }),
    ).toBeUndefined();
  });
});
