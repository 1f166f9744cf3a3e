import { describe, expect, it } from '@jest/globals';
import { AbortedError, isAbortedError } from '../../src/errors/AbortedError.js';
import { H2flowError, isH2flowError } from '../../src/errors/H2flowError.js';
import { awaitingBreakdown, notErrors, oneOfEach, queuedBreakdown } from './fixtures.js';

describe('AbortedError', () => {
  it('has the stable code, its name, the breakdown and whether a cancel hit the wire', () => {
    const e = new AbortedError(awaitingBreakdown, true);
    expect(e.code).toBe('H2FLOW_ABORTED');
    expect(e.name).toBe('AbortedError');
    expect(e.breakdown).toBe(awaitingBreakdown);
    expect(e.cancelledOnWire).toBe(true);
    expect(e.message).toBe(
      'aborted by caller; queued 4890 ms, sending 2 ms, awaiting response 108 ms',
    );
  });

  it('records that nothing was sent when aborted in the queue', () => {
    const e = new AbortedError(queuedBreakdown, false);
    expect(e.cancelledOnWire).toBe(false);
    expect(e.message).toBe('aborted by caller; queued 0 ms');
  });

  it('is an H2flowError recognised by its brand guard only', () => {
    const e = new AbortedError(queuedBreakdown, false);
    expect(e).toBeInstanceOf(H2flowError);
    expect(isH2flowError(e)).toBe(true);
    expect(isAbortedError(e)).toBe(true);
    const others = oneOfEach().filter((x) => !(x instanceof AbortedError));
    expect(others.some(isAbortedError)).toBe(false);
    expect(notErrors.some(isAbortedError)).toBe(false);
    expect(isAbortedError({ [Symbol.for('h2flow.AbortedError')]: true })).toBe(true);
  });
});
