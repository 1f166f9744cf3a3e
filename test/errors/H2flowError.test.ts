import { describe, expect, it } from '@jest/globals';
import { isH2flowError } from '../../src/errors/H2flowError.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { notErrors, oneOfEach } from './fixtures.js';

describe('H2flowError', () => {
  it('gives every request error a distinct stable code', () => {
    const codes = oneOfEach().map((e) => e.code);
    expect(codes).toEqual([
      'H2FLOW_DEADLINE',
      'H2FLOW_OVERLOAD',
      'H2FLOW_TRANSPORT',
      'H2FLOW_CLOSED',
      'H2FLOW_ABORTED',
    ]);
  });

  it('recognises every request error and nothing else', () => {
    expect(oneOfEach().every(isH2flowError)).toBe(true);
    expect(notErrors.some(isH2flowError)).toBe(false);
    // An invalid option is a configuration error, not a request error: it has no breakdown.
    expect(isH2flowError(new InvalidOptionError('x', 1, 'a string'))).toBe(false);
  });

  it('recognises a request error from another copy of the package by its registered brand', () => {
    expect(isH2flowError({ [Symbol.for('h2flow.error')]: true })).toBe(true);
  });

  it('gives each error its class name for stack traces and logs', () => {
    expect(oneOfEach().map((e) => e.name)).toEqual([
      'DeadlineError',
      'OverloadError',
      'TransportError',
      'ClosedError',
      'AbortedError',
    ]);
    for (const e of oneOfEach()) expect(String(e).startsWith(`${e.name}: `)).toBe(true);
  });
});
