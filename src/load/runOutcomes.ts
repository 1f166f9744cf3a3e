import type { PolicyResult } from '../core/runResult.js';
import type { OutcomeCounts } from './outcomeTally.js';

/**
 * Share of responses a path must have carried for `load` to call it
 * demand-bound: a stray reset or two does not make a capacity limit.
 */
const carriedFraction = 0.99;

/**
 * What limited the path, read from what happened rather than only from the
 * controller's last window:
 * - no session ever became ready: `no-connection` (the report names the
 *   cause, e.g. `no connection: ECONNREFUSED`), whatever the controller
 *   guessed from an empty window;
 * - nothing was shed or timed out and (nearly) every request got a
 *   response: offered ≤ carried, so the path is `demand-bound`, even if the
 *   controller's last window read a slow server as `server-bound`;
 * - otherwise the controller's view stands.
 */
export function readPathState(r: PolicyResult, responses: number): PolicyResult['pathState'] {
  if (r.submitted === 0) return r.pathState;
  if (r.connectionsMax === 0) return 'no-connection';
  if (r.timedOut === 0 && r.rejected === 0 && responses >= carriedFraction * r.submitted) {
    return 'demand-bound';
  }
  return r.pathState;
}

/**
 * A load run's {@link PolicyResult} with its outcomes attached: responses by
 * status, HTTP errors, failures by cause, the first failure, the error rate,
 * and the path state read from what happened ({@link readPathState}).
 */
export function withOutcomes(r: PolicyResult, counts: OutcomeCounts): PolicyResult {
  const responses = Object.values(counts.statuses).reduce((sum, n) => sum + n, 0);
  return {
    ...r,
    pathState: readPathState(r, responses),
    statuses: counts.statuses,
    httpErrors: counts.httpErrors,
    errorRate: r.submitted > 0 ? (r.submitted - r.succeeded) / r.submitted : 0,
    failuresByCause: counts.failuresByCause,
    ...(counts.firstFailure === undefined ? {} : { firstFailure: counts.firstFailure }),
  };
}
