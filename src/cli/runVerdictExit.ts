import type { FirstFailureRecord, ThresholdResult } from '../core/runResult.js';
import { describeFailureCause } from '../load/failureCause.js';
import { CommandFailure, exitCodes } from './exitCodes.js';

/** What decides a run's exit code. */
export interface RunTotals {
  /** Requests submitted. */
  readonly submitted: number;
  /** Requests that succeeded (an expected status). */
  readonly succeeded: number;
  /** The first request that did not succeed, if any. */
  readonly firstFailure?: FirstFailureRecord | undefined;
}

/**
 * The one line curl would print when nothing worked, e.g.
 * `no request succeeded (20 submitted); first failure: connect ECONNREFUSED
 * (connection refused: nothing listens on that port): transport failed …`.
 */
export function nothingSucceededLine(run: RunTotals): string {
  const first = run.firstFailure;
  const cause =
    first === undefined
      ? 'no failure was recorded'
      : `first failure: ${describeFailureCause(first.cause)}: ${first.message}`;
  return `no request succeeded (${run.submitted.toLocaleString('en-US')} submitted); ${cause}`;
}

/**
 * Throws the {@link CommandFailure} a finished run deserves, after its
 * report was printed: exit 3 with the first cause when requests were sent
 * and none succeeded, else 99 naming each failed threshold. Returns when the
 * run completed and every threshold held (exit 0).
 */
export function throwUnlessRunHeld(
  run: RunTotals,
  thresholds: readonly ThresholdResult[] = [],
): void {
  if (run.submitted > 0 && run.succeeded === 0) {
    throw new CommandFailure(nothingSucceededLine(run), exitCodes.nothingSucceeded);
  }
  const failed = thresholds.filter((t) => !t.passed);
  if (failed.length > 0) {
    const list = failed.map((t) => `${t.expression} (was ${t.actual})`).join(', ');
    throw new CommandFailure(
      `threshold${failed.length === 1 ? '' : 's'} failed: ${list}`,
      exitCodes.thresholdFailed,
    );
  }
}
