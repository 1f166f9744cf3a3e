import { describe, expect, test } from '@jest/globals';
import { packageEntries } from './packageEntries.js';
import { runNodeFixture } from './runNodeFixture.js';

/**
 * One line per package entry: its specifier and a function a CommonJS
 * consumer must get from `require()`.
 */
const requirable: readonly (readonly [specifier: string, aFunction: string])[] = [
  ['h2flow', 'createClient'],
  ['h2flow/limiter', 'Limiter'],
  ['h2flow/testing', 'startTestServer'],
  ['h2flow/report', 'renderHtmlReport'],
  ['h2flow/sim', 'runScenario'],
  ['h2flow/undici', 'createAgent'],
  ['h2flow/grpc', 'createChannel'],
];

const entries = packageEntries();
const built = entries.every((entry) => entry.built);
// Needs dist/ (`make test` builds before jest runs); a bare jest run without a build skips, and says so.
const whenBuilt = built ? test : test.skip;
if (!built) {
  console.warn('requireEntries.test.ts: dist/ is missing or incomplete; run `make build` first');
}

describe('require() of each package entry from CommonJS', () => {
  test('covers every entry of package.json "exports"', () => {
    expect(requirable.map(([specifier]) => specifier).sort()).toEqual(
      entries.map((e) => e.specifier).sort(),
    );
  });

  // Node >= 20.19 loads an ES module with require() unflagged (20.17 and 20.18 need
  // --experimental-require-module); an entry whose graph has top-level await would throw
  // ERR_REQUIRE_ASYNC_MODULE here.
  whenBuilt.each(requirable)('require(%j) gives %s as a function', async (specifier, name) => {
    const types = await runNodeFixture<Record<string, string>>('requireEntry.cjs', [specifier]);
    expect(types[name]).toBe('function');
  });
});
