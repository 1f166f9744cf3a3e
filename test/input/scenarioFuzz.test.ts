import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parseScenario } from '../../src/sim/loadScenario.js';
import { isScenarioError } from '../../src/sim/scenarioError.js';

// Any text given to the scenario loader yields a scenario or a ScenarioError
// (one line naming the file, the JSON pointer or line and column) — never a
// TypeError, a RangeError from deep recursion, or anything else untyped.

const shipped = readdirSync('simulations')
  .filter((f) => f.endsWith('.json') && f !== 'scenario.schema.json')
  .map((f) => readFileSync(`simulations/${f}`, 'utf8'));

/** Parses `text` and returns 'ok' or 'typed', or rethrows anything else (failing the property). */
function outcome(text: string): 'ok' | 'typed' {
  try {
    parseScenario(text, 'fuzz.json');
    return 'ok';
  } catch (error) {
    if (isScenarioError(error) && !error.message.includes('\n')) return 'typed';
    throw error;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** One edit of a parsed scenario: replace, delete or add at a path chosen by index. */
interface Edit {
  readonly depth: number;
  readonly pick: number;
  readonly op: 'set' | 'delete' | 'add';
  readonly key: string;
  readonly value: Json;
}

const edit: fc.Arbitrary<Edit> = fc.record({
  depth: fc.nat(6),
  pick: fc.nat(),
  op: fc.constantFrom('set', 'delete', 'add'),
  key: fc.constantFrom('x', 'tps', 'meanMs', 'phases', 'latency', 'options', '__proto__', ''),
  value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
});

function applyEdit(doc: Json, e: Edit): void {
  // Walk down `depth` levels, choosing children by `pick`, then edit there.
  let node = doc;
  for (let d = 0; d < e.depth; d++) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const next = (node as Record<string, Json>)[keys[(e.pick + d) % keys.length]!]!;
    if (next === null || typeof next !== 'object') break;
    node = next;
  }
  if (node === null || typeof node !== 'object') return;
  const keys = Object.keys(node);
  const target = e.op === 'add' || keys.length === 0 ? e.key : keys[e.pick % keys.length]!;
  if (e.op === 'delete') delete (node as Record<string, Json>)[target];
  else
    Object.defineProperty(node, target, {
      value: e.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}

describe('parseScenario under fuzzing', () => {
  test('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        outcome(text);
      }),
      { numRuns: 500 },
    );
  });

  test('arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(outcome(JSON.stringify(value))).toBe('typed');
      }),
      { numRuns: 500 },
    );
  });

  test('shipped scenarios with values replaced, deleted or added anywhere', () => {
    const seen = { ok: 0, typed: 0 };
    fc.assert(
      fc.property(
        fc.nat(shipped.length - 1),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (i, edits) => {
          const doc = JSON.parse(shipped[i]!) as Json;
          for (const e of edits) applyEdit(doc, e);
          seen[outcome(JSON.stringify(doc))]++;
        },
      ),
      { numRuns: 400 },
    );
    // The edits reach both sides: some scenarios stay valid, others are rejected.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.typed).toBeGreaterThan(0);
  });

  test('shipped scenario text with characters deleted, inserted or replaced', () => {
    const op = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('delete', 'insert', 'replace'),
      char: fc.constantFrom(
        '{',
        '}',
        '[',
        ']',
        ',',
        ':',
        '"',
        '\\',
        '-',
        '0',
        'e',
        ' ',
        '\n',
        '\u0000',
        '\u2028',
      ),
    });
    fc.assert(
      fc.property(
        fc.nat(shipped.length - 1),
        fc.array(op, { minLength: 1, maxLength: 5 }),
        (i, ops) => {
          let text = shipped[i]!;
          for (const o of ops) {
            const at = o.at % (text.length + 1);
            text =
              text.slice(0, at) +
              (o.kind === 'delete' ? '' : o.char) +
              text.slice(o.kind === 'insert' ? at : at + 1);
          }
          outcome(text);
        },
      ),
      { numRuns: 400 },
    );
  });

  // Found by hand after the fuzzer's depth limit hid it: nesting deeper than
  // the JS stack once escaped as "RangeError: Maximum call stack size exceeded".
  test.each([
    ['100,000 unclosed brackets', '['.repeat(100_000)],
    ['5,000 nested arrays (valid JSON)', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    [
      'a deeply nested value under a known key',
      `{"name":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    ],
    ['100,000 nested objects, unclosed', '{"a":'.repeat(100_000)],
  ])('%s: a typed error, not a stack overflow', (_name, text) => {
    expect(outcome(text)).toBe('typed');
  });
});

// Found by the fuzzer (replacing one character of a shipped scenario with `\`): a property name
// holding an escaped newline once broke the error's one line in two.
test('a property name with a control character is shown escaped, on one line', () => {
  const text = shipped[0]!.replace('"maxConcurrentStreams"', '"maxC\\nurrentStreams"');
  expect(text).not.toBe(shipped[0]);
  expect(() => parseScenario(text, 'fuzz.json')).toThrow(
    /\/server\/maxC\\u000aurrentStreams is not a known property/,
  );
  expect(outcome(text)).toBe('typed');
});
