import { type CongestionKind, congestionKinds } from '../core/congestion.js';
import type { ControllerOptions } from '../core/controllerOptions.js';
import type { ControlWindow } from '../core/controlWindow.js';

/** What one control window says about the path, in the controller's own terms. */
export interface WindowSignals {
  /** Completed requests per second over the window. */
  readonly completedTps: number;
  /** Mean streams in flight ÷ stream slots (0 without slots). */
  readonly utilization: number;
  /** Utilization at or above the controller's `highUtilizationFraction`. */
  readonly slotsFull: boolean;
  /** Queue-wait p99 above the controller's "building" mark (`queueBuildingFraction` × the queue target). */
  readonly queueBuilding: boolean;
  /** Some send stalled on a flow-control window. */
  readonly windowStalled: boolean;
  /** Service p50 above `baselineServiceMs × (1 + latencyToleranceFraction)`. */
  readonly latencyRising: boolean;
  /** The first congestion kind present (most specific first), if any. */
  readonly congestion: CongestionKind | undefined;
  /** Congestion signals of every kind in the window. */
  readonly congestionCount: number;
  /**
   * The path is at its knee: a queue builds behind full slots or stalled
   * windows (the client cannot send faster), or service latency rose (the
   * server queues). Either way more rate raises waiting, not throughput.
   */
  readonly saturated: boolean;
  /** Which bound the saturation points at (undefined when not saturated). */
  readonly bound: 'stream' | 'window' | 'server' | undefined;
}

/**
 * Reads a window with the thresholds the client's controller uses
 * (docs/controller.md, "Derived quantities"), so the tuner's knee is the
 * point where the controller itself would stop raising the rate. Pure.
 *
 * `baselineServiceMs` is the lowest service p50 seen so far on this path
 * (0 when none yet): the unloaded latency that a rise is measured against.
 */
export function windowSignals(
  window: ControlWindow,
  baselineServiceMs: number,
  options: Pick<
    ControllerOptions,
    | 'timeoutMs'
    | 'queueTargetFraction'
    | 'queueBuildingFraction'
    | 'highUtilizationFraction'
    | 'latencyToleranceFraction'
  >,
): WindowSignals {
  const durationS = Math.max(window.durationMs, 1) / 1000;
  const completedTps = window.completed / durationS;
  const utilization =
    window.slotsTotal > 0 ? Math.min(1, window.slotsInUseMean / window.slotsTotal) : 0;
  const slotsFull = utilization >= options.highUtilizationFraction;
  const queueTargetMs = options.queueTargetFraction * options.timeoutMs;
  const queueBuilding = window.queueWaitP99Ms > queueTargetMs * options.queueBuildingFraction;
  const windowStalled = window.windowStalls > 0;
  const latencyRising =
    window.completed > 0 &&
    baselineServiceMs > 0 &&
    window.serviceP50Ms > baselineServiceMs * (1 + options.latencyToleranceFraction);
  let congestionCount = 0;
  let congestion: CongestionKind | undefined;
  for (const kind of congestionKinds) {
    const n = window.congestion[kind];
    if (n > 0) {
      congestionCount += n;
      congestion ??= kind;
    }
  }
  const pathFull = queueBuilding && (slotsFull || windowStalled);
  // A rising latency means the server queues, whether or not the slots also filled behind it.
  const bound = latencyRising
    ? 'server'
    : pathFull
      ? windowStalled && !slotsFull
        ? 'window'
        : 'stream'
      : undefined;
  return {
    completedTps,
    utilization,
    slotsFull,
    queueBuilding,
    windowStalled,
    latencyRising,
    congestion,
    congestionCount,
    saturated: bound !== undefined,
    bound,
  };
}
