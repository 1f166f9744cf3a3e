import { describe, expect, it } from '@jest/globals';
import { responseOutcome } from '../../src/core/responseOutcome.js';

describe('responseOutcome', () => {
  it('counts 2xx–4xx but 429 as ok, 5xx and 429 as HTTP errors', () => {
    expect(
      [200, 204, 301, 404, 429, 500, 503].map((s) => responseOutcome(s, undefined).ok),
    ).toEqual([true, true, true, true, false, false, false]);
  });

  it('signals only explicit throttling: 429, and 503 with retry-after', () => {
    expect(responseOutcome(429, undefined).congestion).toBe('http429');
    expect(responseOutcome(503, 1000).congestion).toBe('http503');
    expect(responseOutcome(503, undefined).congestion).toBeUndefined();
    expect(responseOutcome(500, 1000).congestion).toBeUndefined();
    expect(responseOutcome(200, 1000).congestion).toBeUndefined();
  });
});
