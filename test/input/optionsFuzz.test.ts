import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { clientOptionNames, resolveClientOptions } from '../../src/client/clientOptions.js';
import { createClient } from '../../src/createClient.js';
import { isInvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import {
  defaultH2TransportOptions,
  resolveH2TransportOptions,
} from '../../src/h2/H2TransportOptions.js';

// Any options object gives valid options or an InvalidOptionError (a
// RangeError naming the option) — never a TypeError or another crash.

/** Runs `fn`; returns 'ok' or 'typed', rethrowing anything else so the property fails. */
function outcome(fn: () => unknown): 'ok' | 'typed' {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (isInvalidOptionError(error) && error instanceof RangeError) return 'typed';
    throw error;
  }
}

const transportNames = Object.keys(defaultH2TransportOptions);

/** Numbers where validation goes wrong: NaN, infinities, zero, negatives, fractions, huge and tiny values. */
const edgyNumber = fc.oneof(
  fc.double(),
  fc.integer({ min: -5, max: 2000 }),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    0,
    -0,
    0.5,
    1,
    2 ** 31,
    Number.MAX_SAFE_INTEGER + 2,
    Number.MIN_VALUE,
  ),
);

/** A value of any type: mostly numbers, sometimes anything at all (strings, objects, arrays, null, bigint). */
const anyValue = fc.oneof(
  { weight: 3, arbitrary: edgyNumber },
  {
    weight: 1,
    arbitrary: fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withNullPrototype: true,
    }),
  },
);

/** Options objects with known keys (and now and then an unknown one). */
function optionsOf(names: readonly string[]) {
  return fc.dictionary(
    fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...names) },
      { weight: 1, arbitrary: fc.string() },
    ),
    anyValue,
    { maxKeys: 6 },
  );
}

describe('resolveClientOptions under fuzzing', () => {
  test('arbitrary values of any type, as the whole options argument', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
        }),
        (value) => {
          outcome(() => resolveClientOptions(value as never));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('objects of known option names with edgy values: valid options or a typed error, and valid ones resolve again to the same', () => {
    const seen = { ok: 0, typed: 0 };
    fc.assert(
      fc.property(optionsOf(clientOptionNames), (options) => {
        let resolved: unknown;
        seen[
          outcome(() => {
            resolved = resolveClientOptions(options as never);
          })
        ]++;
        if (resolved !== undefined) {
          expect(Object.isFrozen(resolved)).toBe(true);
          expect(resolveClientOptions(resolved as never)).toEqual(resolved);
        }
      }),
      { numRuns: 1000 },
    );
    // The generator reaches both sides.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.typed).toBeGreaterThan(0);
  });
});

describe('the transport options under fuzzing', () => {
  test('objects of known option names with edgy values: valid options or a typed error', () => {
    fc.assert(
      fc.property(optionsOf(transportNames), (options) => {
        outcome(() => resolveH2TransportOptions(options as never));
      }),
      { numRuns: 1000 },
    );
  });

  test('createClient with fuzzed options (no server: port 9) either throws the typed error or makes a client that closes', async () => {
    await fc.assert(
      fc.asyncProperty(optionsOf([...clientOptionNames, ...transportNames]), async (options) => {
        let client: ReturnType<typeof createClient> | undefined;
        outcome(() => {
          client = createClient('http://127.0.0.1:9', options as never);
        });
        await client?.close();
      }),
      { numRuns: 150 },
    );
  });
});
