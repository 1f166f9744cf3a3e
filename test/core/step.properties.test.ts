import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { CongestionKind } from '../../src/core/congestion.js';
import { congestionKinds, zeroCongestion } from '../../src/core/congestion.js';
import type { ControllerOptions } from '../../src/core/controllerOptions.js';
import type { ControllerState } from '../../src/core/controllerState.js';
import { initialControllerState } from '../../src/core/controllerState.js';
import type { ControlWindow } from '../../src/core/controlWindow.js';
import type { Decision } from '../../src/core/decision.js';
import { decisionReasons } from '../../src/core/decision.js';
import { step } from '../../src/core/step.js';
import {
  garbageWindowArb,
  logUniformArb,
  optionsArb,
  reachedArb,
  reachedWithWindowArb,
  uniformArb,
  windowSequenceArb,
} from './arbitraries.js';

/** The issue asks for at least 1,000 runs per property. */
const runs = { numRuns: 1000 };

/**
 * What is wrong with a step's output, or `undefined` when it is within
 * bounds. A plain check rather than `expect`, which is too slow to call 14
 * times in each of 20,000 steps.
 */
function outOfBounds(
  decision: Decision,
  state: ControllerState,
  o: ControllerOptions,
): string | undefined {
  const rate = decision.rateTps;
  if (!(Number.isFinite(rate) && rate >= o.minRateTps && rate <= o.maxRateTps)) {
    return `rateTps ${rate} outside [${o.minRateTps}, ${o.maxRateTps}]`;
  }
  const c = decision.connections;
  if (!(Number.isInteger(c) && c >= o.minConnections && c <= o.maxConnections)) {
    return `connections ${c} outside [${o.minConnections}, ${o.maxConnections}]`;
  }
  if (state.rateTps !== rate || state.connections !== c) return 'state and decision disagree';
  if (!decisionReasons.includes(decision.reason)) return `unlisted reason ${decision.reason}`;
  // The memory must stay usable too: one NaN here would silently switch rules off for good.
  const memory = {
    baselineServiceMs: state.baselineServiceMs,
    throughputTps: state.throughputTps,
    goodTps: state.goodTps,
    inFlightMean: state.inFlightMean,
    errorBackground: state.errorBackground.fraction,
    trialThroughputTps: state.addTrial?.throughputBeforeTps ?? 0,
    episodeStartTps: state.episode?.startTps ?? 0,
    episodePeakTps: state.episode?.peakTps ?? 0,
    windowsSinceConnectionChange: state.windowsSinceConnectionChange,
    idleWindows: state.idleWindows,
  };
  for (const [name, value] of Object.entries(memory)) {
    if (!Number.isFinite(value)) return `state.${name} is ${value}`;
  }
  if (Number.isNaN(state.serverBoundUntilMs)) return 'state.serverBoundUntilMs is NaN';
  return undefined;
}

/** How a window is made strictly worse while the offered load stays the same. */
interface Worsening {
  readonly congestion: readonly [CongestionKind, number] | null;
  readonly extraQueueWaitMs: number | null;
  readonly extraLatencyMs: number | null;
  readonly completedLostShare: number | null;
}

const worseningArb: fc.Arbitrary<Worsening> = fc
  .record({
    congestion: fc.option(
      fc.tuple(fc.constantFrom(...congestionKinds), fc.integer({ min: 1, max: 20 })),
    ),
    extraQueueWaitMs: fc.option(logUniformArb(0.001, 5000)),
    extraLatencyMs: fc.option(logUniformArb(0.001, 5000)),
    // Losing every completion is its own case: a window with none must not cut more gently.
    completedLostShare: fc.option(fc.oneof(fc.constant(1), uniformArb(0.01, 1))),
  })
  .filter(
    (w) =>
      w.congestion !== null ||
      w.extraQueueWaitMs !== null ||
      w.extraLatencyMs !== null ||
      w.completedLostShare !== null,
  );

function worsen(b: ControlWindow, how: Worsening): ControlWindow {
  let w = b;
  if (how.congestion !== null) {
    const [kind, count] = how.congestion;
    w = { ...w, congestion: { ...w.congestion, [kind]: w.congestion[kind] + count } };
  }
  if (how.extraQueueWaitMs !== null) {
    const d = how.extraQueueWaitMs;
    w = {
      ...w,
      queueWaitP50Ms: w.queueWaitP50Ms + d,
      queueWaitP99Ms: w.queueWaitP99Ms + d,
      queueWaitMaxMs: w.queueWaitMaxMs + d,
    };
  }
  if (how.extraLatencyMs !== null) {
    const d = how.extraLatencyMs;
    w = { ...w, serviceP50Ms: w.serviceP50Ms + d, serviceP99Ms: w.serviceP99Ms + d };
  }
  if (how.completedLostShare !== null) {
    w = { ...w, completed: Math.floor(w.completed * (1 - how.completedLostShare)) };
  }
  return w;
}

describe('step: properties', () => {
  it('keeps rate and connections finite and within [min, max] for any window sequence', () => {
    fc.assert(
      fc.property(optionsArb, windowSequenceArb(40, true), (options, windows) => {
        let state = initialControllerState(options);
        for (const w of windows) {
          const r = step(state, w, options);
          expect(outOfBounds(r.decision, r.state, options)).toBeUndefined();
          state = r.state;
        }
      }),
      runs,
    );
  });

  it('keeps rate and connections within bounds for a garbage window from any reachable state', () => {
    fc.assert(
      fc.property(reachedArb(true), garbageWindowArb, ({ options, state }, w) => {
        const r = step(state, w, options);
        expect(outOfBounds(r.decision, r.state, options)).toBeUndefined();
      }),
      runs,
    );
  });

  it('never gives a strictly worse window a higher rate than the better one', () => {
    fc.assert(
      fc.property(reachedWithWindowArb(), worseningArb, ([{ options, state }, better], how) => {
        const worse = worsen(better, how);
        const rBetter = step(state, better, options).decision.rateTps;
        const rWorse = step(state, worse, options).decision.rateTps;
        expect(rWorse).toBeLessThanOrEqual(rBetter);
      }),
      runs,
    );
  });

  it('lowers the rate on any congestion event, unless it is already at minRateTps', () => {
    fc.assert(
      fc.property(
        reachedWithWindowArb(),
        fc.constantFrom(...congestionKinds),
        fc.integer({ min: 1, max: 1000 }),
        ([{ options, state }, window], kind, count) => {
          const w = {
            ...window,
            congestion: { ...window.congestion, [kind]: count },
          };
          const rate = step(state, w, options).decision.rateTps;
          if (state.rateTps === options.minRateTps) expect(rate).toBe(options.minRateTps);
          else expect(rate).toBeLessThan(state.rateTps);
        },
      ),
      runs,
    );
  });

  it('never tightens the limit on a window without a load signal', () => {
    fc.assert(
      fc.property(reachedWithWindowArb(), ([{ options, state }, window]) => {
        // No congestion, no 503s, no flow-control stall: nothing that load could have caused.
        const w = { ...window, congestion: zeroCongestion(), unavailable: 0, windowStalls: 0 };
        fc.pre(state.pathState !== 'window-bound');
        const d = step(state, w, options).decision;
        if (d.limiting && state.episode !== undefined) {
          expect(d.rateTps).toBeGreaterThanOrEqual(state.rateTps);
        }
        if (state.episode === undefined) expect(d.limiting).toBe(false);
      }),
      runs,
    );
  });

  it('never cuts for 503s at their learned background share', () => {
    fc.assert(
      fc.property(
        reachedWithWindowArb(),
        uniformArb(0, 0.6),
        fc.integer({ min: 1, max: 20_000 }),
        ([{ options }, window], share, completed) => {
          // A background learned to its horizon, then a window at exactly that share.
          const state = {
            ...initialControllerState(options),
            errorBackground: { fraction: share, completions: 2000 },
          };
          const w = {
            ...window,
            congestion: zeroCongestion(),
            windowStalls: 0,
            completed,
            unavailable: Math.round(completed * share),
          };
          expect(step(state, w, options).decision.limiting).toBe(false);
        },
      ),
      runs,
    );
  });
});
