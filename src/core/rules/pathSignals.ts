import type { ControllerOptions } from '../controllerOptions.js';
import type { ControllerState } from '../controllerState.js';
import type { ControlWindow } from '../controlWindow.js';

/** Weight of the newest window in the throughput and in-flight EWMAs. */
const smoothing = 0.3;

/** One EWMA step (weight {@link smoothing}); a first sample (previous 0) is taken as it is. */
export const smoothed = (previous: number, sample: number): number =>
  previous === 0 ? sample : previous + (sample - previous) * smoothing;
/** Completions may trail offers by this fraction (responses still in flight) and demand still counts as served. */
const servedSlackFraction = 0.1;

/** Counts and latencies from the outside world may be NaN or negative; the controller reads them as 0. */
export const sane = (x: number): number => (Number.isFinite(x) && x > 0 ? x : 0);

/** Clamps `x` to [lo, hi]. */
export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * What one window says about the path, derived once and read by every rule.
 * docs/controller.md ("Derived quantities") gives each formula.
 */
export interface PathSignals {
  readonly endMs: number;
  readonly durationS: number;
  readonly completed: number;
  readonly completedTps: number;
  readonly offeredTps: number;
  readonly queueWaitP99Ms: number;
  readonly serviceP50Ms: number;
  readonly slotsTotal: number;
  readonly readySessions: number;
  readonly queueTargetMs: number;
  /** A request or response waited for flow-control credit. */
  readonly windowStalled: boolean;
  /** Latency above the baseline that streams spent waiting on flow-control windows, ms. */
  readonly windowWaitMs: number;
  /** The client's or the windows' queue is building (past `queueBuildingFraction` of the target). */
  readonly queueBuilding: boolean;
  /** Mean streams in flight ÷ slots, 0..1. */
  readonly utilization: number;
  readonly slotsFull: boolean;
  /** Slots or windows full and a queue building: the client's side of the path is the bottleneck. */
  readonly pathFull: boolean;
  /** The path carried what callers offered: nothing shed, no queue, completions keep up. */
  readonly demandServed: boolean;
  /** Service p50 above the baseline by more than `latencyToleranceFraction`. */
  readonly latencyRising: boolean;
  readonly inFlightMean: number;
  /** The new state's smoothed values. */
  readonly baselineServiceMs: number;
  readonly throughputTps: number;
  readonly smoothedInFlight: number;
  /** What the path delivered: this window's completions, never below their smoothed history, req/s. */
  readonly deliveredTps: number;
}

/** Derives the {@link PathSignals} of `window` against the controller's memory. Pure. */
export function pathSignals(
  state: ControllerState,
  window: ControlWindow,
  o: ControllerOptions,
): PathSignals {
  const durationS = Math.max(sane(window.durationMs), 1) / 1000;
  const completed = sane(window.completed);
  // Capped so that a huge count over a 1 ms window cannot become Infinity: an
  // infinite throughput turns the EWMA into NaN (∞ − ∞) for every later window.
  const completedTps = Math.min(completed / durationS, Number.MAX_VALUE);
  const offeredTps = Math.min(sane(window.offered) / durationS, Number.MAX_VALUE);
  const queueWaitP99Ms = sane(window.queueWaitP99Ms);
  const serviceP50Ms = sane(window.serviceP50Ms);
  const slotsTotal = sane(window.slotsTotal);
  const inFlightMean = sane(window.slotsInUseMean);
  const queueTargetMs = o.queueTargetFraction * o.timeoutMs;
  const buildingMs = queueTargetMs * o.queueBuildingFraction;
  const windowStalled = sane(window.windowStalls) > 0;
  // A window-bound path queues inside the connection: a stream waiting for flow-control credit is
  // already in flight, so its wait shows as service latency above the unloaded baseline, never as
  // queue wait (flow-control.json: 100 responses sharing one 64 KiB window took 3.7 s each while
  // the client's queue was empty). Little's law gives the latency of the streams in flight now (mean
  // in flight ÷ completions), a window before their completions report it; a window with none is
  // read as if it had one, the smallest count consistent with it.
  const inFlightLatencyMs = (inFlightMean * durationS * 1000) / Math.max(completed, 1);
  const windowWaitMs =
    windowStalled && state.baselineServiceMs > 0
      ? Math.max(0, Math.max(serviceP50Ms, inFlightLatencyMs) - state.baselineServiceMs)
      : 0;
  const queueBuilding = Math.max(queueWaitP99Ms, windowWaitMs) > buildingMs;
  const utilization = slotsTotal > 0 ? Math.min(1, inFlightMean / slotsTotal) : 0;
  const slotsFull = utilization >= o.highUtilizationFraction;
  const hasLatency = completed > 0 && serviceP50Ms > 0;
  const base = state.baselineServiceMs;
  const baselineServiceMs = !hasLatency
    ? base
    : base === 0 || serviceP50Ms < base
      ? serviceP50Ms
      : windowWaitMs > buildingMs
        ? base // the window queue builds: these latencies say nothing about the unloaded one
        : base + (serviceP50Ms - base) * o.baselineRiseFraction;
  const throughputTps = smoothed(state.throughputTps, completedTps);
  return {
    endMs: Number.isFinite(window.endMs) ? window.endMs : 0,
    durationS,
    completed,
    completedTps,
    offeredTps,
    queueWaitP99Ms,
    serviceP50Ms,
    slotsTotal,
    readySessions: sane(window.connections),
    queueTargetMs,
    windowStalled,
    windowWaitMs,
    queueBuilding,
    utilization,
    slotsFull,
    pathFull: queueBuilding && (slotsFull || windowStalled),
    demandServed:
      sane(window.rejected) === 0 &&
      !queueBuilding &&
      sane(window.connections) > 0 &&
      completedTps >= offeredTps * (1 - servedSlackFraction),
    latencyRising: hasLatency && base > 0 && serviceP50Ms > base * (1 + o.latencyToleranceFraction),
    inFlightMean,
    baselineServiceMs,
    throughputTps,
    smoothedInFlight: smoothed(state.inFlightMean, inFlightMean),
    // Cutting from the raw count made the cut jump (1 completion cut to β × 1 req/s), so a worse
    // window earned a higher rate; never below the smoothed history (found by fast-check). Before
    // any history nothing has been delivered to go by, and the rate itself is the basis.
    deliveredTps: state.throughputTps > 0 ? Math.max(completedTps, throughputTps) : state.rateTps,
  };
}
