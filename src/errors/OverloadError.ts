import { type BudgetBreakdown, formatPhases } from './budgetBreakdown.js';
import { H2flowError } from './H2flowError.js';

/**
 * Why admission shed a request:
 * - `rate-limit`: the controller's current rate had no token left;
 * - `queue-full`: the queue bound (count) was reached;
 * - `queue-wait`: the predicted queue wait is over the queue-wait limit;
 * - `deadline`: the request would expire before completing;
 * - `no-capacity`: no session can take streams and none is expected in time.
 */
export type OverloadReason =
  | 'rate-limit'
  | 'queue-full'
  | 'queue-wait'
  | 'deadline'
  | 'no-capacity';

const brand = Symbol.for('h2flow.OverloadError');

/**
 * Shed by admission before anything was sent: the server never saw it, so it
 * is always safe to retry elsewhere or later.
 */
export class OverloadError extends H2flowError {
  override readonly code = 'H2FLOW_OVERLOAD' as const;
  override readonly name = 'OverloadError';
  /** Why it was shed. */
  readonly reason: OverloadReason;
  /** The queue wait admission predicted for it, in ms. */
  readonly predictedWaitMs: number;
  readonly [brand] = true;

  constructor(reason: OverloadReason, predictedWaitMs: number, breakdown: BudgetBreakdown) {
    super(
      `overloaded (${reason}): shed before sending, predicted wait ${Math.round(predictedWaitMs)} ms of ${Math.round(breakdown.budgetMs)} ms budget; ${formatPhases(breakdown)}`,
      breakdown,
    );
    this.reason = reason;
    this.predictedWaitMs = predictedWaitMs;
  }
}

/** True when `value` is an {@link OverloadError}. */
export function isOverloadError(value: unknown): value is OverloadError {
  return (
    typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true
  );
}
