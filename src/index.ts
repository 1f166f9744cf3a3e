/**
 * `h2flow`: the adaptive HTTP/2 client, explicit named exports only.
 *
 * Embed: `createClient(origin, options)` → `client.request(...)`, with its
 * options, typed errors, the `node:http2` Transport and the `Transport`
 * interface for your own, `realTimeScheduler`, and the metric names.
 *
 * This entry loads the client's dependencies only (rxjs, prom-client). The
 * rest of the package has its own entries, so that a client does not load
 * what it never calls:
 * - `h2flow/limiter`: the controller alone, for a client h2flow does not make;
 * - `h2flow/testing`: `startTestServer`, the embedded HTTP/2 test server;
 * - `h2flow/report`: text, JSON and HTML renderers of a `RunReport`;
 * - `h2flow/sim`: `loadScenario` + `runScenario`, the simulator.
 */

export { AdaptiveClient } from './client/AdaptiveClient.js';
export {
  type ClientOptions,
  type ClientPolicy,
  clientOptionNames,
  defaultClientOptions,
  resolveClientOptions,
} from './client/clientOptions.js';
export type { ClientRequest, ClientResponse } from './client/clientRequest.js';
export type {
  StreamControl,
  StreamEnd,
  StreamRequest,
  StreamSink,
} from './client/streamRequest.js';
export type { CapacitySnapshot, SessionCapacity } from './core/capacity.js';
export type { ClientStats } from './core/clientStats.js';
export { type CongestionCounts, type CongestionKind, congestionKinds } from './core/congestion.js';
export {
  type ControllerOptions,
  defaultControllerOptions,
  resolveControllerOptions,
} from './core/controllerOptions.js';
export type { ControlWindow } from './core/controlWindow.js';
export {
  type Decision,
  type DecisionReason,
  decisionReasons,
  type PathState,
} from './core/decision.js';
export type {
  PolicyResult,
  RunReport,
  ServerStats,
  TimelinePoint,
} from './core/runResult.js';
export type { Outcome, RequestSample } from './core/sample.js';
export { type CreateClientOptions, createClient } from './createClient.js';
export { AbortedError, isAbortedError } from './errors/AbortedError.js';
export type {
  BudgetBreakdown,
  Phase,
  PhaseTimingsMs,
} from './errors/budgetBreakdown.js';
export { ClosedError, isClosedError } from './errors/ClosedError.js';
export { DeadlineError, isDeadlineError } from './errors/DeadlineError.js';
export { H2flowError, type H2flowErrorCode, isH2flowError } from './errors/H2flowError.js';
export { InvalidOptionError, isInvalidOptionError } from './errors/InvalidOptionError.js';
export { isOverloadError, OverloadError, type OverloadReason } from './errors/OverloadError.js';
export {
  isTransportError,
  TransportError,
  type TransportFailure,
} from './errors/TransportError.js';
export { createH2Transport, H2Transport } from './h2/H2Transport.js';
export {
  defaultH2TransportOptions,
  type H2TransportOptions,
} from './h2/H2TransportOptions.js';
export {
  latencyBucketsSeconds,
  type MetricKey,
  metricDefinitions,
} from './metrics/metricNames.js';
export type { MetricsRegistry } from './metrics/metricsOptions.js';
export { realTimeScheduler } from './streams/realTimeScheduler.js';
export type {
  DispatchHandle,
  DispatchListener,
  DispatchOutcome,
  Transport,
  TransportEvent,
  TransportRequest,
} from './transport/Transport.js';
