import { decisionReasons } from '../core/decision.js';
import type {
  PolicyResult,
  RunReport,
  ServerStats,
  ThresholdResult,
  TimelinePoint,
} from '../core/runResult.js';

/** A JSON Schema node, as plain data (draft-07 keywords only, so ajv and fast-json-stringify both read it). */
export type JsonSchemaNode = { readonly [keyword: string]: unknown };

/**
 * One schema node per field of `T`, no more and no fewer: adding a field to
 * `runResult.ts` without describing it here fails type checking, so the
 * JSON output cannot silently drop it (fast-json-stringify writes only the
 * properties the schema names).
 */
type PropertiesOf<T> = { readonly [K in keyof T]-?: JsonSchemaNode };

const count = (description: string): JsonSchemaNode => ({
  type: 'integer',
  minimum: 0,
  description,
});
const real = (description: string): JsonSchemaNode => ({ type: 'number', description });
const counts = (description: string): JsonSchemaNode => ({
  type: 'object',
  description,
  additionalProperties: { type: 'integer', minimum: 0 },
});

// A Record (not an array) so a new PathState member is a type error until it is listed here.
const pathStates: Readonly<Record<PolicyResult['pathState'], true>> = {
  unknown: true,
  'no-connection': true,
  'demand-bound': true,
  'stream-bound': true,
  'window-bound': true,
  'server-bound': true,
  none: true,
};
const kinds: Readonly<Record<RunReport['kind'], true>> = {
  simulation: true,
  load: true,
  demo: true,
  tune: true,
};

const timelinePointProperties: PropertiesOf<TimelinePoint> = {
  tS: real('Seconds since the run started (start of this one-second interval).'),
  offeredTps: real('Requests submitted by callers in this second, req/s.'),
  admittedTps: real('Requests admitted into the queue in this second, req/s.'),
  completedTps: real('Requests that reached response end in this second, req/s.'),
  succeededTps: real('Requests that succeeded in this second, req/s.'),
  rejectedTps: real('Requests shed by admission (never sent) in this second, req/s.'),
  timedOutTps: real('Requests that hit their deadline in this second, req/s.'),
  failedTps: real('Requests that failed otherwise in this second, req/s.'),
  cancelledOnWireTps: real('RST_STREAM(CANCEL) frames sent in this second, per second.'),
  queueWaitP99Ms: real('Queue-wait p99 of requests dispatched in this second, ms.'),
  latencyP99Ms: real('Service-latency p99 of requests completed in this second, ms.'),
  connections: count('Open connections at the end of the second.'),
  rateTps: real("The controller's rate decision at the end of the second, req/s (0 without one)."),
  reason: {
    type: 'string',
    enum: [...decisionReasons, 'none'],
    description: "The last decision's reason in this second (`none` without a controller).",
  },
};

const policyResultProperties: PropertiesOf<PolicyResult> = {
  policy: {
    type: 'string',
    description:
      'Policy name: `naive`, `new-connection`, `adaptive`, or a label such as `adaptive (max 4)`.',
  },
  offeredTps: real('Offered load averaged over the run, req/s.'),
  durationS: real('Length of the run, s.'),
  submitted: count('Requests submitted: succeeded + rejected + timedOut + failed.'),
  succeeded: count('Requests that succeeded.'),
  timedOut: count('Requests that hit their deadline.'),
  rejected: count('Requests shed by admission before sending.'),
  failed: count('Requests that failed otherwise.'),
  cancelledOnWire: count('RST_STREAM(CANCEL) frames sent.'),
  goodputTps: real('Successful completions per second in steady state (after warm-up).'),
  capacityTps: real(
    'The analytic optimum for this run, req/s (0 when unknown, e.g. a real server).',
  ),
  efficiency: real('goodputTps ÷ capacityTps (0 when capacity is unknown).'),
  queueWaitP99Ms: real('Queue-wait p99 over the run, ms.'),
  latencyP99Ms: real('Service-latency p99 over the run, ms.'),
  connectionsMax: count('Most connections open at once.'),
  retries: count('Retries made (REFUSED_STREAM, GOAWAY-unprocessed, ENHANCE_YOUR_CALM).'),
  pathState: {
    type: 'string',
    enum: Object.keys(pathStates),
    description:
      "What limits the path: the controller's final view (`none` without a controller), or what `load` saw happen: `no-connection` (no session became ready) or `demand-bound` (everything offered was carried).",
  },
  timeline: {
    type: 'array',
    description: 'Per-second samples, oldest first.',
    items: {
      type: 'object',
      properties: timelinePointProperties,
      required: Object.keys(timelinePointProperties),
      additionalProperties: false,
    },
  },
  statuses: counts('Responses by HTTP status, e.g. `{ "200": 480, "404": 20 }` (`load` only).'),
  httpErrors: count(
    'Responses whose status was not expected (`--expect-status`, default 200-399); counted in `failed`, not in goodput (`load` only).',
  ),
  errorRate: real(
    'Share of submitted requests that did not succeed, 0-1: (submitted - succeeded) / submitted (`load` only).',
  ),
  failuresByCause: counts(
    'Every request that did not succeed, by cause (`connect ECONNREFUSED`, `deadline queued`, `http 404`, ...), most frequent first (`load` only).',
  ),
  firstFailure: {
    type: 'object',
    description: 'The first request that did not succeed (`load` only).',
    properties: {
      cause: { type: 'string', description: 'Its cause, e.g. `connect ECONNREFUSED`.' },
      message: { type: 'string', description: 'The first line of its error message.' },
    },
    required: ['cause', 'message'],
    additionalProperties: false,
  },
};

/** Fields of a policy result that only some producers set. */
const optionalPolicyFields: ReadonlySet<string> = new Set([
  'statuses',
  'httpErrors',
  'errorRate',
  'failuresByCause',
  'firstFailure',
]);

const thresholdResultProperties: PropertiesOf<ThresholdResult> = {
  expression: { type: 'string', description: 'The expression as given, e.g. `goodputTps>=1900`.' },
  actual: real("The field's value in the run."),
  passed: { type: 'boolean', description: 'Whether the run met it.' },
};

const serverStatsProperties: PropertiesOf<ServerStats> = {
  streamsStarted: count('Streams the server saw open.'),
  streamsCompleted: count('Streams it answered to the end.'),
  rstReceived: {
    type: 'object',
    description: 'RST_STREAM frames received, keyed by error-code name, e.g. `{ "CANCEL": 12 }`.',
    additionalProperties: { type: 'integer', minimum: 0 },
  },
  refused: count('Streams refused (REFUSED_STREAM sent).'),
  maxConcurrentSeen: count('Most streams in flight at once on any one connection.'),
  goawaySent: count('GOAWAY frames sent.'),
};

const runReportProperties: PropertiesOf<RunReport> = {
  kind: {
    type: 'string',
    enum: Object.keys(kinds),
    description: 'What produced the report.',
  },
  title: { type: 'string', description: 'Headline, e.g. the scenario name or target URL.' },
  description: {
    type: 'string',
    description:
      'One line on the set-up, e.g. `100 streams/conn, 50 ms, offered 3000 TPS, timeout 5 s`.',
  },
  timeoutMs: real('The request budget, ms (the budget line on the queue-wait chart).'),
  seed: { type: 'integer', description: 'Random seed, for simulations (absent otherwise).' },
  results: {
    type: 'array',
    description: 'One entry per policy run.',
    items: {
      type: 'object',
      properties: policyResultProperties,
      required: Object.keys(policyResultProperties).filter((k) => !optionalPolicyFields.has(k)),
      additionalProperties: false,
    },
  },
  serverStats: {
    type: 'array',
    description:
      "The embedded server's own counters per policy, same order as `results` (`null` where unknown; absent when the target is not an h2flow server).",
    items: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          properties: serverStatsProperties,
          required: Object.keys(serverStatsProperties),
          additionalProperties: false,
        },
      ],
    },
  },
  thresholds: {
    type: 'array',
    description:
      'The `--threshold`s of a `load` run with their outcomes (absent when none were given).',
    items: {
      type: 'object',
      properties: thresholdResultProperties,
      required: Object.keys(thresholdResultProperties),
      additionalProperties: false,
    },
  },
};

const requiredRunReportFields: readonly Exclude<
  keyof RunReport,
  'seed' | 'serverStats' | 'thresholds'
>[] = ['kind', 'title', 'description', 'timeoutMs', 'results'];

/**
 * JSON Schema (draft-07) of {@link RunReport}: the `--json` output of
 * `h2flow simulate`, `h2flow load` and `h2flow demo`. It drives the
 * serializer ({@link stringifyRunReport}), validates reports in tests, and
 * generates the field table in `docs/reports.md`. Every field has a
 * `description` with its unit.
 */
export const runReportSchema: JsonSchemaNode = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'h2flow run report',
  type: 'object',
  properties: runReportProperties,
  required: requiredRunReportFields,
  additionalProperties: false,
};
