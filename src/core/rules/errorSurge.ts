import type { ErrorBackground } from '../controllerState.js';

/**
 * Completions the background share is learned from before any 503 may count
 * as a surge. At 5% background, 200 completions hold about 10 errors, enough
 * for the share to be known to within a few points.
 */
export const calibrationCompletions = 200;
/** The background share forgets completions older than about this many (a count-weighted EWMA). */
export const horizonCompletions = 2000;
/** Standard deviations above the background a window's 503 count must pass to be a surge. */
const surgeZ = 4;
/** And at least this many errors above it, so a clean background (share 0) ignores a stray 503. */
const surgeSlack = 2;

/**
 * Is this window's count of 503s without `retry-after` a surge above the
 * background, i.e. caused by load? The count of n completions at background
 * share p is binomial: a surge is more than n·p + 4·√(n·p·(1−p)) + 2, which
 * a flat background passes in fewer than one window in 30,000. Until the
 * background is calibrated nothing is a surge. Google SRE's client-side
 * throttling tolerates errors up to a share 1 − 1/K of requests for the same
 * reason: a share of errors that no rate avoids must not cut the rate.
 */
export function isErrorSurge(
  background: ErrorBackground,
  unavailable: number,
  completed: number,
): boolean {
  // The 503s are completions themselves: never fewer completions than 503s.
  const n = Math.max(completed, unavailable);
  if (background.completions < calibrationCompletions || n <= 0) return false;
  const p = background.fraction;
  const expected = n * p;
  return unavailable > expected + surgeZ * Math.sqrt(expected * (1 - p)) + surgeSlack;
}

/**
 * Learns the background share from one more window: a mean over the first
 * {@link horizonCompletions} completions, then an exponentially weighted one
 * in which each completion weighs 1 / horizon. Surge windows count too, so a
 * share that steps up for good (a failing dependency, not load) is absorbed
 * within a horizon instead of cutting the rate for ever.
 */
export function learnErrorBackground(
  background: ErrorBackground,
  unavailable: number,
  completed: number,
): ErrorBackground {
  const n = Math.max(completed, unavailable);
  if (!(n > 0)) return background;
  const completions = Math.min(horizonCompletions, background.completions + n);
  const share = unavailable / n;
  const weight = Math.min(1, n / completions);
  return { fraction: background.fraction + (share - background.fraction) * weight, completions };
}
