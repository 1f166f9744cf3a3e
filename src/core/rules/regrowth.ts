import type { CongestionEpisode } from '../controllerState.js';

/**
 * The rate a congestion episode allows at `nowMs`: CUBIC's concave regrowth
 * (RFC 9438 §4.2), W(t) = peak − (peak − start)·(1 − t/K)³, with K =
 * `recoveryMs` the time it takes to get back to the peak. It climbs fast
 * just after the cut and flattens near the peak, where the last congestion
 * came from: a 20% cut is back at 90% of the peak after 0.21·K. Past K it
 * probes on additively, `additiveIncreaseTpsPerS`, the same for every
 * client (AIMD's fairness). Before `regrowFromMs` (a `retry-after` in force)
 * it holds at the start.
 */
export function regrowthTps(
  episode: CongestionEpisode,
  nowMs: number,
  recoveryMs: number,
  additiveIncreaseTpsPerS: number,
): number {
  const t = nowMs - episode.regrowFromMs;
  if (!(t > 0)) return episode.startTps;
  if (t >= recoveryMs) {
    return episode.peakTps + (additiveIncreaseTpsPerS * (t - recoveryMs)) / 1000;
  }
  const left = 1 - t / recoveryMs;
  return episode.peakTps - (episode.peakTps - episode.startTps) * left * left * left;
}
