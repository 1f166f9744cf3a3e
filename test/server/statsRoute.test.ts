import { describe, expect, test } from '@jest/globals';
import { isStatsPath, statsPath } from '../../src/server/statsRoute.js';

describe('isStatsPath', () => {
  test('matches the stats path with or without a query, nothing else', () => {
    expect(statsPath).toBe('/__h2flow/stats');
    expect(isStatsPath('/__h2flow/stats')).toBe(true);
    expect(isStatsPath('/__h2flow/stats?x=1')).toBe(true);
    expect(isStatsPath('/__h2flow/stats/')).toBe(false);
    expect(isStatsPath('/')).toBe(false);
    expect(isStatsPath(undefined)).toBe(false);
  });
});
