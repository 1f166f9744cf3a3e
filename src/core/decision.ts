/**
 * Why the controller decided what it did: a short machine-readable cause
 * for metrics and reports.
 */
export type DecisionReason =
  | 'slow-start'
  | 'additive-increase'
  | 'demand-limited'
  | 'hold'
  | 'queue-over-target'
  | 'timeout'
  | 'cancel'
  | 'refused-stream'
  | 'enhance-your-calm'
  | 'goaway-error'
  | 'http-429'
  | 'http-503'
  | 'connection-error'
  | 'add-connection'
  | 'drain-connection'
  | 'server-bound'
  | 'fixed';

/** Every decision reason, for metrics label sets and schemas. */
export const decisionReasons: readonly DecisionReason[] = [
  'slow-start',
  'additive-increase',
  'demand-limited',
  'hold',
  'queue-over-target',
  'timeout',
  'cancel',
  'refused-stream',
  'enhance-your-calm',
  'goaway-error',
  'http-429',
  'http-503',
  'connection-error',
  'add-connection',
  'drain-connection',
  'server-bound',
  'fixed',
];

/**
 * What limits the path, as far as the controller can tell:
 * - `unknown`: not yet probed;
 * - `demand-bound`: callers offer less than the path carries;
 * - `stream-bound`: stream slots (MAX_CONCURRENT_STREAMS) are the bottleneck; more connections help;
 * - `window-bound`: flow-control windows are the bottleneck; more connections help;
 * - `server-bound`: the server is saturated; more connections do not help.
 */
export type PathState =
  | 'unknown'
  | 'demand-bound'
  | 'stream-bound'
  | 'window-bound'
  | 'server-bound';

/** The controller's output for one window. */
export interface Decision {
  /** Target request rate, requests per second. */
  readonly rateTps: number;
  /** Target number of connections (sessions). */
  readonly connections: number;
  /** The main cause of this decision. */
  readonly reason: DecisionReason;
  /** What the controller believes limits the path. */
  readonly pathState: PathState;
}
