import { describe, expect, it } from '@jest/globals';
import type { CongestionKind } from '../../src/core/congestion.js';
import { congestionKinds, zeroCongestion } from '../../src/core/congestion.js';
import {
  defaultControllerOptions as defaults,
  resolveControllerOptions,
} from '../../src/core/controllerOptions.js';
import type { DecisionReason } from '../../src/core/decision.js';
import { step } from '../../src/core/step.js';
import { avoidanceState, congestionOf, makeWindow } from './fixtures.js';

/** The reason each congestion kind must be reported under. */
const reasonOf: Record<CongestionKind, DecisionReason> = {
  timeout: 'timeout',
  refusedStream: 'refused-stream',
  enhanceYourCalm: 'enhance-your-calm',
  goawayError: 'goaway-error',
  http429: 'http-429',
  http503: 'http-503',
};

describe('step: multiplicative decrease', () => {
  it('starts a congestion episode: the limit is enforced from the cut on', () => {
    const r = step(avoidanceState(), makeWindow({ congestion: congestionOf('http429') }), defaults);
    expect(r.decision.limiting).toBe(true);
    expect(r.state.episode).toEqual({ startTps: 800, peakTps: 1000, regrowFromMs: 1000 });
  });

  it.each(congestionKinds.map((k) => [k]))('cuts the rate by decreaseFactor on %s', (kind) => {
    const state = avoidanceState();
    // Open: the ceiling (2000) is twice what the path delivers (1000), so the cut is 0.8 × 1000.
    const r = step(state, makeWindow({ congestion: congestionOf(kind) }), defaults);
    expect(r.decision.rateTps).toBeCloseTo(800, 9);
    expect(r.decision.reason).toBe(reasonOf[kind]);
    expect(r.decision.limiting).toBe(true);
  });

  it('names the most specific kind when several are present', () => {
    const congestion = { ...zeroCongestion(), timeout: 5, enhanceYourCalm: 1, http503: 2 };
    const r = step(avoidanceState(), makeWindow({ congestion }), defaults);
    expect(r.decision.reason).toBe('enhance-your-calm');
  });

  it('cuts from the delivered throughput when it is below the rate', () => {
    // Steady at 700 req/s delivered against a 1000 req/s target.
    const r = step(
      avoidanceState({ throughputTps: 700 }),
      makeWindow({ completed: 70, congestion: congestionOf('timeout') }),
      defaults,
    );
    expect(r.decision.rateTps).toBeCloseTo(0.8 * 700, 9);
  });

  it('cuts to β × delivered however far the rate overshot it', () => {
    // Slow start left the rate at 8000 req/s; the path delivers 1900.
    const r = step(
      avoidanceState({ rateTps: 8000, throughputTps: 1900 }),
      makeWindow({ completed: 190, congestion: congestionOf('refusedStream') }),
      defaults,
    );
    expect(r.decision.rateTps).toBeCloseTo(0.8 * 1900, 9);
  });

  it('reads delivered throughput as this window or its smoothed history, whichever is higher', () => {
    // History 1000 req/s, this window 700: the EWMA (weight 0.3) gives 910.
    const r = step(
      avoidanceState(),
      makeWindow({ completed: 70, congestion: congestionOf('timeout') }),
      defaults,
    );
    expect(r.decision.rateTps).toBeCloseTo(0.8 * 910, 9);
  });

  it('does not cut more gently for a window with no completions than for one with a few', () => {
    const state = avoidanceState({ throughputTps: 1000 });
    const cutWith = (completed: number) =>
      step(state, makeWindow({ completed, congestion: congestionOf('http503', 40) }), defaults)
        .decision.rateTps;
    expect(cutWith(0)).toBeLessThanOrEqual(cutWith(1));
    expect(cutWith(1)).toBeLessThanOrEqual(cutWith(50));
    // None delivered this window: 0.8 × the decayed history, 0.7 × 1000.
    expect(cutWith(0)).toBeCloseTo(0.8 * 700, 9);
  });

  it('cuts from the rate before anything has completed', () => {
    const r = step(
      avoidanceState({ rateTps: 1000, throughputTps: 0 }),
      makeWindow({ completed: 0, congestion: congestionOf('goawayError') }),
      defaults,
    );
    expect(r.decision.rateTps).toBeCloseTo(800, 9);
  });

  it('uses the configured decreaseFactor', () => {
    const options = resolveControllerOptions({ decreaseFactor: 0.5 });
    const r = step(avoidanceState(), makeWindow({ congestion: congestionOf('http429') }), options);
    expect(r.decision.rateTps).toBeCloseTo(500, 9);
  });

  it('does not go below minRateTps', () => {
    const options = resolveControllerOptions({ minRateTps: 900, initialRateTps: 1000 });
    const r = step(avoidanceState(), makeWindow({ congestion: congestionOf('http429') }), options);
    expect(r.decision.rateTps).toBe(900);
  });

  it('never cuts for the client queue alone: admission bounds it, and a capped path runs full', () => {
    const r = step(
      avoidanceState(),
      makeWindow({ queueWaitP99Ms: 900, queueLength: 500 }),
      defaults,
    );
    expect(r.decision.limiting).toBe(false);
    expect(r.decision.reason).toBe('open');
  });

  it('reports a congestion signal over a window queue over target', () => {
    const r = step(
      avoidanceState(),
      makeWindow({ ...windowQueue, congestion: congestionOf('refusedStream') }),
      defaults,
    );
    expect(r.decision.reason).toBe('refused-stream');
    expect(r.decision.rateTps).toBeCloseTo(0.8 * 1000, 9);
  });

  it('cuts at least as deep as the window-queue rule would when both signals are present', () => {
    // A congestion factor gentler than the queue factor must not soften a queue-over cut.
    const options = resolveControllerOptions({ decreaseFactor: 0.95, queueDecreaseFactor: 0.9 });
    const window = makeWindow(windowQueue);
    const queueOnly = step(avoidanceState(), window, options).decision.rateTps;
    const both = step(avoidanceState(), { ...window, congestion: congestionOf('http429') }, options)
      .decision.rateTps;
    expect(queueOnly).toBeCloseTo(900, 9);
    expect(both).toBeCloseTo(900, 9);
    const congestionOnly = step(
      avoidanceState(),
      makeWindow({ congestion: congestionOf('http429') }),
      options,
    ).decision.rateTps;
    expect(congestionOnly).toBeCloseTo(950, 9);
  });

  it('ignores negative and NaN congestion counts', () => {
    const congestion = { ...zeroCongestion(), timeout: -3, http429: Number.NaN };
    const r = step(avoidanceState(), makeWindow({ congestion }), defaults);
    expect(r.decision.reason).toBe('open');
  });
});

/** Streams stalled on flow-control windows, 650 ms above the 50 ms baseline: past the 500 ms target. */
const windowQueue = { windowStalls: 5, serviceP50Ms: 700, slotsInUseMean: 60 } as const;
