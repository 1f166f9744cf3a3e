import type { ControllerOptions } from './controllerOptions.js';
import type { PathState } from './decision.js';

/** The controller's memory between windows. Immutable: `step` returns a new one. */
export interface ControllerState {
  /** Current target rate, requests per second. */
  readonly rateTps: number;
  /** Current target connection count. */
  readonly connections: number;
  /** `slow-start` doubles the rate per window until the first congestion signal; then `avoidance` (AIMD). */
  readonly phase: 'slow-start' | 'avoidance';
  /** What limits the path. */
  readonly pathState: PathState;
  /** Service-latency baseline (a slow-rising minimum of window p50s), ms; 0 before the first sample. */
  readonly baselineServiceMs: number;
  /** Windows since the connection target last changed. */
  readonly windowsSinceConnectionChange: number;
  /** Completed throughput just before the last added connection, req/s; 0 when no add is being judged. */
  readonly throughputBeforeAddTps: number;
  /**
   * Windows of the add being judged in which its sessions were up and the rate in force could carry
   * the gain the add must show; the verdict waits for `connectionEvalWindows` of them.
   */
  readonly experimentWindows: number;
  /** Completions in those windows. */
  readonly experimentCompleted: number;
  /** Total length of those windows, ms. */
  readonly experimentMs: number;
  /** The connection target before the add being judged (undone if the add does not pay). */
  readonly connectionsBeforeAdd: number;
  /** Smoothed completed throughput (EWMA over windows), req/s. */
  readonly throughputTps: number;
  /** Smoothed mean streams in flight (EWMA over windows, same weight as `throughputTps`). */
  readonly inFlightMean: number;
  /** Consecutive windows with low slot utilization. */
  readonly idleWindows: number;
  /**
   * Until when (ms) queue-over-target may not cut again. Requests queued
   * before a cut keep reporting long waits while the queue drains, so the
   * next cut waits one queue-wait p99 (as TCP cuts once per round trip).
   */
  readonly decreaseHoldUntilMs: number;
  /** Queue length at the end of the previous window (its trend tells whether the rate exceeds capacity). */
  readonly queueLength: number;
  /** Until when (ms) a `server-bound` verdict blocks connection probing. */
  readonly serverBoundUntilMs: number;
}

/** The state a controller starts from. */
export function initialControllerState(options: ControllerOptions): ControllerState {
  return {
    rateTps: options.initialRateTps,
    connections: options.initialConnections,
    phase: 'slow-start',
    pathState: 'unknown',
    baselineServiceMs: 0,
    windowsSinceConnectionChange: 0,
    throughputBeforeAddTps: 0,
    experimentWindows: 0,
    experimentCompleted: 0,
    experimentMs: 0,
    connectionsBeforeAdd: options.initialConnections,
    throughputTps: 0,
    inFlightMean: 0,
    idleWindows: 0,
    decreaseHoldUntilMs: -Infinity,
    queueLength: 0,
    serverBoundUntilMs: -Infinity,
  };
}
