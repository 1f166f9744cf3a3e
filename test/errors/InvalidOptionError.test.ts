import { describe, expect, it } from '@jest/globals';
import { InvalidOptionError, isInvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { notErrors, oneOfEach } from './fixtures.js';

describe('InvalidOptionError', () => {
  const e = new InvalidOptionError('maxConnections', 0, 'an integer >= 1');

  it('is a RangeError with the stable code and its name', () => {
    expect(e).toBeInstanceOf(RangeError);
    expect(e.code).toBe('H2FLOW_INVALID_OPTION');
    expect(e.name).toBe('InvalidOptionError');
  });

  it('names the option and the value, in fields and in the message', () => {
    expect(e.option).toBe('maxConnections');
    expect(e.value).toBe(0);
    expect(e.message).toBe('maxConnections must be an integer >= 1, got 0');
  });

  it.each<[unknown, string]>([
    ['5', '"5"'],
    [Number.NaN, 'NaN'],
    [-0.5, '-0.5'],
    [true, 'true'],
    [undefined, 'undefined'],
    [null, 'null'],
    [{ meanMs: 'x' }, '{"meanMs":"x"}'],
    [[1, 2], '[1,2]'],
    [10n, '10'],
  ])('describes the value %p as %s', (value, shown) => {
    expect(new InvalidOptionError('o', value, 'valid').message).toBe(
      `o must be valid, got ${shown}`,
    );
  });

  it('still describes a value JSON cannot', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(new InvalidOptionError('o', circular, 'valid').message).toBe(
      'o must be valid, got [object Object]',
    );
  });

  it('names nested fields by path', () => {
    const nested = new InvalidOptionError('server.latency.meanMs', -1, 'a number >= 0');
    expect(nested.option).toBe('server.latency.meanMs');
    expect(nested.message).toBe('server.latency.meanMs must be a number >= 0, got -1');
  });

  it('is recognised by its brand guard only', () => {
    expect(isInvalidOptionError(e)).toBe(true);
    expect(oneOfEach().some(isInvalidOptionError)).toBe(false);
    expect(notErrors.some(isInvalidOptionError)).toBe(false);
    expect(isInvalidOptionError({ [Symbol.for('h2flow.InvalidOptionError')]: true })).toBe(true);
  });
});
