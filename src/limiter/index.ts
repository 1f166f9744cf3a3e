/**
 * `h2flow/limiter`: h2flow's controller as a component, for any HTTP/2
 * client. It loads no npm package but rxjs.
 *
 * A driver calls `limiter.acquire({ budgetMs, signal }, handler)` per
 * request, opens a stream when `handler.onGrant(permit)` is called, reports
 * the stream's end on the permit (`respond`, `fail`, `retry`, `cancelled`),
 * and calls `limiter.capacityChanged()` when slots free. The limiter sheds
 * what cannot make its deadline before anything is sent, keeps one deadline
 * per request, and decides the rate and the connection count
 * (docs/embedding.md, "The limiter alone").
 */

export type { CapacitySnapshot, SessionCapacity } from '../core/capacity.js';
export type { ClientStats } from '../core/clientStats.js';
export type { CongestionKind } from '../core/congestion.js';
export type { ControllerOptions } from '../core/controllerOptions.js';
export type { ControlWindow } from '../core/controlWindow.js';
export type { Decision, DecisionReason, PathState } from '../core/decision.js';
export type { RetryReason } from '../core/retryReason.js';
export type { Outcome, RequestSample } from '../core/sample.js';
export { AbortedError, isAbortedError } from '../errors/AbortedError.js';
export type { BudgetBreakdown, Phase, PhaseTimingsMs } from '../errors/budgetBreakdown.js';
export { ClosedError, isClosedError } from '../errors/ClosedError.js';
export { DeadlineError, isDeadlineError } from '../errors/DeadlineError.js';
export { H2flowError, type H2flowErrorCode, isH2flowError } from '../errors/H2flowError.js';
export { InvalidOptionError, isInvalidOptionError } from '../errors/InvalidOptionError.js';
export { isOverloadError, OverloadError, type OverloadReason } from '../errors/OverloadError.js';
export {
  isTransportError,
  TransportError,
  type TransportErrorDetails,
  type TransportFailure,
} from '../errors/TransportError.js';
export { realTimeScheduler } from '../streams/realTimeScheduler.js';
export { Limiter, type LimiterPool } from './Limiter.js';
export {
  defaultLimiterOptions,
  type LimiterOptions,
  type LimiterPolicy,
  limiterOptionNames,
  resolveLimiterOptions,
} from './limiterOptions.js';
export type {
  AcquireHandler,
  AcquireOptions,
  Acquisition,
  Permit,
  ResponseDetail,
} from './permit.js';
