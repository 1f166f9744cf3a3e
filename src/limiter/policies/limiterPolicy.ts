import type { CapacitySnapshot } from '../../core/capacity.js';
import type { Decision } from '../../core/decision.js';
import type { LimiterOptions } from '../limiterOptions.js';

/**
 * What sets one policy apart from another: a strategy the limiter consults,
 * so that no `if (policy === …)` is spread through it. One file per policy.
 */
export interface PolicyRules {
  /** Admission predicts waits against deadlines, and a request that cannot finish is shed before it is sent. */
  readonly deadlineAware: boolean;
  /** A token bucket follows the controller's rate. */
  readonly rateGated: boolean;
  /** Sessions to start with. */
  initialConnections(options: LimiterOptions): number;
  /** The decision this policy acts on, given the controller's and the current connection target. */
  decide(controller: Decision, connectionsTarget: number): Decision;
  /**
   * Called when requests wait and no slot is free: the new connection
   * target, or `undefined` to keep it. `capacity` builds a snapshot when
   * called (it reads every session), so a policy that never grows here
   * costs nothing per request.
   */
  growWhenSlotBound(
    connectionsTarget: number,
    capacity: () => CapacitySnapshot,
    options: LimiterOptions,
  ): number | undefined;
}

/** The decision a policy without rate control reports: no rate, its own connection target. */
export function uncontrolledDecision(connectionsTarget: number): Decision {
  return {
    rateTps: 0,
    connections: connectionsTarget,
    limiting: false,
    reason: 'fixed',
    pathState: 'unknown',
  };
}
