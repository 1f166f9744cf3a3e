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

/** Valid controller options: the defaults, or a random consistent variation of the main knobs. */
export const optionsArb: fc.Arbitrary<ControllerOptions> = fc.oneof(
  fc.constant(defaultControllerOptions),
  fc
    .record({
      minRateTps: fc.double({ min: 0.01, max: 1000, noNaN: true }),
      rateSpan: fc.double({ min: 1, max: 1e5, noNaN: true }),
      initialAt: fc.double({ min: 0, max: 1, noNaN: true }),
      minConnections: fc.integer({ min: 1, max: 4 }),
      extraConnections: fc.integer({ min: 0, max: 12 }),
      decreaseFactor: fc.double({ min: 0.05, max: 0.99, noNaN: true }),
      demandLimitedFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      timeoutMs: fc.integer({ min: 50, max: 60_000 }),
      additiveIncreaseTpsPerS: fc.double({ min: 0.1, max: 10_000, noNaN: true }),
      connectionEvalWindows: fc.integer({ min: 1, max: 10 }),
      drainAfterWindows: fc.integer({ min: 1, max: 60 }),
    })
    .map((r) => {
      const maxRateTps = r.minRateTps * r.rateSpan;
      const maxConnections = r.minConnections + r.extraConnections;
      return resolveControllerOptions({
        minRateTps: r.minRateTps,
        maxRateTps,
        initialRateTps: r.minRateTps + (maxRateTps - r.minRateTps) * r.initialAt,
        minConnections: r.minConnections,
        maxConnections,
        initialConnections: r.minConnections,
        decreaseFactor: r.decreaseFactor,
        demandLimitedFraction: r.demandLimitedFraction,
        timeoutMs: r.timeoutMs,
        additiveIncreaseTpsPerS: r.additiveIncreaseTpsPerS,
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

/** A plausible window ending at `endMs`: counts, latencies and slots consistent with each other. */
export function realisticWindowArb(endMs: number): fc.Arbitrary<ControlWindow> {
  return fc
    .record({
      durationMs: fc.integer({ min: 100, max: 2000 }),
      offeredTps: fc.double({ min: 0, max: 50_000, noNaN: true }),
      admittedShare: fc.double({ min: 0, max: 1, noNaN: true }),
      completedShare: fc.double({ min: 0, max: 1.2, noNaN: true }),
      queueWaitP50Ms: fc.double({ min: 0, max: 2000, noNaN: true }),
      queueWaitSpreadMs: fc.double({ min: 0, max: 5000, noNaN: true }),
      serviceP50Ms: fc.double({ min: 0, max: 2000, noNaN: true }),
      serviceSpreadMs: fc.double({ min: 0, max: 5000, noNaN: true }),
      congestion: congestionArb,
      connections: fc.integer({ min: 0, max: 16 }),
      slotsPerConnection: fc.constantFrom(1, 10, 100, 128, 1000),
      utilization: fc.double({ min: 0, max: 1, noNaN: true }),
      windowStalls: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
      queueLength: fc.integer({ min: 0, max: 10_000 }),
    })
    .map((r) => {
      const offered = Math.round((r.offeredTps * r.durationMs) / 1000);
      const admitted = Math.round(offered * r.admittedShare);
      const slotsTotal = r.connections * r.slotsPerConnection;
      return {
        endMs,
        durationMs: r.durationMs,
        offered,
        admitted,
        completed: Math.round(admitted * r.completedShare),
        rejected: offered - admitted,
        queueWaitP50Ms: r.queueWaitP50Ms,
        queueWaitP99Ms: r.queueWaitP50Ms + r.queueWaitSpreadMs,
        queueWaitMaxMs: r.queueWaitP50Ms + r.queueWaitSpreadMs * 1.5,
        serviceP50Ms: r.serviceP50Ms,
        serviceP99Ms: r.serviceP50Ms + r.serviceSpreadMs,
        congestion: r.congestion,
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
    cancel: garbageNumberArb,
    refusedStream: garbageNumberArb,
    enhanceYourCalm: garbageNumberArb,
    goawayError: garbageNumberArb,
    http429: garbageNumberArb,
    http503: garbageNumberArb,
    connectionError: garbageNumberArb,
  }),
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
