import type { Observable } from 'rxjs';
import type { CapacitySnapshot } from '../core/capacity.js';
import type { ClientStats } from '../core/clientStats.js';
import type { ControlWindow } from '../core/controlWindow.js';
import type { Decision } from '../core/decision.js';
import type { RequestSample } from '../core/sample.js';

/** The cumulative counters metrics read at scrape time: the part of the client's `ClientStats` they mirror. */
export type MetricsStats = Omit<ClientStats, 'submitted' | 'httpErrors'>;

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
