import type { Observable } from 'rxjs';
import type { CapacitySnapshot } from '../core/capacity.js';
import type { ControlWindow } from '../core/controlWindow.js';
import type { Decision } from '../core/decision.js';
import type { RequestSample } from '../core/sample.js';
import type { OverloadReason } from '../errors/OverloadError.js';

/**
 * The cumulative counters metrics read at scrape time: the subset of the
 * client's `ClientStats` they need, declared here so metrics/ does not
 * depend on client/ (client/ depends on metrics/).
 */
export interface MetricsStats {
  /** Requests that succeeded so far. */
  readonly succeeded: number;
  /** Requests shed by admission so far. */
  readonly rejected: number;
  /** Requests that hit their deadline so far. */
  readonly timedOut: number;
  /** Requests that failed otherwise so far. */
  readonly failed: number;
  /** Requests on the wire now. */
  readonly inFlight: number;
  /** Requests waiting in the queue now. */
  readonly queued: number;
  /** RST_STREAM(CANCEL) frames sent so far. */
  readonly cancelledOnWire: number;
  /** Retries made so far. */
  readonly retries: number;
  /** Rejections so far, by reason. */
  readonly rejectedByReason: Readonly<Record<OverloadReason, number>>;
}

/**
 * What {@link ClientMetrics} observes: the streams of an `AdaptiveClient`
 * (subscribed to for what only events carry: latencies, congestion kinds,
 * decisions) and two cheap snapshots read at scrape time (counters and
 * capacity), which cost nothing per request.
 */
export interface MetricsSource {
  /** One sample per settled request. */
  readonly samples$: Observable<RequestSample>;
  /** One decision per control window. */
  readonly decisions$: Observable<Decision>;
  /** One statistics record per control window (its congestion counts). */
  readonly windows$: Observable<ControlWindow>;
  /** The cumulative counters now. */
  stats(): MetricsStats;
  /** The transport's capacity now. */
  capacity(): CapacitySnapshot;
}
