import { describe, expect, it } from '@jest/globals';
import {
  rejectUnknownKeys,
  requireAbove,
  requireInteger,
  requireNumber,
  requireOneOf,
  requireOrdered,
} from '../../src/core/validate.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';

/** The error `fn` throws, which must be an InvalidOptionError (and so a RangeError). */
function thrown(fn: () => unknown): InvalidOptionError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e).toBeInstanceOf(RangeError);
    return e as InvalidOptionError;
  }
  throw new Error('expected a throw');
}

describe('option guards', () => {
  it('requireNumber accepts the closed range and returns the value', () => {
    expect(requireNumber('x', 0, 0, 1)).toBe(0);
    expect(requireNumber('x', 1, 0, 1)).toBe(1);
    expect(requireNumber('x', Number.POSITIVE_INFINITY, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('requireNumber rejects NaN, out-of-range values and non-numbers', () => {
    expect(thrown(() => requireNumber('x', Number.NaN, 0)).message).toBe(
      'x must be a number >= 0, got NaN',
    );
    expect(thrown(() => requireNumber('x', 2, 0, 1)).message).toBe(
      'x must be a number between 0 and 1, got 2',
    );
    expect(thrown(() => requireNumber('x', null, 0)).message).toBe(
      'x must be a number >= 0, got null',
    );
  });

  it('requireAbove excludes its lower bound and infinities', () => {
    expect(requireAbove('y', 0.001, 0)).toBe(0.001);
    expect(thrown(() => requireAbove('y', 0, 0)).message).toBe(
      'y must be a finite number > 0, got 0',
    );
    expect(thrown(() => requireAbove('y', Number.POSITIVE_INFINITY, 0)).option).toBe('y');
    expect(thrown(() => requireAbove('y', 3, 0, 2)).message).toBe(
      'y must be a finite number > 0 and <= 2, got 3',
    );
  });

  it('requireInteger rejects fractions', () => {
    expect(requireInteger('n', 3, 1)).toBe(3);
    expect(thrown(() => requireInteger('n', 2.5, 1)).message).toBe(
      'n must be an integer >= 1, got 2.5',
    );
  });

  it('requireOneOf lists the allowed values', () => {
    expect(requireOneOf('mode', 'a', ['a', 'b'])).toBe('a');
    expect(thrown(() => requireOneOf('mode', 'c', ['a', 'b'])).message).toBe(
      `mode must be one of 'a', 'b', got "c"`,
    );
  });

  it('requireOrdered names both options and blames the upper one', () => {
    expect(() => requireOrdered('lo', 1, 'hi', 1)).not.toThrow();
    const e = thrown(() => requireOrdered('lo', 3, 'hi', 2));
    expect(e.option).toBe('hi');
    expect(e.message).toBe('hi must be >= lo (3), got 2');
  });

  it('rejectUnknownKeys names the unknown key with its prefix', () => {
    expect(() => rejectUnknownKeys('server', { a: 1 }, ['a', 'b'])).not.toThrow();
    const e = thrown(() => rejectUnknownKeys('server', { a: 1, c: { d: 2 } }, ['a', 'b']));
    expect(e.option).toBe('server.c');
    expect(e.value).toEqual({ d: 2 });
    expect(e.message).toBe('server.c must be a known option (a, b), got {"d":2}');
  });
});
