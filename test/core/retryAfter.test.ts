import { describe, expect, it, jest } from '@jest/globals';
import { retryAfterMs } from '../../src/core/retryAfter.js';

describe('retryAfterMs (RFC 9110 §10.2.3)', () => {
  const never = (): number => {
    throw new Error('the clock was read');
  };

  it('reads delay-seconds without the clock', () => {
    expect(retryAfterMs('3', never)).toBe(3000);
    expect(retryAfterMs([' 0 ', '9'], never)).toBe(0);
  });

  it('reads an HTTP-date against the caller clock, a past one as 0', () => {
    const nowMs = Date.parse('Mon, 07 Dec 2026 12:00:00 GMT');
    const clock = jest.fn(() => nowMs);
    expect(retryAfterMs('Mon, 07 Dec 2026 12:00:05 GMT', clock)).toBe(5000);
    expect(retryAfterMs('Mon, 07 Dec 2026 11:59:00 GMT', clock)).toBe(0);
    expect(clock).toHaveBeenCalledTimes(2);
  });

  it('is undefined, with no clock read, when absent, empty or unreadable', () => {
    expect(retryAfterMs(undefined, never)).toBeUndefined();
    expect(retryAfterMs([], never)).toBeUndefined();
    expect(retryAfterMs('  ', never)).toBeUndefined();
    expect(retryAfterMs('soon', () => 0)).toBeUndefined();
  });
});
