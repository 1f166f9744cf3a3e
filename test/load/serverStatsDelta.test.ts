import { describe, expect, it } from '@jest/globals';
import type { ServerStats } from '../../src/core/runResult.js';
import { parseServerStats } from '../../src/load/fetchServerStats.js';
import { serverStatsDelta } from '../../src/load/serverStatsDelta.js';

const stats = (over: Partial<ServerStats> = {}): ServerStats => ({
  streamsStarted: 0,
  streamsCompleted: 0,
  rstReceived: {},
  refused: 0,
  maxConcurrentSeen: 0,
  goawaySent: 0,
  ...over,
});

describe('serverStatsDelta', () => {
  it('differences every counter and each RST code, keeping codes that moved', () => {
    const before = stats({
      streamsStarted: 100,
      streamsCompleted: 90,
      rstReceived: { CANCEL: 10, REFUSED_STREAM: 2 },
      refused: 1,
      maxConcurrentSeen: 40,
      goawaySent: 1,
    });
    const after = stats({
      streamsStarted: 250,
      streamsCompleted: 200,
      rstReceived: { CANCEL: 55, REFUSED_STREAM: 2, INTERNAL_ERROR: 3 },
      refused: 4,
      maxConcurrentSeen: 100,
      goawaySent: 3,
    });
    expect(serverStatsDelta(before, after)).toEqual({
      streamsStarted: 150,
      streamsCompleted: 110,
      rstReceived: { CANCEL: 45, INTERNAL_ERROR: 3 },
      refused: 3,
      // A high-water mark cannot be differenced: the later value stands.
      maxConcurrentSeen: 100,
      goawaySent: 2,
    });
  });
});

describe('parseServerStats', () => {
  it('keeps exactly the ServerStats fields of a stats-route body', () => {
    const body = JSON.stringify({
      ...stats({ streamsStarted: 3, rstReceived: { CANCEL: 1 } }),
      streamsLost: 0,
      responsesByStatus: { '200': 2 },
    });
    expect(parseServerStats(body)).toEqual(
      stats({ streamsStarted: 3, rstReceived: { CANCEL: 1 } }),
    );
  });

  it.each([
    ['not JSON', 'hello'],
    ['an array', '[]'],
    ['a counter missing', JSON.stringify({ ...stats(), refused: undefined })],
    ['a counter not a number', JSON.stringify({ ...stats(), streamsStarted: '3' })],
    [
      'rstReceived not a map of counts',
      JSON.stringify({ ...stats(), rstReceived: { CANCEL: 'x' } }),
    ],
    ['rstReceived an array', JSON.stringify({ ...stats(), rstReceived: [] })],
  ])('rejects a body that is %s', (_what, body) => {
    expect(parseServerStats(body)).toBeUndefined();
  });
});
