import { type PolicyRules, uncontrolledDecision } from './limiterPolicy.js';

/**
 * `new-connection`: no rate control; one more session whenever requests wait
 * and every slot is busy (and none is still connecting), up to
 * `maxConnections`: Go's default transport.
 */
export const newConnectionPolicy: PolicyRules = Object.freeze<PolicyRules>({
  deadlineAware: false,
  rateGated: false,
  initialConnections: () => 1,
  decide: (_controller, target) => uncontrolledDecision(target),
  growWhenSlotBound: (target, capacity, o) => {
    if (target >= o.maxConnections) return undefined;
    const now = capacity();
    if (now.slotsAvailable > 0) return undefined;
    return now.sessions.some((s) => s.state === 'connecting') ? undefined : target + 1;
  },
});
