/** The first reconnect delay after a failure, before jitter, ms (doubled per attempt). */
export const defaultReconnectBaseMs = 100;

/** The longest reconnect delay, before jitter, ms. */
export const defaultReconnectMaxMs = 10_000;

/**
 * The wait before reconnect attempt `attempt` (1 for the first retry after a
 * failure): exponential, `baseMs * 2^(attempt - 1)` capped at `maxMs`, then
 * "equal jitter" (half fixed, half uniform random). The fixed half keeps a
 * floor under the delay so a dead server is not hammered; the random half
 * spreads the reconnects of many clients that lost the same server at the
 * same moment, so they do not all return in one synchronized burst.
 *
 * @param attempt consecutive failures so far, >= 1
 * @param baseMs first delay before jitter, ms
 * @param maxMs cap before jitter, ms
 * @param random uniform in [0, 1), injectable for tests
 * @returns delay in ms, in [capped / 2, capped)
 */
export function reconnectDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  // 2^30 already dwarfs any sane maxMs; clamping the exponent avoids Infinity.
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const capped = Math.min(maxMs, baseMs * 2 ** exponent);
  return capped / 2 + (capped / 2) * random();
}
