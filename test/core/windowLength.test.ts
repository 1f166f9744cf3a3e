import { describe, expect, it } from '@jest/globals';
import {
  defaultControllerOptions as defaults,
  resolveControllerOptions,
} from '../../src/core/controllerOptions.js';
import { nextWindowMs } from '../../src/core/windowLength.js';

describe('window length', () => {
  it('is windowLatencyMultiple × service p50 between the bounds', () => {
    expect(nextWindowMs(80, defaults)).toBe(160);
    expect(nextWindowMs(400, defaults)).toBe(800);
  });

  it('never drops below minWindowMs', () => {
    expect(nextWindowMs(0.3, defaults)).toBe(100);
    expect(nextWindowMs(50, defaults)).toBe(100);
  });

  it('never exceeds maxWindowMs', () => {
    expect(nextWindowMs(5000, defaults)).toBe(2000);
  });

  it('falls back to minWindowMs when latency is unknown or garbage', () => {
    for (const p50 of [0, -5, Number.NaN]) {
      expect(nextWindowMs(p50, defaults)).toBe(100);
    }
  });

  it('follows the configured multiple and bounds', () => {
    const o = resolveControllerOptions({
      windowLatencyMultiple: 4,
      minWindowMs: 20,
      maxWindowMs: 300,
    });
    expect(nextWindowMs(10, o)).toBe(40);
    expect(nextWindowMs(2, o)).toBe(20);
    expect(nextWindowMs(100, o)).toBe(300);
  });
});
