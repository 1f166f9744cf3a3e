import type { CongestionKind } from '../core/congestion.js';
import type { DecisionReason, PathState } from '../core/decision.js';
import type { OutcomeCounts } from '../load/outcomeTally.js';

/**
 * Why a probe stage stopped:
 * - `saturated`: the path reached its knee (queue behind full slots, or a service-latency rise) and was measured there;
 * - `max-rate`: the controller reached `--max-rate` and the path carried it;
 * - `congestion`: the first congestion signal (timeout, 429/503, REFUSED_STREAM, GOAWAY error, …): the probe backs off at once;
 * - `time-limit`: the stage ran out of time before either;
 * - `no-connection`: no session became ready.
 */
export type StageEnd = 'saturated' | 'max-rate' | 'congestion' | 'time-limit' | 'no-connection';

/** What limited a saturated stage: stream slots, flow-control windows, or the server (latency rose). */
export type StageBound = 'stream' | 'window' | 'server';

/** One control window of a stage, as the probe saw it (for `--json` and for reading a probe after the fact). */
export interface StageWindow {
  /** End of the window, ms since the probe started. */
  readonly atMs: number;
  /** Window length, ms. */
  readonly durationMs: number;
  /** Requests offered by the probe's generator, per second. */
  readonly offeredTps: number;
  /** Requests completed, per second. */
  readonly completedTps: number;
  /** The rate decision at the window's end, req/s. */
  readonly rateTps: number;
  /** The decision's reason. */
  readonly reason: DecisionReason;
  /** Queue-wait p99, ms. */
  readonly queueWaitP99Ms: number;
  /** Service-latency p50, ms. */
  readonly serviceP50Ms: number;
  /** Mean streams in flight ÷ slots. */
  readonly utilization: number;
  /** Ready connections at the window's end. */
  readonly connections: number;
  /** Whether the window was at the knee, and which bound it pointed at. */
  readonly bound: StageBound | undefined;
  /** Congestion signals in the window. */
  readonly congestion: number;
}

/** The first congestion signal a stage saw, and the load at that moment. */
export interface CongestionSeen {
  /** Its kind (most specific first when several arrived together). */
  readonly kind: CongestionKind;
  /** Signals of every kind in that window. */
  readonly count: number;
  /** The rate the controller had decided when it arrived, req/s. */
  readonly atRateTps: number;
  /** Completed throughput in that window, req/s. */
  readonly completedTps: number;
}

/** One stage of the probe: a fresh client pinned to `connections`, driven to its knee. */
export interface StageResult {
  /** Connections the stage was pinned to. */
  readonly connections: number;
  /** Why it stopped. */
  readonly end: StageEnd;
  /** Completed throughput at the knee (or at `--max-rate`), req/s: this many connections' measured capacity. */
  readonly goodputTps: number;
  /** Relative standard error of {@link goodputTps} over the measured windows (0.02 = ±2%). */
  readonly goodputRelStdErr: number;
  /** Windows the measurement averaged over. */
  readonly measuredWindows: number;
  /** Time the measurement averaged over, ms. */
  readonly measuredMs: number;
  /** The bound most measured windows pointed at (undefined when the stage never saturated). */
  readonly bound: StageBound | undefined;
  /** Median service-latency p50 over the measured windows, ms. */
  readonly serviceP50Ms: number;
  /** Highest queue-wait p99 over the stage, ms: how far the probe pushed the queue. */
  readonly queueWaitP99MaxMs: number;
  /** The lowest service p50 seen on the path up to the end of this stage, ms (the unloaded latency). */
  readonly baselineServiceMs: number;
  /** The peer's SETTINGS_MAX_CONCURRENT_STREAMS, lowest seen on any session (0 if none became ready). */
  readonly maxConcurrentStreams: number;
  /** The first congestion signal, when the stage stopped on one. */
  readonly congestion: CongestionSeen | undefined;
  /** Requests that hit their deadline or were cancelled on the wire during the stage (both should be 0). */
  readonly timedOut: number;
  /** RST_STREAM(CANCEL) frames the client sent during the stage. */
  readonly cancelledOnWire: number;
  /** When the stage started, ms since the probe started. */
  readonly startedAtMs: number;
  /** How long it ran, drain included, ms. */
  readonly durationMs: number;
  /** Every window of the stage. */
  readonly windows: readonly StageWindow[];
}

/** Why the probe stopped adding connections. */
export type TuneStop =
  | 'no-gain'
  | 'max-rate'
  | 'max-connections'
  | 'congestion'
  | 'duration-limit'
  | 'no-connection';

/** The recommended operating point. */
export interface Recommendation {
  /** Connections: the fewest whose measured capacity is within the noise floor of the best. */
  readonly connections: number;
  /** The rate to cap the client at, req/s: the capacity at `connections` less the margin. */
  readonly maxSafeTps: number;
  /** The measured capacity at `connections` (capped by `--max-rate`), req/s, before the margin. */
  readonly capacityTps: number;
  /** The margin applied, as a fraction of `capacityTps`. */
  readonly marginFraction: number;
  /** Why that margin, in a sentence. */
  readonly marginReason: string;
  /** What one connection carried with one connection open, req/s. */
  readonly perConnectionTps: number;
  /** Whether {@link perConnectionTps} is the connection's own limit (true) or the server's, a lower bound on it (false). */
  readonly perConnectionIsLimit: boolean;
  /** Little's law for one connection: maxConcurrentStreams ÷ the unloaded service p50, req/s. */
  readonly perConnectionLittleTps: number;
  /** The peer's SETTINGS_MAX_CONCURRENT_STREAMS (lowest seen). */
  readonly maxConcurrentStreams: number;
  /** What limits the path at the recommended point. */
  readonly pathState: PathState;
  /** Why the probe stopped. */
  readonly stop: TuneStop;
  /** One line per fact an operator should know (what the probe saw, what it could not rule out). */
  readonly notes: readonly string[];
}

/** The recommended point, run on its own to confirm it. */
export interface ConfirmResult {
  /** Offered (and capped) rate, req/s. */
  readonly offeredTps: number;
  /** Connections. */
  readonly connections: number;
  /** Succeeded requests per second after the warm-up. */
  readonly goodputTps: number;
  /** Service latency (HEADERS sent → response end) p50 and p99, ms. */
  readonly serviceP50Ms: number;
  readonly serviceP99Ms: number;
  /** Whole-request latency (submit → response end) p50 and p99, ms. */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Queue-wait p99, ms. */
  readonly queueWaitP99Ms: number;
  /** Requests shed, timed out, failed; RST_STREAM(CANCEL) sent. */
  readonly rejected: number;
  readonly timedOut: number;
  readonly failed: number;
  readonly cancelledOnWire: number;
  /** True when the point held: goodput kept up with the offer, no congestion, at most a quarter of its windows at the knee. */
  readonly held: boolean;
}

/** Everything `h2flow tune` found. */
export interface TuneResult {
  /** The probed URL. */
  readonly url: string;
  /** The request budget the recommendation is for, ms. */
  readonly timeoutMs: number;
  /** `--max-rate`, req/s. */
  readonly maxRateTps: number;
  /** `--max-connections`. */
  readonly maxConnections: number;
  /** The recommendation. */
  readonly recommendation: Recommendation;
  /** The confirmation run, when there was time for it. */
  readonly confirm: ConfirmResult | undefined;
  /** Every stage, in order. */
  readonly stages: readonly StageResult[];
  /**
   * Every request the probe sent, stages and confirmation: responses by
   * status, and those that did not succeed (a status outside 200–399, or an
   * error) by cause, as `h2flow load` counts them.
   */
  readonly outcomes: OutcomeCounts;
  /** Wall time of the whole probe, ms. */
  readonly durationMs: number;
}
