import { describe, expect, it } from '@jest/globals';
import { defaultControllerOptions as defaults } from '../../src/core/controllerOptions.js';
import { step } from '../../src/core/step.js';
import { congestionOf, last, makeState, makeWindow, run } from './fixtures.js';

/** Demand far above any rate reached here, so no window is demand-limited. */
const busy = (endMs: number) => makeWindow({ endMs, offered: 100_000, completed: 100 });

describe('step: slow start', () => {
  it('doubles the rate every window while there is no congestion signal', () => {
    const results = run(makeState(), [busy(100), busy(200), busy(300), busy(400)]);
    expect(results.map((r) => r.decision.rateTps)).toEqual([200, 400, 800, 1600]);
    expect(results.every((r) => r.decision.reason === 'slow-start')).toBe(true);
    expect(last(results).state.phase).toBe('slow-start');
  });

  it('leaves slow start at the first congestion signal and then increases additively', () => {
    const [s1, s2, cut, a1, a2] = run(makeState(), [
      busy(100),
      busy(200),
      { ...busy(300), completed: 1000, congestion: congestionOf('timeout') },
      busy(400),
      busy(500),
    ]);
    expect(s2?.decision.rateTps).toBe(400);
    expect(s1?.state.phase).toBe('slow-start');
    // 400 × 0.8 — completions (10,000 req/s) do not limit the cut.
    expect(cut?.decision.rateTps).toBeCloseTo(320, 9);
    expect(cut?.state.phase).toBe('avoidance');
    // +250 req/s per second of window; each window is 100 ms, so +25.
    expect(a1?.decision.rateTps).toBeCloseTo(345, 9);
    expect(a1?.decision.reason).toBe('additive-increase');
    expect(a2?.decision.rateTps).toBeCloseTo(370, 9);
    expect(a2?.state.phase).toBe('avoidance');
  });

  it('scales the additive step with the window length', () => {
    const state = makeState({ phase: 'avoidance', rateTps: 1000 });
    const r = step(state, makeWindow({ durationMs: 400, offered: 100_000 }), defaults);
    expect(r.decision.rateTps).toBeCloseTo(1000 + 250 * 0.4, 9);
  });

  it('also leaves slow start when the queue wait passes its target', () => {
    const r = step(makeState(), makeWindow({ offered: 100_000, queueWaitP99Ms: 600 }), defaults);
    expect(r.decision.reason).toBe('queue-over-target');
    expect(r.state.phase).toBe('avoidance');
  });

  it('never doubles past maxRateTps', () => {
    const state = makeState({ rateTps: 700_000 });
    const r = step(state, makeWindow({ offered: 1e9 }), defaults);
    expect(r.decision.rateTps).toBe(defaults.maxRateTps);
  });
});
