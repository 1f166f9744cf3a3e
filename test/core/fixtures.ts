import type { CongestionKind } from '../../src/core/congestion.js';
import { zeroCongestion } from '../../src/core/congestion.js';
import type { ControllerOptions } from '../../src/core/controllerOptions.js';
import { defaultControllerOptions } from '../../src/core/controllerOptions.js';
import type { ControllerState } from '../../src/core/controllerState.js';
import { initialControllerState } from '../../src/core/controllerState.js';
import type { ControlWindow } from '../../src/core/controlWindow.js';
import type { StepResult } from '../../src/core/step.js';
import { step } from '../../src/core/step.js';

/**
 * Builders shared by the controller tests. The default window is a healthy
 * 100 ms interval on one connection: 1000 req/s offered and completed, half
 * the 100 slots busy, a 50 ms service p50 and no queue to speak of.
 */

/** A healthy window, with `overrides` applied. */
export function makeWindow(overrides: Partial<ControlWindow> = {}): ControlWindow {
  return {
    endMs: 1000,
    durationMs: 100,
    offered: 100,
    admitted: 100,
    completed: 100,
    rejected: 0,
    queueWaitP50Ms: 1,
    queueWaitP99Ms: 5,
    queueWaitMaxMs: 8,
    serviceP50Ms: 50,
    serviceP99Ms: 80,
    congestion: zeroCongestion(),
    unavailable: 0,
    retryAfterMs: 0,
    slotsInUseMean: 50,
    slotsTotal: 100,
    windowStalls: 0,
    queueLength: 0,
    connections: 1,
    ...overrides,
  };
}

/** Congestion counts with `count` signals of `kind` and none of the others. */
export function congestionOf(kind: CongestionKind, count = 1): ControlWindow['congestion'] {
  return { ...zeroCongestion(), [kind]: count };
}

/** The initial state under `options`, with `overrides` applied. */
export function makeState(
  overrides: Partial<ControllerState> = {},
  options: ControllerOptions = defaultControllerOptions,
): ControllerState {
  return { ...initialControllerState(options), ...overrides };
}

/**
 * A settled, open state: 1000 req/s delivered on one connection (the open
 * ceiling twice that), a 50 ms latency baseline, and the last connection
 * change long enough ago to allow another.
 */
export function avoidanceState(overrides: Partial<ControllerState> = {}): ControllerState {
  return makeState({
    rateTps: 2000,
    baselineServiceMs: 50,
    throughputTps: 1000,
    goodTps: 1000,
    windowsSinceConnectionChange: 100,
    ...overrides,
  });
}

/** Steps through `windows` in order, returning every result. */
export function run(
  state: ControllerState,
  windows: readonly ControlWindow[],
  options: ControllerOptions = defaultControllerOptions,
): StepResult[] {
  const results: StepResult[] = [];
  let s = state;
  for (const w of windows) {
    const r = step(s, w, options);
    results.push(r);
    s = r.state;
  }
  return results;
}

/** The last element of a non-empty array. */
export function last<T>(xs: readonly T[]): T {
  const x = xs[xs.length - 1];
  if (x === undefined) throw new Error('last() of an empty array');
  return x;
}
