import { describe, expect, it } from '@jest/globals';
import { isLoadTimeout } from '../../../src/core/rules/loadTimeout.js';

describe('isLoadTimeout', () => {
  it('blames the server’s own latency when the queue took at most the target', () => {
    // 1 s budget, 10% target: a request queued 100 ms lost the rest to a tail, not to load.
    expect(isLoadTimeout(0, 1000, 0.1)).toBe(false);
    expect(isLoadTimeout(100, 1000, 0.1)).toBe(false);
  });

  it('blames load when the queue took more', () => {
    expect(isLoadTimeout(101, 1000, 0.1)).toBe(true);
    expect(isLoadTimeout(1000, 1000, 0.1)).toBe(true);
  });

  it('reads an unknowable wait as load (never a gentler verdict for garbage)', () => {
    expect(isLoadTimeout(Number.NaN, 1000, 0.1)).toBe(true);
  });
});
