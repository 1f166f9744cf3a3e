import { describe, expect, test } from '@jest/globals';
import { defaultControllerOptions } from '../../src/core/controllerOptions.js';
import type { ControlWindow } from '../../src/core/controlWindow.js';
import type { Decision } from '../../src/core/decision.js';
import { relativeStdErr, StageJudge } from '../../src/tune/stageJudge.js';
import { congestionOf, makeWindow } from '../core/fixtures.js';

const options = { maxRateTps: 100_000, plateauMs: 400, controller: defaultControllerOptions };
const decided = (rateTps: number, reason: Decision['reason'] = 'hold'): Decision => ({
  rateTps,
  limiting: reason !== 'open',
  connections: 1,
  reason,
  pathState: 'unknown',
});
/** 100 ms at the stream knee: full slots, a building queue, `completed` completions. */
const knee = (completed: number, overrides: Partial<ControlWindow> = {}): ControlWindow =>
  makeWindow({ completed, slotsInUseMean: 100, queueWaitP99Ms: 200, ...overrides });

function feed(
  judge: StageJudge,
  windows: readonly ControlWindow[],
  rateTps = 2000,
): (string | undefined)[] {
  return windows.map((w, i) => judge.add(w, decided(rateTps), i * 100));
}

describe('StageJudge', () => {
  test('measures the knee over plateauMs of saturated windows, skipping the first', () => {
    const judge = new StageJudge(options, 50, 100);
    const ends = feed(judge, [
      makeWindow(),
      makeWindow(),
      knee(10),
      knee(150),
      knee(140),
      knee(160),
      knee(150),
    ]);
    expect(ends).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'saturated',
    ]);
    const m = judge.measurement();
    expect(m.end).toBe('saturated');
    expect(m.measuredWindows).toBe(4);
    expect(m.measuredMs).toBe(400);
    // (150 + 140 + 160 + 150) completions over 0.4 s; the first knee window (10) is left out.
    expect(m.goodputTps).toBeCloseTo(1500, 9);
    expect(m.goodputRelStdErr).toBeCloseTo(relativeStdErr([1500, 1400, 1600, 1500]), 12);
    expect(m.bound).toBe('stream');
    expect(m.windows).toHaveLength(7);
  });

  test('a noisy knee is measured for longer, up to 3 × plateauMs, before it is done', () => {
    const noisy = [knee(1), knee(100), knee(200), knee(100), knee(200)];
    const quiet = new StageJudge({ ...options, targetRelStdErr: 0.025 }, 50, 100);
    expect(feed(quiet, [knee(1), knee(150), knee(152), knee(148), knee(150)]).at(-1)).toBe(
      'saturated',
    );
    const judge = new StageJudge({ ...options, targetRelStdErr: 0.025 }, 50, 100);
    expect(feed(judge, noisy).at(-1)).toBeUndefined();
    // Calmer windows bring the error down...
    for (let i = 0; i < 7; i++) judge.add(knee(150), decided(2000), 0);
    expect(judge.end).toBeUndefined();
    // ...but not below 2.5% in time: at 12 windows (1200 ms = 3 × plateauMs) it stops anyway.
    expect(judge.add(knee(150), decided(2000), 0)).toBe('saturated');
    expect(judge.measurement().measuredWindows).toBe(12);
  });

  test('weights windows by their length: completions over time, not a mean of rates', () => {
    const judge = new StageJudge({ ...options, plateauMs: 300, minPlateauWindows: 2 }, 50, 100);
    feed(judge, [knee(1), knee(150, { durationMs: 100 }), knee(280, { durationMs: 200 })]);
    expect(judge.end).toBe('saturated');
    expect(judge.measurement().goodputTps).toBeCloseTo(430 / 0.3, 9);
  });

  test('needs minPlateauWindows as well as plateauMs', () => {
    const judge = new StageJudge({ ...options, plateauMs: 100 }, 50, 100);
    const ends = feed(judge, [
      knee(1, { durationMs: 2000 }),
      knee(2000, { durationMs: 2000 }),
      knee(100),
      knee(100),
    ]);
    expect(ends.at(-1)).toBeUndefined();
    expect(judge.add(knee(100), decided(2000), 500)).toBe('saturated');
  });

  test('a service-latency rise is the server bound; the baseline is the lowest p50 of windows with completions', () => {
    const judge = new StageJudge(options, 0, 100);
    // 4 completions are too few to set the baseline; 50 ms with 100 completions sets it.
    feed(judge, [makeWindow({ completed: 4, serviceP50Ms: 20 }), makeWindow({ serviceP50Ms: 50 })]);
    expect(judge.baselineServiceMs).toBe(50);
    for (const w of [80, 90, 95, 100, 100])
      judge.add(makeWindow({ serviceP50Ms: w }), decided(2000), 0);
    expect(judge.end).toBe('saturated');
    expect(judge.measurement().bound).toBe('server');
    expect(judge.baselineServiceMs).toBe(50);
  });

  test('the first congestion signal ends the stage at once, measured from the clean windows before it', () => {
    const judge = new StageJudge(options, 50, 100);
    const ends = feed(judge, [
      makeWindow({ completed: 80 }),
      makeWindow({ completed: 120 }),
      makeWindow({ completed: 60, congestion: congestionOf('http503', 7) }),
    ]);
    expect(ends).toEqual([undefined, undefined, 'congestion']);
    const m = judge.measurement();
    expect(m.congestion).toEqual({ kind: 'http503', count: 7, atRateTps: 2000, completedTps: 600 });
    expect(m.goodputTps).toBeCloseTo(1000, 9);
    // Nothing is counted after the end.
    expect(judge.add(knee(500), decided(2000), 1000)).toBe('congestion');
    expect(judge.measurement().windows).toHaveLength(3);
  });

  test('windows run entirely at --max-rate measure what the path carried there', () => {
    const judge = new StageJudge({ ...options, maxRateTps: 1000 }, 50, 500);
    const ends = [1000, 1000, 1000, 1000, 1000, 1000, 1000].map((rateTps, i) =>
      judge.add(makeWindow({ completed: 100 - (i % 2) }), decided(rateTps, 'open'), i * 100),
    );
    // Window 0 ran at the initial 500; window 1 is the first at the cap (skipped); 2–5 are measured.
    expect(ends.indexOf('max-rate')).toBe(5);
    const m = judge.measurement();
    expect(m.end).toBe('max-rate');
    expect(m.measuredWindows).toBe(4);
    expect(m.goodputTps).toBeCloseTo((99 + 100 + 99 + 100) / 0.4, 9);
    expect(m.bound).toBeUndefined();
  });

  test('stopped from outside (time limit), it reports the clean windows of its last plateauMs', () => {
    const judge = new StageJudge(options, 50, 100);
    feed(judge, [
      makeWindow({ completed: 10 }),
      makeWindow({ completed: 50 }),
      makeWindow({ completed: 70 }),
      makeWindow({ completed: 90 }),
      makeWindow({ completed: 110 }),
    ]);
    judge.stop('time-limit');
    const m = judge.measurement();
    expect(m.end).toBe('time-limit');
    expect(m.goodputTps).toBeCloseTo((110 + 90 + 70 + 50) / 0.4, 9);
  });
});

describe('relativeStdErr', () => {
  test('is the standard error of the mean over the mean', () => {
    // sd of [1, 2, 3] is 1, the mean 2: (1 / √3) / 2.
    expect(relativeStdErr([1, 2, 3])).toBeCloseTo(1 / Math.sqrt(3) / 2, 12);
    expect(relativeStdErr([5])).toBe(0);
    expect(relativeStdErr([4, 4, 4])).toBe(0);
  });
});
