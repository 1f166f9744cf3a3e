import type { CapacitySnapshot } from '../core/capacity.js';
import { type CongestionKind, zeroCongestion } from '../core/congestion.js';
import type { ControlWindow } from '../core/controlWindow.js';
import type { RequestSample } from '../core/sample.js';
import { WindowHistogram } from './windowHistogram.js';

/** What a window reads of a settled request: a {@link RequestSample} has them all. */
export type SettledFacts = Pick<
  RequestSample,
  | 'dispatchedAtMs'
  | 'endAtMs'
  | 'windowStalled'
  | 'congestion'
  | 'retryAfterMs'
  | 'status'
  | 'streaming'
>;

/**
 * Collects one control window's statistics from the client's events and
 * turns them into a {@link ControlWindow}. Time is passed in (ms), so the
 * same code runs on the real clock and in virtual time.
 *
 * Mean streams in flight is the exact time integral of the in-flight count
 * (updated on every dispatch and stream end) divided by the window length.
 */
export class WindowAccumulator {
  #startMs: number;
  #offered = 0;
  #admitted = 0;
  #completed = 0;
  #rejected = 0;
  #windowStalls = 0;
  #unavailable = 0;
  #retryAfterMs = 0;
  #congestion = zeroCongestion();
  readonly #queueWait = new WindowHistogram();
  readonly #service = new WindowHistogram();
  #inFlight = 0;
  #inFlightSinceMs: number;
  #inFlightIntegral = 0;

  constructor(startMs: number) {
    this.#startMs = startMs;
    this.#inFlightSinceMs = startMs;
  }

  /** Streams in flight right now, as counted by dispatch and stream-end events. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** A caller submitted a request. */
  offered(): void {
    this.#offered++;
  }

  /** Admission accepted a request into the queue. */
  admitted(): void {
    this.#admitted++;
  }

  /** Admission shed a request. */
  rejected(): void {
    this.#rejected++;
  }

  /** A request left the queue for the wire after waiting `queueWaitMs`. */
  dispatched(nowMs: number, queueWaitMs: number): void {
    this.#integrate(nowMs);
    this.#inFlight++;
    this.#queueWait.record(queueWaitMs);
  }

  /** A stream ended (any outcome) at `nowMs`. */
  streamEnded(nowMs: number): void {
    this.#integrate(nowMs);
    if (this.#inFlight > 0) this.#inFlight--;
  }

  /** A congestion signal not tied to a settled request (e.g. a GOAWAY with an error). */
  congestion(kind: CongestionKind): void {
    this.#congestion[kind]++;
  }

  /** A request settled (its sample, or any object with the fields the window reads: none is kept). */
  settled(sample: SettledFacts): void {
    if (sample.endAtMs !== undefined && sample.dispatchedAtMs !== undefined) {
      this.#completed++;
      // A stream's life is its caller's pace, not the server's service time.
      if (sample.streaming !== true) this.#service.record(sample.endAtMs - sample.dispatchedAtMs);
    }
    if (sample.windowStalled) this.#windowStalls++;
    if (sample.congestion !== undefined) this.#congestion[sample.congestion]++;
    if (sample.retryAfterMs !== undefined) {
      this.#retryAfterMs = Math.max(this.#retryAfterMs, sample.retryAfterMs);
    } else if (sample.status === 503) {
      this.#unavailable++;
    }
  }

  /** Closes the window at `endMs` with the transport's capacity, returns its statistics, and starts the next. */
  close(endMs: number, capacity: CapacitySnapshot, queueLength: number): ControlWindow {
    this.#integrate(endMs);
    const durationMs = Math.max(0, endMs - this.#startMs);
    const window: ControlWindow = {
      endMs,
      durationMs,
      offered: this.#offered,
      admitted: this.#admitted,
      completed: this.#completed,
      rejected: this.#rejected,
      queueWaitP50Ms: this.#queueWait.percentileMs(50),
      queueWaitP99Ms: this.#queueWait.percentileMs(99),
      queueWaitMaxMs: this.#queueWait.maxMs,
      serviceP50Ms: this.#service.percentileMs(50),
      serviceP99Ms: this.#service.percentileMs(99),
      congestion: this.#congestion,
      unavailable: this.#unavailable,
      retryAfterMs: this.#retryAfterMs,
      slotsInUseMean: durationMs > 0 ? this.#inFlightIntegral / durationMs : this.#inFlight,
      slotsTotal: capacity.slotsTotal,
      windowStalls: this.#windowStalls,
      queueLength,
      connections: capacity.readySessions,
    };
    this.#startMs = endMs;
    this.#offered = 0;
    this.#admitted = 0;
    this.#completed = 0;
    this.#rejected = 0;
    this.#windowStalls = 0;
    this.#unavailable = 0;
    this.#retryAfterMs = 0;
    this.#congestion = zeroCongestion();
    this.#queueWait.reset();
    this.#service.reset();
    this.#inFlightIntegral = 0;
    return window;
  }

  #integrate(nowMs: number): void {
    if (nowMs > this.#inFlightSinceMs) {
      this.#inFlightIntegral += this.#inFlight * (nowMs - this.#inFlightSinceMs);
      this.#inFlightSinceMs = nowMs;
    }
  }
}
