import type { RunReport, ServerStats } from '../core/runResult.js';

/**
 * The embedded server's counters for the policy at `index`: `undefined`
 * when the report has no server stats at all (the target was not an h2flow
 * server), `null` when this one policy's counters are missing.
 */
export function serverStatsAt(report: RunReport, index: number): ServerStats | null | undefined {
  if (report.serverStats === undefined) return undefined;
  return report.serverStats[index] ?? null;
}

/**
 * RST_STREAM frames the server received, all error codes together. The
 * server's own count is the witness for "no cancellation on the wire":
 * it also sees resets the client did not account for.
 */
export function totalRstReceived(stats: ServerStats): number {
  let total = 0;
  for (const n of Object.values(stats.rstReceived)) total += n;
  return total;
}
