import type { SessionCapacity } from '../core/capacity.js';
import type { CongestionKind } from '../core/congestion.js';
import type { DecisionReason } from '../core/decision.js';
import type { Outcome } from '../core/sample.js';
import type { OverloadReason } from '../errors/OverloadError.js';

/*
 * Label values, in Prometheus' snake_case. The code's own names (camelCase
 * kinds, kebab-case reasons) are mapped here once, at load, so recording a
 * metric never builds a string.
 */

/** `outcome` label value of each request outcome. */
export const outcomeLabels: Readonly<Record<Outcome, string>> = Object.freeze({
  succeeded: 'succeeded',
  rejected: 'rejected',
  timedOut: 'timed_out',
  failed: 'failed',
});

/** `kind` label value of each congestion signal. */
export const congestionKindLabels: Readonly<Record<CongestionKind, string>> = Object.freeze({
  timeout: 'timeout',
  refusedStream: 'refused_stream',
  enhanceYourCalm: 'enhance_your_calm',
  goawayError: 'goaway_error',
  http429: 'http_429',
  http503: 'http_503',
});

/** `reason` label value of each controller decision reason. */
export const decisionReasonLabels: Readonly<Record<DecisionReason, string>> = Object.freeze({
  open: 'open',
  regrowth: 'regrowth',
  hold: 'hold',
  'queue-over-target': 'queue_over_target',
  timeout: 'timeout',
  'refused-stream': 'refused_stream',
  'enhance-your-calm': 'enhance_your_calm',
  'goaway-error': 'goaway_error',
  'http-429': 'http_429',
  'http-503': 'http_503',
  'error-surge': 'error_surge',
  'add-connection': 'add_connection',
  'drain-connection': 'drain_connection',
  'server-bound': 'server_bound',
  fixed: 'fixed',
});

/** `reason` label value of each admission rejection reason. */
export const rejectionReasonLabels: Readonly<Record<OverloadReason, string>> = Object.freeze({
  'rate-limit': 'rate_limit',
  'queue-full': 'queue_full',
  'queue-wait': 'queue_wait',
  deadline: 'deadline',
  'no-capacity': 'no_capacity',
});

/** A session state the `h2flow_sessions` gauge reports (closed sessions are gone, not counted). */
export type ReportedSessionState = Exclude<SessionCapacity['state'], 'closed'>;

/** `state` label values of `h2flow_sessions`, in lifecycle order. */
export const sessionStateLabels: readonly ReportedSessionState[] = Object.freeze([
  'connecting',
  'ready',
  'draining',
]);
