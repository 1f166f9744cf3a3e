import { describe, expect, it } from '@jest/globals';
import { DeadlineError } from '../../src/errors/DeadlineError.js';
import { OverloadError } from '../../src/errors/OverloadError.js';
import { TransportError } from '../../src/errors/TransportError.js';
import { defaultExpectedStatuses, parseStatusRanges } from '../../src/load/expectedStatuses.js';
import { OutcomeTally } from '../../src/load/outcomeTally.js';
import { awaitingBreakdown, queuedBreakdown } from '../errors/fixtures.js';

describe('OutcomeTally', () => {
  it('counts responses by status; only expected statuses succeed, whatever the client said (5xx failed)', () => {
    const tally = new OutcomeTally(defaultExpectedStatuses);
    expect(tally.judge(200, undefined)).toBe('succeeded');
    expect(tally.judge(302, undefined)).toBe('succeeded');
    expect(tally.judge(404, undefined)).toBe('failed');
    expect(tally.judge(503, undefined)).toBe('failed');
    expect(tally.counts()).toEqual({
      settled: 4,
      succeeded: 2,
      statuses: { '200': 1, '302': 1, '404': 1, '503': 1 },
      failuresByCause: { 'http 404': 1, 'http 503': 1 },
      httpErrors: 2,
      firstFailure: { cause: 'http 404', message: 'HTTP 404' },
    });
  });

  it('--expect-status can make a 404 or a 503 a success', () => {
    const tally = new OutcomeTally(parseStatusRanges('200-299,404,503'));
    expect(tally.judge(404, undefined)).toBe('succeeded');
    expect(tally.judge(503, undefined)).toBe('succeeded');
    expect(tally.counts().httpErrors).toBe(0);
  });

  it('counts other failures by cause, most frequent first, and reports a root cause first', () => {
    const tally = new OutcomeTally(defaultExpectedStatuses);
    const shed = new OverloadError('queue-wait', 200, queuedBreakdown);
    const refused = new TransportError(
      {
        failure: 'connect',
        detail: 'connect ECONNREFUSED 127.0.0.1:1\nsecond line',
        causeCode: 'ECONNREFUSED',
      },
      queuedBreakdown,
    );
    expect(tally.judge(undefined, shed)).toBeUndefined();
    expect(tally.judge(undefined, shed)).toBeUndefined();
    expect(tally.judge(undefined, refused)).toBeUndefined();
    expect(tally.judge(undefined, new DeadlineError(awaitingBreakdown, true))).toBeUndefined();
    const counts = tally.counts();
    expect(Object.entries(counts.failuresByCause)).toEqual([
      ['overload queue-wait', 2],
      ['connect ECONNREFUSED', 1],
      ['deadline awaiting response', 1],
    ]);
    // The sheds came first, but they follow from the refused connection: that is what is reported.
    expect(counts.firstFailure?.cause).toBe('connect ECONNREFUSED');
    expect(counts.firstFailure?.message).toBe(
      'transport failed (connect, ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:1',
    );
  });
});
