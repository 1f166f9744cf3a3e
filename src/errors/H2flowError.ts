import { type BudgetBreakdown, formatPhases } from './budgetBreakdown.js';

/** Stable machine-readable codes of every error h2flow raises. */
export type H2flowErrorCode =
  | 'H2FLOW_DEADLINE'
  | 'H2FLOW_OVERLOAD'
  | 'H2FLOW_TRANSPORT'
  | 'H2FLOW_CLOSED'
  | 'H2FLOW_ABORTED'
  | 'H2FLOW_INVALID_OPTION';

const brand = Symbol.for('h2flow.error');

/**
 * Base class of the errors a request can settle with. Each carries a stable
 * `code` and the request's budget breakdown, so a caller can always tell
 * where the time went.
 */
export abstract class H2flowError extends Error {
  /** Stable code; switch on this, never on the message. */
  abstract readonly code: H2flowErrorCode;
  /** Where the request's budget went until it settled. */
  readonly breakdown: BudgetBreakdown;
  readonly [brand] = true;

  protected constructor(message: string, breakdown: BudgetBreakdown, options?: ErrorOptions) {
    super(message, options);
    this.breakdown = breakdown;
  }

  /** The budget breakdown as text, e.g. `queued 3 ms, sending 1 ms`. */
  get phasesText(): string {
    return formatPhases(this.breakdown);
  }
}

/** True when `value` is any h2flow request error (works across package copies). */
export function isH2flowError(value: unknown): value is H2flowError {
  return (
    typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true
  );
}
