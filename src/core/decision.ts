/**
 * Why the controller decided what it did: a short machine-readable cause
 * for metrics and reports. `open`: no limit is enforced; `regrowth`: the
 * limit regrows after a congestion episode; `hold`: the server's
 * `retry-after` holds it; `queue-over-target`: a flow-control window queue
 * passed its target; `error-surge`: 503s rose above their background share;
 * the other rate reasons name the congestion signal that cut.
 */
export type DecisionReason =
  | 'open'
  | 'regrowth'
  | 'hold'
  | 'queue-over-target'
  | 'timeout'
  | 'refused-stream'
  | 'enhance-your-calm'
  | 'goaway-error'
  | 'http-429'
  | 'http-503'
  | 'error-surge'
  | 'add-connection'
  | 'drain-connection'
  | 'server-bound'
  | 'fixed';

/** Every decision reason, for metrics label sets and schemas. */
export const decisionReasons: readonly DecisionReason[] = [
  'open',
  'regrowth',
  'hold',
  'queue-over-target',
  'timeout',
  'refused-stream',
  'enhance-your-calm',
  'goaway-error',
  'http-429',
  'http-503',
  'error-surge',
  'add-connection',
  'drain-connection',
  'server-bound',
  'fixed',
];

/**
 * What limits the path, as far as the controller can tell:
 * - `unknown`: not yet probed;
 * - `no-connection`: no session is ready, so nothing can be carried;
 * - `demand-bound`: the path carries all that callers offer;
 * - `stream-bound`: stream slots (MAX_CONCURRENT_STREAMS) are the bottleneck; more connections help;
 * - `window-bound`: flow-control windows are the bottleneck; more connections help;
 * - `server-bound`: the server is saturated; more connections do not help.
 */
export type PathState =
  | 'unknown'
  | 'no-connection'
  | 'demand-bound'
  | 'stream-bound'
  | 'window-bound'
  | 'server-bound';

/** The controller's output for one window. */
export interface Decision {
  /**
   * The rate limit, requests per second. Enforced only while `limiting`; otherwise it is the open
   * ceiling (twice what the path delivers), reported but not applied.
   */
  readonly rateTps: number;
  /** True while a congestion episode has the token bucket enforce `rateTps`. */
  readonly limiting: boolean;
  /** Target number of connections (sessions). */
  readonly connections: number;
  /** The main cause of this decision. */
  readonly reason: DecisionReason;
  /** What the controller believes limits the path. */
  readonly pathState: PathState;
}
