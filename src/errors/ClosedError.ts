import { type BudgetBreakdown, formatPhases } from './budgetBreakdown.js';
import { H2flowError } from './H2flowError.js';

const brand = Symbol.for('h2flow.ClosedError');

/** The client was closed: the request was submitted after `close()`, or could not finish before shutdown. */
export class ClosedError extends H2flowError {
  override readonly code = 'H2FLOW_CLOSED' as const;
  override readonly name = 'ClosedError';
  readonly [brand] = true;

  constructor(breakdown: BudgetBreakdown) {
    super(`client closed; ${formatPhases(breakdown)}`, breakdown);
  }
}

/** True when `value` is a {@link ClosedError}. */
export function isClosedError(value: unknown): value is ClosedError {
  return (
    typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true
  );
}
