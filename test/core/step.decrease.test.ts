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
  cancel: 'cancel',
  refusedStream: 'refused-stream',
  enhanceYourCalm: 'enhance-your-calm',
  goawayError: 'goaway-error',
  http429: 'http-429',
  http503: 'http-503',
  connectionError: 'connection-error',
};

describe('step: multiplicative decrease', () => {
  it.each(congestionKinds.map((k) => [k]))('cuts the rate by decreaseFactor on %s', (kind) => {
    const state = avoidanceState({ rateTps: 1000 });
    // Completions (1000 req/s) keep up with the rate, so the cut is 0.8 × 1000.
    const r = step(state, makeWindow({ congestion: congestionOf(kind) }), defaults);
    expect(r.decision.rateTps).toBeCloseTo(800, 9);
    expect(r.decision.reason).toBe(reasonOf[kind]);
    expect(r.state.phase).toBe('avoidance');
  });

  it('names the most specific kind when several are present', () => {
    const congestion = { ...zeroCongestion(), timeout: 5, enhanceYourCalm: 1, http503: 2 };
    const r = step(avoidanceState(), makeWindow({ congestion }), defaults);
    expect(r.decision.reason).toBe('enhance-your-calm');
  });

  it('cuts from the completed throughput when it is below the rate', () => {
    // 70 completions in 100 ms = 700 req/s against a 1000 req/s target.
    const r = step(
      avoidanceState(),
      makeWindow({ completed: 70, congestion: congestionOf('timeout') }),
      defaults,
    );
    expect(r.decision.rateTps).toBeCloseTo(0.8 * 700, 9);
  });

  it('never cuts deeper than half the rate times decreaseFactor in one window', () => {
    const r = step(
      avoidanceState(),
      makeWindow({ completed: 0, congestion: congestionOf('http503', 40) }),
      defaults,
    );
    expect(r.decision.rateTps).toBeCloseTo(1000 * 0.8 * 0.5, 9);
  });

  it('uses the configured decreaseFactor', () => {
    const options = resolveControllerOptions({ decreaseFactor: 0.5 });
    const r = step(avoidanceState(), makeWindow({ congestion: congestionOf('cancel') }), options);
    expect(r.decision.rateTps).toBeCloseTo(500, 9);
  });

  it('does not go below minRateTps', () => {
    const options = resolveControllerOptions({ minRateTps: 900, initialRateTps: 1000 });
    const r = step(avoidanceState(), makeWindow({ congestion: congestionOf('cancel') }), options);
    expect(r.decision.rateTps).toBe(900);
  });

  it('cuts when queue-wait p99 exceeds queueTargetFraction × timeoutMs', () => {
    // Default target: 0.1 × 5000 ms = 500 ms.
    const over = step(avoidanceState(), makeWindow({ queueWaitP99Ms: 501 }), defaults);
    expect(over.decision.rateTps).toBeCloseTo(800, 9);
    expect(over.decision.reason).toBe('queue-over-target');
    const at = step(avoidanceState(), makeWindow({ queueWaitP99Ms: 500 }), defaults);
    expect(at.decision.rateTps).toBeGreaterThan(1000);
  });

  it('derives the queue target from the configured timeout and fraction', () => {
    const options = resolveControllerOptions({
      timeoutMs: 2000,
      queueTargetFraction: 0.2,
      queueLimitFraction: 0.3,
    });
    // Target 400 ms.
    expect(
      step(avoidanceState(), makeWindow({ queueWaitP99Ms: 401 }), options).decision.reason,
    ).toBe('queue-over-target');
    expect(
      step(avoidanceState(), makeWindow({ queueWaitP99Ms: 399 }), options).decision.reason,
    ).toBe('additive-increase');
  });

  it('reports a congestion signal over a queue over target', () => {
    const r = step(
      avoidanceState(),
      makeWindow({ queueWaitP99Ms: 900, congestion: congestionOf('refusedStream') }),
      defaults,
    );
    expect(r.decision.reason).toBe('refused-stream');
    expect(r.decision.rateTps).toBeCloseTo(800, 9);
  });

  it('ignores negative and NaN congestion counts', () => {
    const congestion = { ...zeroCongestion(), timeout: -3, http429: Number.NaN };
    const r = step(avoidanceState(), makeWindow({ congestion }), defaults);
    expect(r.decision.reason).toBe('additive-increase');
  });
});
