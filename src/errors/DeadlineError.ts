import { type BudgetBreakdown, formatPhases } from './budgetBreakdown.js';
import { H2flowError } from './H2flowError.js';

const brand = Symbol.for('h2flow.DeadlineError');

/**
 * The request's whole budget (`timeoutMs`, submit to response end) ran out.
 * The message names the phase that used it, for example
 * `deadline 5000 ms exceeded: queued 4890 ms, sending 2 ms, awaiting response 108 ms`.
 */
export class DeadlineError extends H2flowError {
  override readonly code = 'H2FLOW_DEADLINE' as const;
  override readonly name = 'DeadlineError';
  /** True when an RST_STREAM(CANCEL) was sent because the stream was already on the wire. */
  readonly cancelledOnWire: boolean;
  readonly [brand] = true;

  constructor(breakdown: BudgetBreakdown, cancelledOnWire: boolean) {
    super(
      `deadline ${Math.round(breakdown.budgetMs)} ms exceeded: ${formatPhases(breakdown)}`,
      breakdown,
    );
    this.cancelledOnWire = cancelledOnWire;
  }
}

/** True when `value` is a {@link DeadlineError}. */
export function isDeadlineError(value: unknown): value is DeadlineError {
  return (
    typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true
  );
}
