import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { decisionReasons } from '../../src/core/decision.js';
import type { PolicyResult, RunReport, TimelinePoint } from '../../src/core/runResult.js';
import { runReportSchema, stringifyRunReport } from '../../src/report/jsonReport.js';
import { naiveLoadReport, seedRunReport } from './fixtures/seedRunReport.js';

const validate = new Ajv({ strict: true, allErrors: true }).compile(runReportSchema);

function expectValid(document: unknown): void {
  const ok = validate(document);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

// Rebuilds every object with its keys in reverse order: same report, different insertion order.
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  ) as T;
}

describe('runReportSchema', () => {
  it('accepts realistic reports as they are, before any serialization', () => {
    expectValid(seedRunReport());
    expectValid(naiveLoadReport());
  });

  it('rejects a report with a missing field, a wrong enum or a negative count', () => {
    const seed = seedRunReport();
    const { title: _, ...untitled } = seed;
    expect(validate(untitled)).toBe(false);
    const badReason = {
      ...seed,
      results: [
        { ...seed.results[0]!, timeline: [{ ...seed.results[0]!.timeline[0]!, reason: 'vibes' }] },
      ],
    };
    expect(validate(badReason)).toBe(false);
    expect(validate({ ...seed, results: [{ ...seed.results[0]!, timedOut: -1 }] })).toBe(false);
  });

  it('describes every field, so the docs table has no blanks', () => {
    const undescribed: string[] = [];
    const walk = (node: Record<string, unknown>, path: string): void => {
      for (const [name, child] of Object.entries(
        (node.properties ?? {}) as Record<string, Record<string, unknown>>,
      )) {
        if (typeof child.description !== 'string' || child.description === '')
          undescribed.push(path + name);
        walk(child, `${path}${name}.`);
        const items = child.items as Record<string, unknown> | undefined;
        for (const variant of [items, ...((items?.anyOf as Record<string, unknown>[]) ?? [])]) {
          if (variant) walk(variant, `${path}${name}[].`);
        }
      }
    };
    walk(runReportSchema as Record<string, unknown>, '');
    expect(undescribed).toEqual([]);
  });
});

describe('stringifyRunReport', () => {
  it('parses back to the same report, field for field', () => {
    for (const report of [seedRunReport(), naiveLoadReport()]) {
      expect(JSON.parse(stringifyRunReport(report))).toEqual(report);
    }
  });

  it('is byte-identical across calls and across key insertion orders', () => {
    const report = seedRunReport();
    const first = stringifyRunReport(report);
    expect(stringifyRunReport(report)).toBe(first);
    expect(stringifyRunReport(seedRunReport())).toBe(first);
    expect(stringifyRunReport(reverseKeys(report))).toBe(first);
  });

  it('sorts the server RST counters by code name', () => {
    const report: RunReport = {
      ...naiveLoadReport(),
      serverStats: [
        {
          streamsStarted: 10,
          streamsCompleted: 7,
          rstReceived: { REFUSED_STREAM: 1, CANCEL: 2 },
          refused: 0,
          maxConcurrentSeen: 3,
          goawaySent: 0,
        },
      ],
    };
    expect(stringifyRunReport(report)).toContain('"rstReceived":{"CANCEL":2,"REFUSED_STREAM":1}');
  });

  it('writes fields in schema order, drops unknown ones and keeps null server entries', () => {
    const seed = seedRunReport();
    const report = {
      ...seed,
      extra: 'dropped',
      serverStats: [null, ...seed.serverStats!.slice(1)],
    };
    const json = stringifyRunReport(report);
    expect(json.startsWith('{"kind":"demo","title":')).toBe(true);
    expect(json).not.toContain('extra');
    expect(JSON.parse(json).serverStats[0]).toBeNull();
    expectValid(JSON.parse(json));
  });

  it('turns NaN and ±Infinity into 0 instead of failing or writing null', () => {
    const seed = seedRunReport();
    const naive = seed.results[0]!;
    const broken: RunReport = {
      ...seed,
      timeoutMs: Number.POSITIVE_INFINITY,
      results: [
        {
          ...naive,
          efficiency: Number.NaN,
          latencyP99Ms: Number.NEGATIVE_INFINITY,
          timeline: [{ ...naive.timeline[0]!, queueWaitP99Ms: Number.NaN }],
        },
      ],
      serverStats: undefined,
    };
    const json = stringifyRunReport(broken);
    const parsed = JSON.parse(json);
    expect(json).not.toMatch(/NaN|Infinity|null/);
    expect(parsed.timeoutMs).toBe(0);
    expect(parsed.results[0].efficiency).toBe(0);
    expect(parsed.results[0].latencyP99Ms).toBe(0);
    expect(parsed.results[0].timeline[0].queueWaitP99Ms).toBe(0);
    expect(parsed).not.toHaveProperty('serverStats');
  });

  it('for any report: valid JSON that matches the schema, strings intact, deterministic', () => {
    const anyNumber = fc.oneof(
      fc.double(),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
    );
    const point: fc.Arbitrary<TimelinePoint> = fc.record({
      tS: fc.nat(3600),
      offeredTps: anyNumber,
      admittedTps: anyNumber,
      completedTps: anyNumber,
      succeededTps: anyNumber,
      rejectedTps: anyNumber,
      timedOutTps: anyNumber,
      failedTps: anyNumber,
      cancelledOnWireTps: anyNumber,
      queueWaitP99Ms: anyNumber,
      latencyP99Ms: anyNumber,
      connections: fc.nat(64),
      rateTps: anyNumber,
      reason: fc.constantFrom(...decisionReasons, 'none' as const),
    });
    const result: fc.Arbitrary<PolicyResult> = fc.record({
      policy: fc.string({ unit: 'grapheme' }),
      offeredTps: anyNumber,
      durationS: anyNumber,
      submitted: fc.nat(),
      succeeded: fc.nat(),
      timedOut: fc.nat(),
      rejected: fc.nat(),
      failed: fc.nat(),
      cancelledOnWire: fc.nat(),
      goodputTps: anyNumber,
      capacityTps: anyNumber,
      efficiency: anyNumber,
      queueWaitP99Ms: anyNumber,
      latencyP99Ms: anyNumber,
      connectionsMax: fc.nat(64),
      retries: fc.nat(),
      pathState: fc.constantFrom(
        'unknown',
        'demand-bound',
        'stream-bound',
        'window-bound',
        'server-bound',
        'none',
      ),
      timeline: fc.array(point, { maxLength: 4 }),
    });
    const report: fc.Arbitrary<RunReport> = fc.record(
      {
        kind: fc.constantFrom('simulation', 'load', 'demo', 'tune'),
        title: fc.string({ unit: 'grapheme' }),
        description: fc.string(),
        timeoutMs: anyNumber,
        seed: fc.integer(),
        results: fc.array(result, { maxLength: 3 }),
      },
      { requiredKeys: ['kind', 'title', 'description', 'timeoutMs', 'results'] },
    );
    fc.assert(
      fc.property(report, (r) => {
        const json = stringifyRunReport(r);
        const parsed = JSON.parse(json);
        expectValid(parsed);
        expect(parsed.title).toBe(r.title);
        expect(parsed.results.map((p: PolicyResult) => p.policy)).toEqual(
          r.results.map((p) => p.policy),
        );
        expect(stringifyRunReport(r)).toBe(json);
      }),
      { numRuns: 200 },
    );
  });
});
