import { describe, expect, it } from '@jest/globals';
import { H2flowError, isH2flowError } from '../../src/errors/H2flowError.js';
import type { OverloadReason } from '../../src/errors/OverloadError.js';
import { isOverloadError, OverloadError } from '../../src/errors/OverloadError.js';
import { notErrors, oneOfEach, queuedBreakdown } from './fixtures.js';

describe('OverloadError', () => {
  const e = new OverloadError('queue-wait', 812.4, queuedBreakdown);

  it('has the stable code and its name', () => {
    expect(e.code).toBe('H2FLOW_OVERLOAD');
    expect(e.name).toBe('OverloadError');
  });

  it('carries the reason and the predicted wait', () => {
    expect(e.reason).toBe('queue-wait');
    expect(e.predictedWaitMs).toBe(812.4);
    expect(e.breakdown).toBe(queuedBreakdown);
  });

  it('says it was shed before sending, with the wait against the budget', () => {
    expect(e.message).toBe(
      'overloaded (queue-wait): shed before sending, predicted wait 812 ms of 5000 ms budget; queued 0 ms',
    );
  });

  it.each<[OverloadReason]>([
    ['rate-limit'],
    ['queue-full'],
    ['queue-wait'],
    ['deadline'],
    ['no-capacity'],
  ])('names the reason %s in its message', (reason) => {
    expect(new OverloadError(reason, 0, queuedBreakdown).message).toContain(`(${reason})`);
  });

  it('is an H2flowError recognised by its brand guard only', () => {
    expect(e).toBeInstanceOf(H2flowError);
    expect(isH2flowError(e)).toBe(true);
    expect(isOverloadError(e)).toBe(true);
    const others = oneOfEach().filter((x) => !(x instanceof OverloadError));
    expect(others.some(isOverloadError)).toBe(false);
    expect(notErrors.some(isOverloadError)).toBe(false);
    expect(isOverloadError({ [Symbol.for('h2flow.OverloadError')]: true })).toBe(true);
  });
});
