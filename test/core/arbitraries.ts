import fc from 'fast-check';
import type { CongestionCounts } from '../../src/core/congestion.js';
import { congestionKinds, zeroCongestion } from '../../src/core/congestion.js';
import type { ControllerOptions } from '../../src/core/controllerOptions.js';
import {
  defaultControllerOptions,
  resolveControllerOptions,
} from '../../src/core/controllerOptions.js';
import type { ControllerState } from '../../src/core/controllerState.js';
import { initialControllerState } from '../../src/core/controllerState.js';
import type { ControlWindow } from '../../src/core/controlWindow.js';
import { step } from '../../src/core/step.js';

/**
 * fast-check arbitraries for the controller's property tests: valid options,
 * realistic and garbage control windows, and controller states reachable by
 * folding `step` over a random sequence of windows.
 */

/**
 * A number spread evenly over [min, max]. fast-check's `fc.double` spreads
 * over the bit patterns instead, so most draws are tiny or subnormal: a
 * "realistic" window built from it would offer 1e-300 req/s.
 */
export function uniformArb(min: number, max: number): fc.Arbitrary<number> {
  const steps = 1_000_000;
  return fc.integer({ min: 0, max: steps }).map((i) => min + ((max - min) * i) / steps);
}

/** A positive number spread evenly over the orders of magnitude of [min, max]. */
export function logUniformArb(min: number, max: number): fc.Arbitrary<number> {
  const lo = Math.log(min);
  const hi = Math.log(max);
  return uniformArb(lo, hi).map((x) => Math.min(max, Math.max(min, Math.exp(x))));
}

/** Valid controller options: the defaults, or a random consistent variation of the main knobs. */
export const optionsArb: fc.Arbitrary<ControllerOptions> = fc.oneof(
  fc.constant(defaultControllerOptions),
  fc
    .record({
      minRateTps: logUniformArb(0.01, 1000),
      rateSpan: logUniformArb(1, 1e5),
      initialAt: uniformArb(0, 1),
      minConnections: fc.integer({ min: 1, max: 4 }),
      extraConnections: fc.integer({ min: 0, max: 12 }),
      decreaseFactor: uniformArb(0.05, 0.99),
      timeoutMs: fc.integer({ min: 50, max: 60_000 }),
      recoveryMs: logUniformArb(10, 60_000),
      connectionEvalWindows: fc.integer({ min: 1, max: 10 }),
      drainAfterWindows: fc.integer({ min: 1, max: 60 }),
    })
    .map((r) => {
      const maxRateTps = r.minRateTps * r.rateSpan;
      const maxConnections = r.minConnections + r.extraConnections;
      return resolveControllerOptions({
        minRateTps: r.minRateTps,
        maxRateTps,
        initialRateTps: Math.min(
          maxRateTps,
          r.minRateTps + (maxRateTps - r.minRateTps) * r.initialAt,
        ),
        minConnections: r.minConnections,
        maxConnections,
        initialConnections: r.minConnections,
        decreaseFactor: r.decreaseFactor,
        timeoutMs: r.timeoutMs,
        recoveryMs: r.recoveryMs,
        connectionEvalWindows: r.connectionEvalWindows,
        drainAfterWindows: r.drainAfterWindows,
      });
    }),
);

/** Mostly no congestion; sometimes a few signals of one or more kinds. */
export const congestionArb: fc.Arbitrary<CongestionCounts> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(zeroCongestion()) },
  {
    weight: 1,
    arbitrary: fc
      .dictionary(fc.constantFrom(...congestionKinds), fc.integer({ min: 1, max: 50 }), {
        minKeys: 1,
      })
      .map((d) => ({ ...zeroCongestion(), ...d })),
  },
);

/**
 * A plausible window ending at `endMs`: counts, latencies and slots
 * consistent with each other, with up to `maxOfferedTps` offered.
 */
export function realisticWindowArb(
  endMs: number,
  maxOfferedTps = 50_000,
): fc.Arbitrary<ControlWindow> {
  return fc
    .record({
      durationMs: fc.integer({ min: 100, max: 2000 }),
      offeredTps: fc.oneof(uniformArb(0, maxOfferedTps), logUniformArb(0.01, maxOfferedTps)),
      admittedShare: uniformArb(0, 1),
      completedShare: fc.oneof(fc.constant(1), uniformArb(0, 1.2)),
      queueWaitP50Ms: fc.oneof(fc.constant(0), logUniformArb(0.01, 3000)),
      queueWaitSpreadMs: logUniformArb(0.01, 5000),
      serviceP50Ms: fc.oneof(fc.constant(0), logUniformArb(0.1, 3000)),
      serviceSpreadMs: logUniformArb(0.01, 5000),
      congestion: congestionArb,
      connections: fc.integer({ min: 0, max: 16 }),
      slotsPerConnection: fc.constantFrom(1, 10, 100, 128, 1000),
      utilization: uniformArb(0, 1),
      windowStalls: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
      unavailableShare: fc.oneof(fc.constant(0), uniformArb(0, 1)),
      retryAfterMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120_000 })),
      queueLength: fc.integer({ min: 0, max: 10_000 }),
    })
    .map((r) => {
      const offered = Math.round((r.offeredTps * r.durationMs) / 1000);
      const admitted = Math.round(offered * r.admittedShare);
      const slotsTotal = r.connections * r.slotsPerConnection;
      const completed = Math.round(admitted * r.completedShare);
      return {
        endMs,
        durationMs: r.durationMs,
        offered,
        admitted,
        completed,
        rejected: offered - admitted,
        queueWaitP50Ms: r.queueWaitP50Ms,
        queueWaitP99Ms: r.queueWaitP50Ms + r.queueWaitSpreadMs,
        queueWaitMaxMs: r.queueWaitP50Ms + r.queueWaitSpreadMs * 1.5,
        serviceP50Ms: r.serviceP50Ms,
        serviceP99Ms: r.serviceP50Ms + r.serviceSpreadMs,
        congestion: r.congestion,
        unavailable: Math.round(completed * r.unavailableShare),
        retryAfterMs: r.retryAfterMs,
        slotsInUseMean: slotsTotal * r.utilization,
        slotsTotal,
        windowStalls: r.windowStalls,
        queueLength: r.queueLength,
        connections: r.connections,
      };
    });
}

/** Any number at all, weighted towards the values that break arithmetic. */
export const garbageNumberArb: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    -0,
    -1,
    1e300,
  ),
  fc.integer({ min: -1e9, max: 1e12 }),
);

/** A window whose every field may be NaN, infinite, negative or huge. */
export const garbageWindowArb: fc.Arbitrary<ControlWindow> = fc.record({
  endMs: garbageNumberArb,
  durationMs: garbageNumberArb,
  offered: garbageNumberArb,
  admitted: garbageNumberArb,
  completed: garbageNumberArb,
  rejected: garbageNumberArb,
  queueWaitP50Ms: garbageNumberArb,
  queueWaitP99Ms: garbageNumberArb,
  queueWaitMaxMs: garbageNumberArb,
  serviceP50Ms: garbageNumberArb,
  serviceP99Ms: garbageNumberArb,
  congestion: fc.record({
    timeout: garbageNumberArb,
    refusedStream: garbageNumberArb,
    enhanceYourCalm: garbageNumberArb,
    goawayError: garbageNumberArb,
    http429: garbageNumberArb,
    http503: garbageNumberArb,
  }),
  unavailable: garbageNumberArb,
  retryAfterMs: garbageNumberArb,
  slotsInUseMean: garbageNumberArb,
  slotsTotal: garbageNumberArb,
  windowStalls: garbageNumberArb,
  queueLength: garbageNumberArb,
  connections: garbageNumberArb,
});

/**
 * A sequence of windows a controller might see: realistic ones with
 * increasing end times, mixed (when `garbage`) with windows of nonsense.
 */
export function windowSequenceArb(
  maxLength: number,
  garbage: boolean,
): fc.Arbitrary<ControlWindow[]> {
  const entry = garbage
    ? fc.oneof(
        { weight: 4, arbitrary: realisticWindowArb(0) },
        { weight: 1, arbitrary: garbageWindowArb },
      )
    : realisticWindowArb(0);
  return fc.array(entry, { maxLength }).map((ws) => {
    let endMs = 0;
    return ws.map((w) => {
      // Realistic windows tile the clock; garbage windows keep their own end time.
      if (Number.isFinite(w.durationMs) && w.durationMs >= 100 && w.endMs === 0) {
        endMs += w.durationMs;
        return { ...w, endMs };
      }
      return w;
    });
  });
}

/** A controller state reached by stepping from the initial state, with the options and clock that reached it. */
export interface Reached {
  readonly options: ControllerOptions;
  readonly state: ControllerState;
  /** The end time of the last realistic window, ms. */
  readonly nowMs: number;
}

/** Folds `step` over `windows` from the initial state under `options`. */
export function reach(options: ControllerOptions, windows: readonly ControlWindow[]): Reached {
  let state = initialControllerState(options);
  let nowMs = 0;
  for (const w of windows) {
    state = step(state, w, options).state;
    if (Number.isFinite(w.endMs)) nowMs = Math.max(nowMs, w.endMs);
  }
  return { options, state, nowMs };
}

/** States reachable by stepping over realistic (and, when `garbage`, nonsense) windows. */
export function reachedArb(garbage = false, maxLength = 40): fc.Arbitrary<Reached> {
  return fc
    .tuple(optionsArb, windowSequenceArb(maxLength, garbage))
    .map(([options, windows]) => reach(options, windows));
}

/**
 * A reachable state and a realistic window that follows it. Half the windows
 * offer load on the scale of the state's rate (up to 3×), where the rate
 * rules' thresholds lie; a window drawn on a fixed scale would almost never
 * put completions just below the rate.
 */
export function reachedWithWindowArb(): fc.Arbitrary<[Reached, ControlWindow]> {
  return reachedArb().chain((reached) => {
    const nearRate = realisticWindowArb(0, Math.max(1, reached.state.rateTps * 3));
    const window = fc.oneof(nearRate, realisticWindowArb(0));
    return fc.tuple(
      fc.constant(reached),
      window.map((w) => ({ ...w, endMs: reached.nowMs + w.durationMs })),
    );
  });
}
