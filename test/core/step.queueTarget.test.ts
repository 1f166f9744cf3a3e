import { describe, expect, it } from '@jest/globals';
import {
  defaultControllerOptions as defaults,
  resolveControllerOptions,
} from '../../src/core/controllerOptions.js';
import { step } from '../../src/core/step.js';
import { avoidanceState, makeState, makeWindow } from './fixtures.js';

// Default queue target: queueTargetFraction × timeoutMs = 0.1 × 5000 ms = 500 ms;
// a queue is "building" above 0.25 × 500 = 125 ms.

describe('step: queue-wait target', () => {
  it('cuts by queueDecreaseFactor when queue-wait p99 exceeds the target', () => {
    const r = step(avoidanceState(), makeWindow({ queueWaitP99Ms: 501 }), defaults);
    expect(r.decision.rateTps).toBeCloseTo(0.9 * 1000, 9);
    expect(r.decision.reason).toBe('queue-over-target');
    expect(r.state.phase).toBe('avoidance');
  });

  it('does not cut at exactly the target', () => {
    const r = step(avoidanceState(), makeWindow({ queueWaitP99Ms: 500 }), defaults);
    expect(r.decision.reason).not.toBe('queue-over-target');
    expect(r.decision.rateTps).toBe(1000);
  });

  it('derives the target from the configured timeout and fraction', () => {
    const options = resolveControllerOptions({
      timeoutMs: 2000,
      queueTargetFraction: 0.2,
      queueLimitFraction: 0.3,
    });
    // Target 400 ms.
    const at = (queueWaitP99Ms: number) =>
      step(avoidanceState(), makeWindow({ queueWaitP99Ms }), options).decision.reason;
    expect(at(401)).toBe('queue-over-target');
    expect(at(399)).not.toBe('queue-over-target');
  });

  it('uses the configured queueDecreaseFactor', () => {
    const options = resolveControllerOptions({ queueDecreaseFactor: 0.5 });
    const r = step(avoidanceState(), makeWindow({ queueWaitP99Ms: 800 }), options);
    expect(r.decision.rateTps).toBeCloseTo(500, 9);
  });

  it('cuts at most once per queue-wait p99, while requests queued before the cut drain', () => {
    const first = step(
      avoidanceState(),
      makeWindow({ endMs: 1000, queueWaitP99Ms: 800, queueLength: 50 }),
      defaults,
    );
    expect(first.decision.reason).toBe('queue-over-target');
    expect(first.state.decreaseHoldUntilMs).toBe(1800);
    const during = step(
      first.state,
      makeWindow({ endMs: 1700, queueWaitP99Ms: 800, queueLength: 60 }),
      defaults,
    );
    expect(during.decision.reason).toBe('hold');
    expect(during.decision.rateTps).toBe(first.decision.rateTps);
    const after = step(
      during.state,
      makeWindow({ endMs: 1800, queueWaitP99Ms: 800, queueLength: 60 }),
      defaults,
    );
    expect(after.decision.reason).toBe('queue-over-target');
  });

  it('does not cut again while the queue is already shrinking', () => {
    const state = avoidanceState({ queueLength: 80 });
    const r = step(state, makeWindow({ queueWaitP99Ms: 800, queueLength: 40 }), defaults);
    expect(r.decision.reason).toBe('hold');
    expect(r.decision.rateTps).toBe(1000);
  });

  it('holds the rate while a queue is building below the target', () => {
    const r = step(avoidanceState(), makeWindow({ queueWaitP99Ms: 200 }), defaults);
    expect(r.decision.reason).toBe('hold');
    expect(r.decision.rateTps).toBe(1000);
  });

  it('ends slow start when a queue starts to build, before it reaches its target', () => {
    // The queue behind the slots says the rate already meets capacity: hold, then probe additively.
    const building = makeWindow({ endMs: 1000, offered: 100_000, queueWaitP99Ms: 200 });
    const r = step(makeState({ rateTps: 1600 }), building, defaults);
    expect(r.decision.reason).toBe('hold');
    expect(r.decision.rateTps).toBe(1600);
    expect(r.state.phase).toBe('avoidance');
    const next = step(r.state, makeWindow({ endMs: 1100, offered: 100_000 }), defaults);
    expect(next.decision.reason).toBe('additive-increase');
    expect(next.decision.rateTps).toBeCloseTo(1625, 9);
  });
});
