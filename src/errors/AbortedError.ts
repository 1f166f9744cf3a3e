import { type BudgetBreakdown, formatPhases } from './budgetBreakdown.js';
import { H2flowError } from './H2flowError.js';

const brand = Symbol.for('h2flow.AbortedError');

/**
 * The caller cancelled the request (AbortSignal or unsubscribe). If it was
 * still queued nothing was sent; if it was in flight an RST_STREAM(CANCEL) was.
 */
export class AbortedError extends H2flowError {
  override readonly code = 'H2FLOW_ABORTED' as const;
  override readonly name = 'AbortedError';
  /** True when an RST_STREAM(CANCEL) was sent for it. */
  readonly cancelledOnWire: boolean;
  readonly [brand] = true;

  constructor(breakdown: BudgetBreakdown, cancelledOnWire: boolean) {
    super(`aborted by caller; ${formatPhases(breakdown)}`, breakdown);
    this.cancelledOnWire = cancelledOnWire;
  }
}

/** True when `value` is an {@link AbortedError}. */
export function isAbortedError(value: unknown): value is AbortedError {
  return (
    typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true
  );
}
