import type { PhaseTimestamps } from './budget.js';
import type { CongestionKind } from './congestion.js';

/** How a request settled, for the reconciliation counters. */
export type Outcome = 'succeeded' | 'rejected' | 'timedOut' | 'failed';

/** One settled request, as the control loop and reports see it. */
export interface RequestSample extends PhaseTimestamps {
  /** How it settled. */
  readonly outcome: Outcome;
  /** When it settled, ms. */
  readonly settledAtMs: number;
  /** HTTP status, when a response arrived. */
  readonly status?: number | undefined;
  /** The error code it settled with, when it failed. */
  readonly errorCode?: string | undefined;
  /** The `retry-after` its response carried, in ms (RFC 9110 §10.2.3), if any. */
  readonly retryAfterMs?: number | undefined;
  /** The congestion signal it carried, if any. */
  readonly congestion?: CongestionKind | undefined;
  /** Retries made for it (0 or 1). */
  readonly retries: number;
  /** True if an RST_STREAM(CANCEL) was sent for it. */
  readonly cancelledOnWire: boolean;
  /** True if its send stalled on a flow-control window. */
  readonly windowStalled: boolean;
  /**
   * True for a streaming call, whose length its messages set rather than the
   * server's load: it counts as an outcome but gives no service-latency sample.
   */
  readonly streaming?: boolean | undefined;
}
