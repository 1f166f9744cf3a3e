import type { ControllerOptions } from '../controllerOptions.js';
import type { ControllerState } from '../controllerState.js';
import type { PathSignals } from './pathSignals.js';

/** Concurrency counts as rising when mean streams in flight exceed their smoothed value by this fraction. */
const concurrencyRiseFraction = 0.2;
/** Throughput within this fraction below its smoothed value still counts as flat. */
const flatThroughputFraction = 0.1;

/**
 * Rule 2: is the server saturating? More streams in flight bought the same
 * throughput at a higher latency: Little's law with a capped service rate.
 * In a latency spike throughput falls instead (the slots cap concurrency),
 * a rise with flow-control stalls is streams sharing a window, and a path
 * that carries all that is offered is limited by nobody but its callers
 * (at 50 req/s, p50 noise once read as saturation). None of those is a
 * saturating server, and more connections help the first two.
 */
export function isServerSaturating(
  state: ControllerState,
  s: PathSignals,
  o: ControllerOptions,
): boolean {
  const moreConcurrencySameThroughput =
    state.inFlightMean > 0 &&
    s.inFlightMean > state.inFlightMean * (1 + concurrencyRiseFraction) &&
    s.completedTps < state.throughputTps * (1 + o.minConnectionGainFraction) &&
    s.completedTps >= state.throughputTps * (1 - flatThroughputFraction);
  return s.latencyRising && moreConcurrencySameThroughput && !s.windowStalled && !s.demandServed;
}
