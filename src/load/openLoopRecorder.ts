import type { Decision } from '../core/decision.js';
import type { PolicyResult } from '../core/runResult.js';
import type { RequestSample } from '../core/sample.js';
import { LatencyHistogram } from '../stats/latencyHistogram.js';
import { RunRecorder, type RunSummaryInput } from '../stats/runRecorder.js';
import type { StatusRange } from './expectedStatuses.js';
import { type OutcomeCounts, OutcomeTally } from './outcomeTally.js';

/** How well the generator itself kept to its schedule, and what callers saw end to end. */
export interface GeneratorStats {
  /** Requests sent. */
  readonly sent: number;
  /** p99 of how late a request was handed to the client after its intended send time, ms (timer and event-loop lag). */
  readonly sendLagP99Ms: number;
  /** Worst such lateness, ms. */
  readonly sendLagMaxMs: number;
  /** p99 of intended send time to response end, over succeeded requests, ms: wrk2's corrected latency. */
  readonly responseTimeP99Ms: number;
}

/**
 * Records an open-loop run into a {@link RunRecorder}, measuring from each
 * request's intended send time. The client stamps a request when `send()`
 * is called; if the generator was late, that stamp hides the lateness. So
 * each settled sample is re-based on its intended time before recording:
 * queue wait becomes intended time → dispatch, and the lateness counts
 * against the request, as wrk2 and k6 do to avoid coordinated omission.
 * Service latency (dispatch → response end) is unaffected.
 *
 * Each sample's outcome is judged too ({@link OutcomeTally}): a response
 * succeeds only when its status is expected, and every request that did
 * not succeed is counted by cause.
 */
export class OpenLoopRecorder {
  readonly #run: RunRecorder;
  readonly #sendLag = new LatencyHistogram();
  readonly #responseTime = new LatencyHistogram();
  // The queue wait of requests dispatched recently, for the live progress line: one
  // unpacked histogram reset each second, since packed ones cost more per record.
  readonly #recentQueueWait = new LatencyHistogram();
  #recentSinceMs: number;
  #recentP99Ms = 0;
  #sent = 0;
  #rateTps = 0;
  #connections = 0;
  readonly #tally: OutcomeTally;

  constructor(startMs: number, expectedStatuses: readonly StatusRange[]) {
    this.#run = new RunRecorder(startMs);
    this.#tally = new OutcomeTally(expectedStatuses);
    this.#recentSinceMs = startMs;
  }

  /** Request intended at `intendedMs` was handed to the client at `sentAtMs`. */
  sent(intendedMs: number, sentAtMs: number): void {
    this.#sent++;
    this.#sendLag.record(sentAtMs - intendedMs);
    this.#run.offered(intendedMs);
  }

  /** The client admitted the request intended at `intendedMs` (it was not shed at submission). */
  admitted(intendedMs: number): void {
    this.#run.admitted(intendedMs);
  }

  /** A request intended at `intendedMs` settled with `sample` (stamped by the client) and `error`, if any. */
  settled(sample: RequestSample, intendedMs: number, error: unknown): void {
    const outcome = this.#tally.judge(sample.status, error) ?? sample.outcome;
    const rebased: RequestSample = { ...sample, submittedAtMs: intendedMs, outcome };
    this.#run.settled(rebased);
    if (sample.dispatchedAtMs !== undefined) {
      this.#recentQueueWait.record(sample.dispatchedAtMs - intendedMs);
    }
    if (outcome === 'succeeded' && sample.endAtMs !== undefined) {
      this.#responseTime.record(sample.endAtMs - intendedMs);
    }
  }

  /** The controller decided at `nowMs`. */
  decision(nowMs: number, decision: Decision): void {
    this.#rateTps = decision.rateTps;
    this.#run.decision(nowMs, decision);
  }

  /** Ready connections changed at `nowMs`. */
  connections(nowMs: number, count: number): void {
    this.#connections = count;
    this.#run.connections(nowMs, count);
  }

  /** Totals so far (see {@link RunRecorder.totals}). */
  get totals(): RunRecorder['totals'] {
    return this.#run.totals;
  }

  /** The last rate decision, req/s (0 for a policy without rate control). */
  get rateTps(): number {
    return this.#rateTps;
  }

  /** Ready connections now. */
  get connectionCount(): number {
    return this.#connections;
  }

  /**
   * Queue-wait p99 of the last whole second, ms: a live figure for the
   * progress line (the run-wide p99 would hide a queue that is draining).
   */
  recentQueueWaitP99Ms(nowMs: number): number {
    if (nowMs - this.#recentSinceMs >= 1000) {
      this.#recentP99Ms = this.#recentQueueWait.percentileMs(99);
      this.#recentQueueWait.reset();
      this.#recentSinceMs = nowMs;
    }
    return this.#recentP99Ms;
  }

  /** Finishes the run's {@link PolicyResult}. */
  finish(input: RunSummaryInput): PolicyResult {
    return this.#run.finish(input);
  }

  /** Responses by status and failures by cause so far. */
  outcomeCounts(): OutcomeCounts {
    return this.#tally.counts();
  }

  /** How the generator kept to its schedule. */
  generatorStats(): GeneratorStats {
    return {
      sent: this.#sent,
      sendLagP99Ms: this.#sendLag.percentileMs(99),
      sendLagMaxMs: this.#sendLag.maxMs,
      responseTimeP99Ms: this.#responseTime.percentileMs(99),
    };
  }
}
