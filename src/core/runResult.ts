import type { DecisionReason, PathState } from './decision.js';

/**
 * One second of a run (simulated or real). Rates are per second of that
 * interval; latencies are p99 over requests dispatched or settled in it.
 */
export interface TimelinePoint {
  /** Seconds since the run started (start of this interval). */
  readonly tS: number;
  /** Requests submitted by callers, per second. */
  readonly offeredTps: number;
  /** Requests admitted into the queue, per second. */
  readonly admittedTps: number;
  /** Requests that reached response end, per second. */
  readonly completedTps: number;
  /** Requests that succeeded (2xx/3xx/4xx other than 429), per second. */
  readonly succeededTps: number;
  /** Requests shed by admission, per second. */
  readonly rejectedTps: number;
  /** Requests that hit their deadline, per second. */
  readonly timedOutTps: number;
  /** Requests that failed otherwise, per second. */
  readonly failedTps: number;
  /** RST_STREAM(CANCEL) sent, per second. */
  readonly cancelledOnWireTps: number;
  /** Queue-wait p99 of requests dispatched in this second, ms. */
  readonly queueWaitP99Ms: number;
  /** Service-latency p99 of requests completed in this second, ms. */
  readonly latencyP99Ms: number;
  /** Open connections at the end of the second. */
  readonly connections: number;
  /** The controller's rate decision at the end of the second (0 for policies without one). */
  readonly rateTps: number;
  /** The last decision's reason in this second. */
  readonly reason: DecisionReason | 'none';
}

/** The outcome of one policy over one run, the shape shared by `simulate`, `load` and `demo`. */
export interface PolicyResult {
  /** Policy name: `naive`, `new-connection`, `adaptive`, or a label such as `adaptive (max 4)`. */
  readonly policy: string;
  /** Offered load averaged over the run, req/s. */
  readonly offeredTps: number;
  /** Length of the run, s. */
  readonly durationS: number;
  /** Requests submitted. submitted = succeeded + rejected + timedOut + failed. */
  readonly submitted: number;
  /** Requests that succeeded. */
  readonly succeeded: number;
  /** Requests that hit their deadline. */
  readonly timedOut: number;
  /** Requests shed by admission before sending. */
  readonly rejected: number;
  /** Requests that failed otherwise. */
  readonly failed: number;
  /** RST_STREAM(CANCEL) frames sent. */
  readonly cancelledOnWire: number;
  /** Successful completions per second in steady state (after warm-up). */
  readonly goodputTps: number;
  /** The analytic optimum for this run, req/s (0 when unknown, e.g. a real server). */
  readonly capacityTps: number;
  /** goodputTps ÷ capacityTps (0 when capacity is unknown). */
  readonly efficiency: number;
  /** Queue-wait p99 over the run, ms. */
  readonly queueWaitP99Ms: number;
  /** Service-latency p99 over the run, ms. */
  readonly latencyP99Ms: number;
  /** Most connections open at once. */
  readonly connectionsMax: number;
  /** Retries made (REFUSED_STREAM, GOAWAY-unprocessed, ENHANCE_YOUR_CALM). */
  readonly retries: number;
  /**
   * What limited the path: the controller's final view, or, where `load`
   * knows better from what happened, `no-connection` (no session ever became
   * ready) or `demand-bound` (everything offered was carried).
   */
  readonly pathState: PathState | 'none' | 'no-connection';
  /** Per-second samples. */
  readonly timeline: readonly TimelinePoint[];
  /** Responses by HTTP status, e.g. `{ "200": 480, "404": 20 }` (`load`; absent elsewhere). */
  readonly statuses?: Readonly<Record<string, number>> | undefined;
  /** Responses whose status was not expected (`--expect-status`); counted in `failed`, not goodput (`load`). */
  readonly httpErrors?: number | undefined;
  /** Share of submitted requests that did not succeed, 0–1: (submitted − succeeded) ÷ submitted (`load`). */
  readonly errorRate?: number | undefined;
  /** Every request that did not succeed, by cause (e.g. `connect ECONNREFUSED`), most frequent first (`load`). */
  readonly failuresByCause?: Readonly<Record<string, number>> | undefined;
  /** The first request that did not succeed: its cause and the first line of its error (`load`). */
  readonly firstFailure?: FirstFailureRecord | undefined;
}

/** The first failure of a run, as reports carry it. */
export interface FirstFailureRecord {
  /** Its cause, e.g. `connect ECONNREFUSED`. */
  readonly cause: string;
  /** The first line of its error message. */
  readonly message: string;
}

/** One `--threshold` judged against a run. */
export interface ThresholdResult {
  /** The expression as given, e.g. `goodputTps>=1900`. */
  readonly expression: string;
  /** The field's value in the run. */
  readonly actual: number;
  /** Whether the run met it. */
  readonly passed: boolean;
}

/** Counters the embedded test server keeps about itself (`GET /__h2flow/stats`): the server-side witness. */
export interface ServerStats {
  /** Streams the server saw open. */
  readonly streamsStarted: number;
  /** Streams it answered to the end. */
  readonly streamsCompleted: number;
  /** RST_STREAM frames received, keyed by error-code name, e.g. `{ "CANCEL": 12 }`. */
  readonly rstReceived: Readonly<Record<string, number>>;
  /** Streams refused (REFUSED_STREAM sent). */
  readonly refused: number;
  /** Most streams in flight at once on any one connection. */
  readonly maxConcurrentSeen: number;
  /** GOAWAY frames sent. */
  readonly goawaySent: number;
}

/** A whole run: one or more policies over the same scenario or target. Rendered as text, JSON and HTML. */
export interface RunReport {
  /** What produced it. */
  readonly kind: 'simulation' | 'load' | 'demo' | 'tune';
  /** Headline, e.g. the scenario name or target URL. */
  readonly title: string;
  /** One line on the set-up, e.g. `100 streams/conn, 50 ms, offered 3000 TPS, timeout 5 s`. */
  readonly description: string;
  /** The request budget, ms (drawn as the budget line on queue-wait charts). */
  readonly timeoutMs: number;
  /** Random seed, for simulations. */
  readonly seed?: number | undefined;
  /** One entry per policy run. */
  readonly results: readonly PolicyResult[];
  /** Server-side counters per policy (same order as `results`), when the target is an h2flow server. */
  readonly serverStats?: readonly (ServerStats | null)[] | undefined;
  /** The `--threshold`s of a `load` run, each with its outcome (absent when none were given). */
  readonly thresholds?: readonly ThresholdResult[] | undefined;
}
