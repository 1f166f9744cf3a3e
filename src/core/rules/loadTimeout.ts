/**
 * Did load cause this timeout? A request that timed out after waiting longer
 * than the queue target (`queueTargetFraction` of its budget) in the client's
 * queue lost its budget to the queue, and a lower rate would have saved it.
 * One that waited less lost it to the server's own latency: a tail that no
 * rate avoids (a lognormal server's p99.9), so it must not cut the rate.
 * Requests that expire in the queue always waited their whole budget there.
 */
export function isLoadTimeout(
  queueWaitMs: number,
  budgetMs: number,
  queueTargetFraction: number,
): boolean {
  return !(queueWaitMs <= queueTargetFraction * budgetMs);
}
