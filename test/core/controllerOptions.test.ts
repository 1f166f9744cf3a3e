import { describe, expect, it } from '@jest/globals';
import type { ControllerOptions } from '../../src/core/controllerOptions.js';
import {
  controllerOptionNames,
  defaultControllerOptions,
  resolveControllerOptions,
  resolveControllerOptionsStrict,
} from '../../src/core/controllerOptions.js';
import { InvalidOptionError, isInvalidOptionError } from '../../src/errors/InvalidOptionError.js';

/** Runs `fn` and returns what it threw; fails the test if it did not throw. */
function thrown(fn: () => unknown): InvalidOptionError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  throw new Error('expected a throw');
}

const resolve = (partial: Record<string, unknown>) =>
  resolveControllerOptions(partial as Partial<ControllerOptions>);

describe('controller options', () => {
  it('resolves to the defaults when nothing is given', () => {
    expect(resolveControllerOptions()).toEqual(defaultControllerOptions);
    expect(resolveControllerOptions({})).toEqual(defaultControllerOptions);
  });

  it('accepts its own defaults under the strict variant', () => {
    expect(resolveControllerOptionsStrict({ ...defaultControllerOptions })).toEqual(
      defaultControllerOptions,
    );
  });

  it('freezes the defaults and the resolved options', () => {
    expect(Object.isFrozen(defaultControllerOptions)).toBe(true);
    expect(Object.isFrozen(resolveControllerOptions({ maxConnections: 4 }))).toBe(true);
  });

  it('lists every option name', () => {
    expect([...controllerOptionNames].sort()).toEqual(Object.keys(defaultControllerOptions).sort());
  });

  it('merges a partial over the defaults and skips undefined values', () => {
    const o = resolve({ maxConnections: 4, decreaseFactor: undefined });
    expect(o.maxConnections).toBe(4);
    expect(o.decreaseFactor).toBe(defaultControllerOptions.decreaseFactor);
  });

  it('ignores keys that are not controller options in the lenient variant', () => {
    const o = resolve({ maxConnections: 4, retries: 3 });
    expect(o).not.toHaveProperty('retries');
  });

  it('rejects an unknown key in the strict variant, naming it and its value', () => {
    const e = thrown(() =>
      resolveControllerOptionsStrict({ maxConnection: 4 } as unknown as Partial<ControllerOptions>),
    );
    expect(e.option).toBe('controller.maxConnection');
    expect(e.value).toBe(4);
    expect(e.message).toMatch(
      /^controller\.maxConnection must be a known option \(.*maxConnections.*\), got 4$/,
    );
  });

  it.each(controllerOptionNames.map((n) => [n]))('rejects NaN for %s', (name) => {
    const e = thrown(() => resolve({ [name]: Number.NaN }));
    expect(e.option).toBe(name);
    expect(Number.isNaN(e.value)).toBe(true);
    expect(e.message).toMatch(new RegExp(`^${name} must be .*, got NaN$`));
  });

  it.each(controllerOptionNames.map((n) => [n]))('rejects a negative %s', (name) => {
    const e = thrown(() => resolve({ [name]: -1 }));
    expect(e.option).toBe(name);
    expect(e.value).toBe(-1);
    expect(e.message).toMatch(/, got -1$/);
  });

  it.each(controllerOptionNames.map((n) => [n]))('rejects a string for %s', (name) => {
    const e = thrown(() => resolve({ [name]: '5' }));
    expect(e.option).toBe(name);
    expect(e.message).toMatch(/, got "5"$/);
  });

  it.each([
    [{ minRateTps: 10, maxRateTps: 5, initialRateTps: 5 }, 'maxRateTps', 'minRateTps'],
    [
      { minConnections: 4, maxConnections: 2, initialConnections: 2 },
      'maxConnections',
      'minConnections',
    ],
    [{ minWindowMs: 500, maxWindowMs: 200 }, 'maxWindowMs', 'minWindowMs'],
    [
      { lowUtilizationFraction: 0.9, highUtilizationFraction: 0.5 },
      'highUtilizationFraction',
      'lowUtilizationFraction',
    ],
    [
      { queueTargetFraction: 0.5, queueLimitFraction: 0.2 },
      'queueLimitFraction',
      'queueTargetFraction',
    ],
  ])('rejects min > max (%j)', (partial, high, low) => {
    const e = thrown(() => resolve(partial));
    expect(e.option).toBe(high);
    expect(e.message).toContain(low);
    expect(e.message).toMatch(new RegExp(`got ${(partial as Record<string, number>)[high]}$`));
  });

  it('gives the message the issue asks for on min > max', () => {
    const e = thrown(() => resolve({ minRateTps: 10, maxRateTps: 5, initialRateTps: 5 }));
    expect(e.message).toBe('maxRateTps must be >= minRateTps (10), got 5');
  });

  it('keeps the initial values inside their bounds', () => {
    expect(thrown(() => resolve({ initialRateTps: 0.5 })).option).toBe('initialRateTps');
    expect(thrown(() => resolve({ initialRateTps: 2e6 })).option).toBe('initialRateTps');
    expect(thrown(() => resolve({ initialConnections: 9 })).option).toBe('initialConnections');
  });

  it('requires integer connection counts and window counts', () => {
    for (const name of [
      'minConnections',
      'maxConnections',
      'connectionEvalWindows',
      'drainAfterWindows',
    ]) {
      expect(thrown(() => resolve({ [name]: 2.5 })).option).toBe(name);
    }
  });

  it('requires both decrease factors in (0, 1)', () => {
    expect(thrown(() => resolve({ decreaseFactor: 1 })).option).toBe('decreaseFactor');
    expect(thrown(() => resolve({ decreaseFactor: 0 })).option).toBe('decreaseFactor');
    expect(resolve({ decreaseFactor: 0.99 }).decreaseFactor).toBe(0.99);
    expect(thrown(() => resolve({ queueDecreaseFactor: 1 })).option).toBe('queueDecreaseFactor');
    expect(thrown(() => resolve({ queueDecreaseFactor: 0 })).option).toBe('queueDecreaseFactor');
  });

  it('rejects infinite bounds but allows an endless server-bound hold', () => {
    expect(thrown(() => resolve({ maxRateTps: Number.POSITIVE_INFINITY })).option).toBe(
      'maxRateTps',
    );
    expect(thrown(() => resolve({ timeoutMs: Number.POSITIVE_INFINITY })).option).toBe('timeoutMs');
    expect(resolve({ serverBoundHoldMs: Number.POSITIVE_INFINITY }).serverBoundHoldMs).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('rejects options that are not an object', () => {
    const e = thrown(() => resolveControllerOptions(null as unknown as Partial<ControllerOptions>));
    expect(e.option).toBe('options');
    expect(isInvalidOptionError(e)).toBe(true);
    expect(e).toBeInstanceOf(RangeError);
  });
});
