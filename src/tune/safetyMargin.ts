/** The margin the tuner takes off a measured capacity, and why. */
export interface SafetyMargin {
  /** Fraction of the capacity taken off (0.05 = 5%). */
  readonly fraction: number;
  /** Why, in one sentence an operator can read (without the percentage itself). */
  readonly reason: string;
}

/** The margin never exceeds this: past it the measurement, not the margin, is the problem. */
const maxMarginFraction = 0.25;

/**
 * The margin between a measured capacity and the rate the tuner recommends:
 * `max(minFraction, 2 × relStdErr)`, at most 25%.
 *
 * - The floor (`minFraction`, 5% by default). h2flow's controller treats
 *   throughput changes under `minConnectionGainFraction` (5%) as noise, so a
 *   probe built on it locates the knee to within about that much. Running at
 *   95% of the bottleneck also leaves room for bursts: at 100% a queue grows
 *   without bound.
 * - `2 × relStdErr`: the knee measurement's own uncertainty (two standard
 *   errors of the mean of the measured windows). A noisy path widens the
 *   margin, so the recommendation stays at or below the capacity with high
 *   confidence.
 *
 * `relStdErr` is undefined when the probe stopped at `--max-rate` without
 * reaching a knee: the token bucket, not the path, set the rate there, so
 * there is no knee measurement to be unsure of and the floor alone applies.
 */
export function safetyMargin(relStdErr: number | undefined, minFraction: number): SafetyMargin {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const floor = `h2flow's controller treats throughput changes under 5% as noise, so the knee is located to within about that much, and ${pct(1 - minFraction)} of the bottleneck leaves room for bursts (at 100% a queue grows without bound)`;
  if (relStdErr === undefined) {
    return {
      fraction: minFraction,
      reason: `the floor: the path carried --max-rate without reaching its knee, so only the floor applies; ${floor}`,
    };
  }
  const noise = 2 * (Number.isFinite(relStdErr) && relStdErr > 0 ? relStdErr : 0);
  if (noise > maxMarginFraction) {
    return {
      fraction: maxMarginFraction,
      reason: `the most the tuner takes: the knee measurement was very noisy (2 standard errors = ${pct(noise)}); probe again on a quieter path`,
    };
  }
  if (noise > minFraction) {
    return {
      fraction: noise,
      reason: `two standard errors of the knee measurement, which was noisier than the ${pct(minFraction)} floor`,
    };
  }
  return {
    fraction: minFraction,
    reason: `the floor: ${floor}; the knee measurement's own uncertainty (2 standard errors) was only ${pct(noise)}`,
  };
}
