import { describe, expect, it } from '@jest/globals';
import {
  defaultExpectedStatuses,
  formatStatusRanges,
  isExpectedStatus,
  parseStatusRanges,
} from '../../src/load/expectedStatuses.js';

describe('expected statuses', () => {
  it('are 200-399 by default, as k6', () => {
    expect(formatStatusRanges(defaultExpectedStatuses)).toBe('200-399');
    expect(
      [199, 200, 399, 400, 404, 503].map((s) => isExpectedStatus(s, defaultExpectedStatuses)),
    ).toEqual([false, true, true, false, false, false]);
  });

  it('parse ranges and single codes, with spaces', () => {
    const ranges = parseStatusRanges('200-299, 404');
    expect(ranges).toEqual([
      { fromStatus: 200, toStatus: 299 },
      { fromStatus: 404, toStatus: 404 },
    ]);
    expect(formatStatusRanges(ranges)).toBe('200-299,404');
    expect(isExpectedStatus(404, ranges)).toBe(true);
    expect(isExpectedStatus(302, ranges)).toBe(false);
  });

  it.each(['', '2xx', '200-', '99', '600', '299-200', '200,,404', '200;404'])(
    'reject %j naming the bad part',
    (text) => {
      expect(() => parseStatusRanges(text)).toThrow(SyntaxError);
      expect(() => parseStatusRanges(text)).toThrow(
        /^expected statuses \(100-599\) or ranges such as 200-299,404, got "/,
      );
    },
  );
});
