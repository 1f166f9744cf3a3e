import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { isInvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import {
  defaultServerOptions,
  resolveServerOptions,
  type ServerOptions,
  workersFor,
} from '../../src/server/serverOptions.js';

function rejection(partial: Record<string, unknown>): Error {
  try {
    resolveServerOptions(partial as Partial<ServerOptions>);
  } catch (error) {
    expect(isInvalidOptionError(error)).toBe(true);
    expect(error).toBeInstanceOf(RangeError);
    return error as Error;
  }
  throw new Error(`accepted ${JSON.stringify(partial)}`);
}

describe('resolveServerOptions', () => {
  test('fills in the documented defaults', () => {
    expect(resolveServerOptions()).toEqual(defaultServerOptions);
    expect(defaultServerOptions).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      tls: false,
      maxConcurrentStreams: 100,
      latencyMs: 50,
      latencyDist: 'const',
      capacityTps: undefined,
      windowBytes: 65_535,
      refuseOverCapacity: false,
    });
    expect(defaultServerOptions.responseBytes).toBeLessThan(100);
  });

  test('retryAfterS null means no header; a latency spike is kept as given', () => {
    const spike = { factor: 10, atMs: 5000, forMs: 3000 };
    const o = resolveServerOptions({ retryAfterS: null, latencySpike: spike });
    expect(o.retryAfterS).toBeNull();
    expect(o.latencySpike).toEqual(spike);
    expect(defaultServerOptions).toMatchObject({ retryAfterS: 1, notFoundFraction: 0 });
    expect(defaultServerOptions.latencySpike).toBeUndefined();
  });

  test('an explicit undefined keeps the default', () => {
    const partial = { latencyMs: undefined } as unknown as Partial<ServerOptions>;
    expect(resolveServerOptions(partial).latencyMs).toBe(50);
  });

  test.each([
    [{ port: 70_000 }, /^port must be an integer between 0 and 65535, got 70000$/],
    [{ maxConcurrentStreams: -1 }, /^maxConcurrentStreams must be/],
    [{ latencyMs: Number.NaN }, /^latencyMs must be .*got NaN$/],
    [
      { latencyDist: 'pareto' },
      /^latencyDist must be one of 'const', 'exp', 'lognormal', got "pareto"$/,
    ],
    [{ latencyP99Ms: 200 }, /^latencyP99Ms must be unset unless latencyDist is 'lognormal'/],
    [{ latencyDist: 'lognormal', latencyP99Ms: 40 }, /^latencyP99Ms must be/],
    [{ latencyDist: 'lognormal', latencyP99Ms: 5000 }, /^latencyP99Ms must be .* at most 748/],
    [{ capacityTps: 0 }, /^capacityTps must be/],
    [{ windowBytes: 2 ** 31 }, /^windowBytes must be/],
    [{ responseBytes: 5 }, /^responseBytes must be an integer between 11/],
    [{ goawayEvery: 0 }, /^goawayEvery must be/],
    [{ errorFraction: 1.5 }, /^errorFraction must be/],
    [{ errorStatus: 500 }, /^errorStatus must be 503 or 429, got 500$/],
    [{ retryAfterS: 0.5 }, /^retryAfterS must be an integer/],
    [{ notFoundFraction: -0.1 }, /^notFoundFraction must be a number between 0 and 1, got -0.1$/],
    [{ latencySpike: 10 }, /^latencySpike must be an object \{ factor, atMs, forMs \}, got 10$/],
    [
      { latencySpike: { factor: 10, atMs: -1, forMs: 3000 } },
      /^latencySpike\.atMs must be a number between 0 and 86400000, got -1$/,
    ],
    [
      { latencySpike: { factor: 10, atMs: 0, forMs: 3000, every: 1 } },
      /^latencySpike\.every must be a known option/,
    ],
    [{ host: '' }, /^host must be/],
    [{ tls: 'yes' }, /^tls must be a boolean/],
    [{ latencyMS: 5 }, /^server\.latencyMS must be a known option/],
  ])('rejects %j naming the option and value', (partial, message) => {
    expect(rejection(partial).message).toMatch(message);
  });

  test('any input gives options or the typed error, never another failure', () => {
    const keys = Object.keys(defaultServerOptions);
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...keys, 'bogus'), fc.anything(), { maxKeys: 4 }),
        (partial) => {
          try {
            const resolved = resolveServerOptions(partial as Partial<ServerOptions>);
            expect(Object.keys(resolved).sort()).toEqual([...keys].sort());
          } catch (error) {
            expect(isInvalidOptionError(error)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('workersFor', () => {
  test('K = ceil(capacity × latency / 1000), at least 1, unlimited without capacity', () => {
    expect(workersFor(200, 50)).toBe(10);
    expect(workersFor(2000, 50)).toBe(100);
    expect(workersFor(250, 30)).toBe(8);
    expect(workersFor(1, 1)).toBe(1);
    expect(workersFor(undefined, 50)).toBe(Number.POSITIVE_INFINITY);
  });
});
