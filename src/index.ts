/**
 * h2flow's public API: explicit named exports only.
 *
 * Embed: `createClient(origin, options)` → `client.request(...)`.
 * Simulate: `loadScenario(file)` + `runScenario(scenario, options)`.
 * Test: `startTestServer(options)` for an HTTP/2 server with capacity and faults.
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
export { renderHtmlReport } from './report/htmlReport.js';
export { runReportSchema, stringifyRunReport } from './report/jsonReport.js';
export { formatResultsTable } from './report/textReport.js';
export type { LatencySpike } from './server/latencySpike.js';
export type { ServerOptions } from './server/serverOptions.js';
export { startTestServer, type TestServer } from './server/testServer.js';
export { realTimeScheduler } from './streams/realTimeScheduler.js';
export type {
  DispatchHandle,
  DispatchListener,
  DispatchOutcome,
  Transport,
  TransportEvent,
  TransportRequest,
} from './transport/Transport.js';
