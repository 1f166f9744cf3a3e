import type { ControllerOptions } from './controllerOptions.js';

/**
 * How long the next control window lasts, in ms:
 * `clamp(windowLatencyMultiple × service p50, minWindowMs, maxWindowMs)`.
 *
 * A window must outlast the requests it judges: with a window shorter than
 * the latency, a rate change made now shows up in completions only windows
 * later and the loop oscillates. Two p50s let most requests dispatched at the
 * start of a window complete inside it; the floor (100 ms) keeps the
 * controller from chasing noise at sub-millisecond loopback latencies.
 */
export function nextWindowMs(serviceP50Ms: number, options: ControllerOptions): number {
  const byLatency =
    Number.isFinite(serviceP50Ms) && serviceP50Ms > 0
      ? serviceP50Ms * options.windowLatencyMultiple
      : 0;
  return Math.min(options.maxWindowMs, Math.max(options.minWindowMs, byLatency));
}
