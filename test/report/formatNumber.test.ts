import { describe, expect, it } from '@jest/globals';
import {
  formatCount,
  formatMs,
  formatPercent,
  formatRateTps,
  fractionOf,
  notAvailable,
} from '../../src/report/formatNumber.js';

describe('formatNumber', () => {
  it('groups thousands with commas whatever the machine locale', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(999.6)).toBe('1,000');
    expect(formatRateTps(2961.4)).toBe('2,961');
    expect(formatMs(4998.2)).toBe('4,998');
  });

  it('keeps one decimal where rounding to a whole number would be a large error', () => {
    expect(formatRateTps(4.54)).toBe('4.5');
    expect(formatMs(0.44)).toBe('0.4');
    expect(formatMs(12.4)).toBe('12');
    expect(formatPercent(0.2304)).toBe('23.0%');
  });

  it('never shows a negative zero', () => {
    expect(formatCount(-0.2)).toBe('0');
    expect(formatMs(-0.01)).toBe('0.0');
    expect(formatPercent(-0.0001)).toBe('0.0%');
    expect(formatCount(-1200)).toBe('-1,200');
  });

  it('shows non-finite values as not available', () => {
    for (const f of [formatCount, formatMs, formatRateTps, formatPercent]) {
      expect(f(Number.NaN)).toBe(notAvailable);
      expect(f(Number.POSITIVE_INFINITY)).toBe(notAvailable);
    }
  });

  it('treats a share of nothing as 0', () => {
    expect(fractionOf(5, 0)).toBe(0);
    expect(fractionOf(1, 4)).toBe(0.25);
  });
});
