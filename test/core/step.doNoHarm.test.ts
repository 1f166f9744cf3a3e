import { describe, expect, it } from '@jest/globals';
import { defaultControllerOptions as defaults } from '../../src/core/controllerOptions.js';
import type { ControllerState } from '../../src/core/controllerState.js';
import type { ControlWindow } from '../../src/core/controlWindow.js';
import { step } from '../../src/core/step.js';
import { avoidanceState, congestionOf, last, makeState, makeWindow, run } from './fixtures.js';

/** `count` healthy 100 ms windows from `fromMs`, each with `overrides`. */
const windows = (fromMs: number, count: number, overrides: Partial<ControlWindow> = {}) =>
  Array.from({ length: count }, (_, i) => makeWindow({ endMs: fromMs + 100 * i, ...overrides }));

describe('step: do no harm', () => {
  it('enforces nothing on a cold start, however fast the load arrives', () => {
    // 20,000 req/s offered into a fresh client: the open ceiling follows what is delivered.
    const results = run(
      makeState(),
      windows(100, 10, { offered: 2000, admitted: 2000, completed: 2000 }),
    );
    expect(results.every((r) => !r.decision.limiting && r.decision.reason === 'open')).toBe(true);
    expect(last(results).decision.rateTps).toBeCloseTo(40_000, 6);
  });

  it('does not cut for a flat share of 503s without retry-after, 5% or 25%', () => {
    for (const share of [0.05, 0.25]) {
      const results = run(makeState(), windows(100, 200, { unavailable: 100 * share }));
      expect(results.some((r) => r.decision.limiting)).toBe(false);
      expect(last(results).state.errorBackground.fraction).toBeCloseTo(share, 9);
    }
  });

  it('cuts when 503s surge above their learned background, and names it', () => {
    const calm = last(run(makeState(), windows(100, 30, { unavailable: 5 }))).state;
    const r = step(calm, makeWindow({ endMs: 3200, unavailable: 40 }), defaults);
    expect(r.decision.reason).toBe('error-surge');
    expect(r.decision.limiting).toBe(true);
  });

  it('regrows to the last good rate within recoveryMs, then lifts the limit', () => {
    const cut = step(
      avoidanceState(),
      makeWindow({ congestion: congestionOf('http429') }),
      defaults,
    );
    expect(cut.decision.rateTps).toBeCloseTo(800, 9);
    // Healthy windows after the cut: 90% of the peak within 210 ms, then the limit lifts.
    const after = run(cut.state, windows(1100, 12));
    expect(after[1]!.decision.rateTps).toBeLessThan(900); // 200 ms after the cut
    expect(after[2]!.decision.rateTps).toBeGreaterThan(900); // 300 ms after
    expect(after[2]!.decision.reason).toBe('regrowth');
    // Regrown 1 s after the cut (index 9), and lifted once the limit in force covers the offered
    // 1,000 req/s (the limit at index 9 had reached 1,000 only then).
    expect(after.findIndex((r) => !r.decision.limiting)).toBe(10);
  });

  it('holds the cut while the server’s retry-after lasts', () => {
    const cut = step(
      avoidanceState(),
      makeWindow({ congestion: congestionOf('http503'), retryAfterMs: 2000 }),
      defaults,
    );
    expect(cut.state.episode?.regrowFromMs).toBe(3000);
    const held = run(cut.state, windows(1100, 19));
    expect(held.every((r) => r.decision.reason === 'hold' && r.decision.rateTps === 800)).toBe(
      true,
    );
    expect(step(last(held).state, makeWindow({ endMs: 3100 }), defaults).decision.reason).toBe(
      'regrowth',
    );
  });

  it('caps a retry-after at maxRetryAfterMs', () => {
    const r = step(
      avoidanceState(),
      makeWindow({ congestion: congestionOf('http429'), retryAfterMs: 3_600_000 }),
      defaults,
    );
    expect(r.state.episode?.regrowFromMs).toBe(1000 + defaults.maxRetryAfterMs);
  });

  it('returns to the good rate from before a collapse, not to the collapsed throughput', () => {
    // 2,000 req/s were good; a ×10 latency spike collapses completions to 400, and a load timeout cuts.
    const good: ControllerState = avoidanceState({
      throughputTps: 2000,
      goodTps: 2000,
      rateTps: 4000,
    });
    const spike = step(
      good,
      makeWindow({ completed: 40, offered: 200, congestion: congestionOf('timeout') }),
      defaults,
    );
    expect(spike.state.episode?.peakTps).toBe(2000);
    // While the episode lasts, the good rate is not relearned from the collapse, and the limit
    // climbs back to it within recoveryMs: it is at 2,000 again 1 s after the cut.
    const during = run(spike.state, windows(1100, 9, { completed: 40, offered: 200 }));
    expect(during.every((r) => r.state.goodTps === 2000 && r.decision.limiting)).toBe(true);
    expect(last(during).decision.rateTps).toBeGreaterThan(1990);
  });

  it('keeps probing a limit that still binds, by the additive step', () => {
    const cut = step(
      avoidanceState(),
      makeWindow({ congestion: congestionOf('http429') }),
      defaults,
    );
    // Callers offer 3,000 req/s: the limit (peak 1,000) binds, so it probes on past the peak.
    const after = run(cut.state, windows(1100, 20, { offered: 300 }));
    expect(after.every((r) => r.decision.limiting)).toBe(true);
    expect(last(after).decision.rateTps).toBeCloseTo(1000 + 250 * 1.0, 6);
  });
});
