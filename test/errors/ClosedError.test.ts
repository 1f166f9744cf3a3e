import { describe, expect, it } from '@jest/globals';
import { ClosedError, isClosedError } from '../../src/errors/ClosedError.js';
import { H2flowError, isH2flowError } from '../../src/errors/H2flowError.js';
import { awaitingBreakdown, notErrors, oneOfEach } from './fixtures.js';

describe('ClosedError', () => {
  const e = new ClosedError(awaitingBreakdown);

  it('has the stable code, its name and the breakdown', () => {
    expect(e.code).toBe('H2FLOW_CLOSED');
    expect(e.name).toBe('ClosedError');
    expect(e.breakdown).toBe(awaitingBreakdown);
    expect(e.message).toBe('client closed; queued 4890 ms, sending 2 ms, awaiting response 108 ms');
  });

  it('is an H2flowError recognised by its brand guard only', () => {
    expect(e).toBeInstanceOf(H2flowError);
    expect(isH2flowError(e)).toBe(true);
    expect(isClosedError(e)).toBe(true);
    const others = oneOfEach().filter((x) => !(x instanceof ClosedError));
    expect(others.some(isClosedError)).toBe(false);
    expect(notErrors.some(isClosedError)).toBe(false);
    expect(isClosedError({ [Symbol.for('h2flow.ClosedError')]: true })).toBe(true);
  });
});
