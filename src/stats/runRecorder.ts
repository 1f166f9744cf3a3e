import type { Decision } from '../core/decision.js';
import type { PolicyResult, TimelinePoint } from '../core/runResult.js';
import type { RequestSample } from '../core/sample.js';
import { LatencyHistogram } from './latencyHistogram.js';
import { WindowHistogram } from './windowHistogram.js';

interface Bucket {
  offered: number;
  admitted: number;
  completed: number;
  succeeded: number;
  rejected: number;
  timedOut: number;
  failed: number;
  cancelledOnWire: number;
  readonly queueWait: LatencySink;
  readonly latency: LatencySink;
  connections: number;
  rateTps: number;
  reason: TimelinePoint['reason'];
}

/** Where a recorder puts latencies: a histogram, or nothing. */
interface LatencySink {
  record(ms: number): void;
  percentileMs(p: number): number;
}

/** The sink of a counts-only recorder: it keeps no latency, and reads 0. */
const noLatencies: LatencySink = Object.freeze({
  record(): void {},
  percentileMs(): number {
    return 0;
  },
});

/**
 * How much a recorder keeps:
 * - `full`: every count, and latency percentiles per second and over the
 *   run; a second's histograms are plain log-linear buckets
 *   ({@link WindowHistogram}, 0.4%: cheap to record into and read, 25 KiB a
 *   second);
 * - `compact`: the same, with a second's histograms packed (HdrHistogram's
 *   sparse counts, a few hundred bytes, but several times slower): for the
 *   many recorders of a fleet's per-client results;
 * - `counts`: the counts alone (its percentiles read 0). A fleet of a
 *   thousand simulated clients needs each client's goodput for Jain's index,
 *   not 140,000 per-second histograms.
 */
export type RecorderDetail = 'full' | 'compact' | 'counts';

/** What a recorder is told at the end of a run to finish its {@link PolicyResult}. */
export interface RunSummaryInput {
  /** Policy label. */
  readonly policy: string;
  /** The run's end, ms on the recorder's clock. */
  readonly endMs: number;
  /** Seconds at the start that are warm-up, left out of `goodputTps`. */
  readonly warmupS: number;
  /** The analytic optimum (req/s), or 0 when unknown. */
  readonly capacityTps: number;
}

/**
 * Turns a run's events into per-second timeline points and totals. Memory
 * is one bucket per second (two latency histograms in it, 25 KiB in `full`
 * detail) plus two run-wide HdrHistograms, whatever
 * the request count.
 */
export class RunRecorder {
  readonly #startMs: number;
  readonly #secondHistogram: () => LatencySink;
  readonly #buckets: Bucket[] = [];
  readonly #queueWaitAll: LatencySink;
  readonly #latencyAll: LatencySink;
  #submitted = 0;
  #succeeded = 0;
  #timedOut = 0;
  #rejected = 0;
  #failed = 0;
  #cancelledOnWire = 0;
  #retries = 0;
  #connections = 0;
  #connectionsMax = 0;
  #rateTps = 0;
  #reason: TimelinePoint['reason'] = 'none';
  #pathState: PolicyResult['pathState'] = 'none';

  /**
   * @param startMs the run's start on the recorder's clock
   * @param detail what it keeps ({@link RecorderDetail}); `full` by default
   */
  constructor(startMs: number, detail: RecorderDetail = 'full') {
    this.#startMs = startMs;
    const counts = detail === 'counts';
    this.#queueWaitAll = counts ? noLatencies : new LatencyHistogram();
    this.#latencyAll = counts ? noLatencies : new LatencyHistogram();
    this.#secondHistogram =
      detail === 'full'
        ? () => new WindowHistogram()
        : detail === 'compact'
          ? () => new LatencyHistogram(true)
          : () => noLatencies;
  }

  /** A caller submitted a request at `nowMs`. */
  offered(nowMs: number): void {
    this.#submitted++;
    this.#bucket(nowMs).offered++;
  }

  /** Admission accepted a request at `nowMs`. */
  admitted(nowMs: number): void {
    this.#bucket(nowMs).admitted++;
  }

  /** A request settled. */
  settled(sample: RequestSample): void {
    const b = this.#bucket(sample.settledAtMs);
    switch (sample.outcome) {
      case 'succeeded':
        this.#succeeded++;
        b.succeeded++;
        break;
      case 'rejected':
        this.#rejected++;
        b.rejected++;
        break;
      case 'timedOut':
        this.#timedOut++;
        b.timedOut++;
        break;
      case 'failed':
        this.#failed++;
        b.failed++;
        break;
    }
    this.#retries += sample.retries;
    if (sample.cancelledOnWire) {
      this.#cancelledOnWire++;
      b.cancelledOnWire++;
    }
    if (sample.dispatchedAtMs !== undefined) {
      const wait = sample.dispatchedAtMs - sample.submittedAtMs;
      this.#bucket(sample.dispatchedAtMs).queueWait.record(wait);
      this.#queueWaitAll.record(wait);
    }
    if (sample.dispatchedAtMs !== undefined && sample.endAtMs !== undefined) {
      const latency = sample.endAtMs - sample.dispatchedAtMs;
      b.completed++;
      b.latency.record(latency);
      this.#latencyAll.record(latency);
    }
  }

  /** The open connection count changed at `nowMs`. */
  connections(nowMs: number, count: number): void {
    this.#connections = count;
    this.#connectionsMax = Math.max(this.#connectionsMax, count);
    this.#bucket(nowMs).connections = count;
  }

  /** The controller decided at `nowMs`. */
  decision(nowMs: number, decision: Decision): void {
    this.#rateTps = decision.rateTps;
    this.#reason = decision.reason;
    this.#pathState = decision.pathState;
    const b = this.#bucket(nowMs);
    b.rateTps = decision.rateTps;
    b.reason = decision.reason;
  }

  /** Totals so far: submitted = succeeded + rejected + timedOut + failed + (still open). */
  get totals(): {
    submitted: number;
    succeeded: number;
    rejected: number;
    timedOut: number;
    failed: number;
    cancelledOnWire: number;
  } {
    return {
      submitted: this.#submitted,
      succeeded: this.#succeeded,
      rejected: this.#rejected,
      timedOut: this.#timedOut,
      failed: this.#failed,
      cancelledOnWire: this.#cancelledOnWire,
    };
  }

  /** Queue-wait p99 over the run so far, ms. */
  get queueWaitP99Ms(): number {
    return this.#queueWaitAll.percentileMs(99);
  }

  /** Finishes the run and returns its result. */
  finish(input: RunSummaryInput): PolicyResult {
    const durationS = Math.max(0, input.endMs - this.#startMs) / 1000;
    const seconds = Math.ceil(durationS - 1e-9);
    while (this.#buckets.length < seconds)
      this.#bucket(this.#startMs + this.#buckets.length * 1000);
    const timeline = this.#buckets.slice(0, Math.max(seconds, 0)).map((b, i) => point(b, i));
    // Goodput counts whole one-second buckets, so the steady part starts at the first bucket after
    // the warm-up: a 0.5 s warm-up left [0.5 s, 1 s) out of the sum but in the divisor, and a 3 s
    // run at 1,000 req/s reported 834.
    const steadyFromS = Math.ceil(input.warmupS - 1e-9);
    const steady = timeline.filter((p) => p.tS >= steadyFromS);
    const steadyS = Math.max(0, durationS - steadyFromS);
    const steadySucceeded = steady.reduce((sum, p) => sum + p.succeededTps, 0);
    const goodputTps = steadyS > 0 ? steadySucceeded / steadyS : 0;
    return {
      policy: input.policy,
      offeredTps: durationS > 0 ? this.#submitted / durationS : 0,
      durationS,
      submitted: this.#submitted,
      succeeded: this.#succeeded,
      timedOut: this.#timedOut,
      rejected: this.#rejected,
      failed: this.#failed,
      cancelledOnWire: this.#cancelledOnWire,
      goodputTps,
      capacityTps: input.capacityTps,
      efficiency: input.capacityTps > 0 ? goodputTps / input.capacityTps : 0,
      queueWaitP99Ms: this.#queueWaitAll.percentileMs(99),
      latencyP99Ms: this.#latencyAll.percentileMs(99),
      connectionsMax: this.#connectionsMax,
      retries: this.#retries,
      pathState: this.#pathState,
      timeline,
    };
  }

  #bucket(nowMs: number): Bucket {
    const index = Math.max(0, Math.floor((nowMs - this.#startMs) / 1000));
    while (this.#buckets.length <= index) {
      this.#buckets.push({
        offered: 0,
        admitted: 0,
        completed: 0,
        succeeded: 0,
        rejected: 0,
        timedOut: 0,
        failed: 0,
        cancelledOnWire: 0,
        queueWait: this.#secondHistogram(),
        latency: this.#secondHistogram(),
        connections: this.#connections,
        rateTps: this.#rateTps,
        reason: this.#reason,
      });
    }
    return this.#buckets[index]!;
  }
}

function point(b: Bucket, i: number): TimelinePoint {
  return {
    tS: i,
    offeredTps: b.offered,
    admittedTps: b.admitted,
    completedTps: b.completed,
    succeededTps: b.succeeded,
    rejectedTps: b.rejected,
    timedOutTps: b.timedOut,
    failedTps: b.failed,
    cancelledOnWireTps: b.cancelledOnWire,
    queueWaitP99Ms: b.queueWait.percentileMs(99),
    latencyP99Ms: b.latency.percentileMs(99),
    connections: b.connections,
    rateTps: b.rateTps,
    reason: b.reason,
  };
}
