import { describe, expect, test } from '@jest/globals';
import { embeddedConditions } from '../../bench/lib/dominance/conditions.js';
import type { RunMeasure } from '../../bench/lib/dominance/measureRun.js';
import type { RoundResult } from '../../bench/lib/dominance/runCondition.js';
import { issueBounds, summarize } from '../../bench/lib/dominance/summarize.js';

const conditions = embeddedConditions();
const byName = (name: string) => conditions.find((c) => c.name === name)!;

function run(policy: 'naive' | 'adaptive', more: Partial<RunMeasure> = {}): RunMeasure {
  return {
    policy,
    goodputTps: 1000,
    steadyGoodputTps: 1000,
    submitted: 10_000,
    succeeded: 10_000,
    shed: 0,
    shedFirstSecond: 0,
    timedOut: 0,
    failed: 0,
    wireCancels: 0,
    serverCancels: 0,
    connectionsMax: 1,
    sendLagP99Ms: 3,
    succeededPerBucket: [],
    recovery: undefined,
    ...more,
  };
}

const round = (
  naive: Partial<RunMeasure>,
  adaptive: Partial<RunMeasure>,
  probeTps?: number,
): RoundResult => ({ naive: run('naive', naive), adaptive: run('adaptive', adaptive), probeTps });

describe('summarize: healthy rows', () => {
  const healthy = byName('bg503-5%');

  test('holds when adaptive carries as much and cancels no more', () => {
    const s = summarize(healthy, [round({}, {}), round({}, { goodputTps: 995 }), round({}, {})]);
    expect(s.failed).toEqual([]);
    expect(s.ratio).toEqual({ median: 1, min: 0.995, max: 1 });
  });

  test('fails on the median ratio, not on one bad round', () => {
    const one = summarize(healthy, [round({}, { goodputTps: 500 }), round({}, {}), round({}, {})]);
    expect(one.failed).toEqual([]);
    const two = summarize(healthy, [
      round({}, { goodputTps: 980 }),
      round({}, { goodputTps: 985 }),
      round({}, {}),
    ]);
    expect(two.failed).toEqual(['adaptive ÷ naive ≥ 0.99']);
  });

  test('fails when adaptive cancels more on the wire than naive, beyond Poisson noise, summed over rounds', () => {
    // Naive 3 in all: adaptive 17 is within ceil(3 × √(3 + 17)) = 14 of it; 18 is not (ceil(3 × √21) = 14).
    const within = summarize(healthy, [
      round({ wireCancels: 3 }, { wireCancels: 9 }),
      round({}, { wireCancels: 8 }),
    ]);
    expect(within.failed).toEqual([]);
    const s = summarize(healthy, [
      round({ wireCancels: 3 }, { wireCancels: 10 }),
      round({}, { wireCancels: 8 }),
    ]);
    expect(s.failed).toEqual(['cancels ≤ naive (+3√(n+a))']);
    expect(s.adaptive.wireCancels).toBe(18);
  });

  test('never lets a healthy row cancel when naive did not', () => {
    const s = summarize(healthy, [round({}, { wireCancels: 1 })]);
    expect(s.failed).toEqual(['cancels ≤ naive (+3√(n+a))']);
  });
});

describe('summarize: congested rows', () => {
  test('capped: judged against the probe and naive, with 0 cancels and 0 timeouts', () => {
    const capped = byName('seed 52845, capped');
    const ok = summarize(capped, [round({}, { steadyGoodputTps: 1800 }, 1810)]);
    expect(ok.failed).toEqual([]);
    expect(ok.probeTps).toBe(1810);
    expect(summarize(capped, [round({}, { steadyGoodputTps: 1700 }, 1810)]).failed).toEqual([
      'adaptive ÷ probe ≥ 0.99',
    ]);
    expect(
      summarize(capped, [round({}, { steadyGoodputTps: 1800, timedOut: 1 }, 1810)]).failed,
    ).toEqual(['0 timeouts']);
    // The server's count is a witness too: a cancel the client did not count still fails.
    expect(
      summarize(capped, [round({}, { steadyGoodputTps: 1800, serverCancels: 1 }, 1810)]).failed,
    ).toEqual(['0 cancels']);
    // Naive saturates the same connection: carrying less than it is harm, whatever the probe read.
    expect(
      summarize(capped, [round({}, { steadyGoodputTps: 1800, goodputTps: 980 }, 1810)]).failed,
    ).toEqual(['adaptive ÷ naive ≥ 0.99']);
  });

  test("capped: its bound against naive is its own, not the healthy rows'", () => {
    const capped = byName('seed 52845, capped');
    const bounds = { ...issueBounds, healthyRatio: 0.99, cappedNaiveRatio: 0.93 };
    const at = (goodputTps: number) =>
      summarize(capped, [round({}, { steadyGoodputTps: 1800, goodputTps }, 1810)], bounds).failed;
    expect(at(940)).toEqual([]);
    expect(at(920)).toEqual(['adaptive ÷ naive ≥ 0.93']);
  });

  test('uncapped: far above naive', () => {
    const uncapped = byName('seed 52845, max 4');
    expect(summarize(uncapped, [round({ goodputTps: 1800 }, { goodputTps: 3000 })]).failed).toEqual(
      [],
    );
    expect(summarize(uncapped, [round({ goodputTps: 1800 }, { goodputTps: 2000 })]).failed).toEqual(
      ['adaptive ÷ naive ≥ 1.2'],
    );
  });
});

describe('summarize: the spike row', () => {
  const spike = byName('x10 spike');
  const recovered = (recoveryMs: number | null) => ({
    recovery: { preSpikeTps: 2000, recoveryMs, observedAfterMs: 4000 },
  });

  test('holds when adaptive recovers within 2 s and carries as much', () => {
    expect(summarize(spike, [round(recovered(0), recovered(200))]).failed).toEqual([]);
  });

  test('fails when adaptive recovers later than 2 s, or never', () => {
    expect(summarize(spike, [round(recovered(0), recovered(2100))]).failed).toEqual([
      'recovery ≤ 2000 ms',
    ]);
    expect(summarize(spike, [round(recovered(0), recovered(null))]).failed).toEqual([
      'recovery ≤ 2000 ms',
    ]);
  });
});
