/**
 * Every metric h2flow exports, in one place: name, help text and label
 * names. Names follow the Prometheus conventions: the `h2flow_` prefix, the
 * base unit as a suffix (`_seconds`), and `_total` on counters. Every metric
 * carries an `origin` label, so clients of several origins (or several
 * clients) can share one registry.
 */

/** The `origin` label: the URL origin a client talks to (`ClientOptions.origin`). */
export const originLabel = 'origin';

/** One metric's identity: what the registry exposes it as. */
export interface MetricDefinition<L extends string> {
  /** Exposition name. */
  readonly name: string;
  /** `# HELP` text. */
  readonly help: string;
  /** Label names, `origin` first. */
  readonly labelNames: readonly L[];
}

/**
 * Histogram buckets for queue wait and service latency, in seconds: 0.1 ms to
 * 10 s in 1–2.5–5 steps. The low end resolves loopback and in-datacentre
 * latencies; the top is the longest deadline worth budgeting, so a queue that
 * eats the whole budget still lands in a finite bucket rather than only +Inf.
 */
export const latencyBucketsSeconds: readonly number[] = Object.freeze([
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** The metrics h2flow exports, keyed by a short name used in code. */
export const metricDefinitions = {
  requests: {
    name: 'h2flow_requests_total',
    help: 'Requests settled, by outcome (succeeded, rejected, timed_out, failed); their sum plus in-flight and queued is every request submitted.',
    labelNames: ['origin', 'outcome'],
  },
  wireCancellations: {
    name: 'h2flow_wire_cancellations_total',
    help: 'RST_STREAM(CANCEL) frames sent: streams cancelled after their HEADERS left (deadline or abort). Servers count these against the client; it should stay 0.',
    labelNames: ['origin'],
  },
  queueWait: {
    name: 'h2flow_queue_wait_seconds',
    help: 'Time from submission until HEADERS were handed to a session, per request that reached the wire (its last attempt, if retried).',
    labelNames: ['origin'],
  },
  serviceLatency: {
    name: 'h2flow_service_latency_seconds',
    help: 'Time from HEADERS handed to a session until the response ended, per request that got a response (any status).',
    labelNames: ['origin'],
  },
  streamsInFlight: {
    name: 'h2flow_streams_in_flight',
    help: 'Requests on the wire now (streams open, not yet settled).',
    labelNames: ['origin'],
  },
  requestsQueued: {
    name: 'h2flow_requests_queued',
    help: "Requests waiting in the client's queue now (including those waiting for a retry backoff).",
    labelNames: ['origin'],
  },
  sessions: {
    name: 'h2flow_sessions',
    help: 'HTTP/2 sessions now, by state (connecting: before the first SETTINGS; ready; draining: no new streams).',
    labelNames: ['origin', 'state'],
  },
  streamSlotsAvailable: {
    name: 'h2flow_stream_slots_available',
    help: "Stream slots free for new requests on ready sessions now (peers' MAX_CONCURRENT_STREAMS minus streams in flight).",
    labelNames: ['origin'],
  },
  rateDecision: {
    name: 'h2flow_rate_decision_requests_per_second',
    help: "The controller's latest target request rate, requests per second (0 for the non-adaptive policies, which do not limit the rate).",
    labelNames: ['origin'],
  },
  connectionsTarget: {
    name: 'h2flow_connections_target',
    help: "The controller's latest target number of connections (sessions).",
    labelNames: ['origin'],
  },
  congestionEvents: {
    name: 'h2flow_congestion_events_total',
    help: 'Congestion signals the controller saw, by kind; each makes it cut its rate.',
    labelNames: ['origin', 'kind'],
  },
  decisions: {
    name: 'h2flow_decisions_total',
    help: 'Controller decisions (one per control window), by the reason that drove them.',
    labelNames: ['origin', 'reason'],
  },
  retries: {
    name: 'h2flow_retries_total',
    help: 'Retries made for requests the server provably did not process (REFUSED_STREAM, above the GOAWAY last-stream-id, ENHANCE_YOUR_CALM).',
    labelNames: ['origin'],
  },
  rejections: {
    name: 'h2flow_rejected_requests_total',
    help: 'Requests shed before they were sent, by reason; they sum to h2flow_requests_total{outcome="rejected"}.',
    labelNames: ['origin', 'reason'],
  },
} as const satisfies Record<string, MetricDefinition<string>>;

/** The short code name of each exported metric. */
export type MetricKey = keyof typeof metricDefinitions;
