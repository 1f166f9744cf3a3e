import type { ControllerOptions } from './controllerOptions.js';
import type { PathState } from './decision.js';

/**
 * A congestion episode: it exists exactly while the token bucket enforces a
 * rate. It starts at a congestion signal, and ends when the rate has regrown
 * to `peakTps` with no new signal (see `rules/rateRule.ts`).
 */
export interface CongestionEpisode {
  /** The rate the last cut set, req/s: where the regrowth curve starts. */
  readonly startTps: number;
  /** Where the regrowth curve ends, req/s: the larger of the last cut's basis and the last good rate. */
  readonly peakTps: number;
  /** When the regrowth starts, ms: the last cut, or later if the server sent `retry-after`. */
  readonly regrowFromMs: number;
}

/**
 * An added connection on trial: it exists only while the add is being judged
 * (see `rules/judgeAdd.ts`).
 */
export interface AddTrial {
  /** Completed throughput just before the add, req/s: the bar the add must beat. */
  readonly throughputBeforeTps: number;
  /** Service p50 just before the add, ms: a gain bought with a slower server is no gain. */
  readonly serviceBeforeMs: number;
  /** The connection target before the add (restored if the add does not pay). */
  readonly connectionsBefore: number;
  /** Windows in which the added sessions were up and the rate in force could carry the gain. */
  readonly windows: number;
  /** Completions in those windows. */
  readonly completed: number;
  /** Total length of those windows, ms. */
  readonly ms: number;
}

/** What the controller has learned about 503s that come whatever the load (see `rules/errorSurge.ts`). */
export interface ErrorBackground {
  /** The background share of 503s without `retry-after` among completions (0..1). */
  readonly fraction: number;
  /** Completions the share was learned from, capped at the learning horizon. */
  readonly completions: number;
}

/** The controller's memory between windows. Immutable: `step` returns a new one. */
export interface ControllerState {
  /** The rate limit, req/s: enforced during an `episode`, otherwise the open ceiling (2 × delivered). */
  readonly rateTps: number;
  /** Current target connection count. */
  readonly connections: number;
  /** What limits the path. */
  readonly pathState: PathState;
  /** Service-latency baseline (a slow-rising minimum of window p50s), ms; 0 before the first sample. */
  readonly baselineServiceMs: number;
  /** Smoothed completed throughput (EWMA over windows), req/s. */
  readonly throughputTps: number;
  /** Smoothed completed throughput over open windows (no episode): the last good rate, req/s. */
  readonly goodTps: number;
  /** Smoothed mean streams in flight (EWMA over windows, same weight as `throughputTps`). */
  readonly inFlightMean: number;
  /** Windows since the connection target last changed. */
  readonly windowsSinceConnectionChange: number;
  /** Consecutive windows with low slot utilization. */
  readonly idleWindows: number;
  /** The congestion episode in progress; `undefined` while the rate is not enforced. */
  readonly episode: CongestionEpisode | undefined;
  /** The added connection being judged; `undefined` when no add is on trial. */
  readonly addTrial: AddTrial | undefined;
  /** Until when (ms) a flow-control window queue may not cut the rate again (once per queue wait). */
  readonly decreaseHoldUntilMs: number;
  /** Until when (ms) a `server-bound` verdict blocks connection probing. */
  readonly serverBoundUntilMs: number;
  /** The background share of 503s. */
  readonly errorBackground: ErrorBackground;
}

/** The state a controller starts from: no limit enforced, nothing learned. */
export function initialControllerState(options: ControllerOptions): ControllerState {
  return {
    rateTps: options.initialRateTps,
    connections: options.initialConnections,
    pathState: 'unknown',
    baselineServiceMs: 0,
    throughputTps: 0,
    goodTps: 0,
    inFlightMean: 0,
    windowsSinceConnectionChange: 0,
    idleWindows: 0,
    episode: undefined,
    addTrial: undefined,
    decreaseHoldUntilMs: -Infinity,
    serverBoundUntilMs: -Infinity,
    errorBackground: { fraction: 0, completions: 0 },
  };
}
