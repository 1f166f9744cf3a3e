import { type PolicyRules, uncontrolledDecision } from './limiterPolicy.js';

/** `fixed`: `connections` sessions, no rate, a length-capped queue: the naive client. */
export const fixedPolicy: PolicyRules = Object.freeze<PolicyRules>({
  deadlineAware: false,
  rateGated: false,
  initialConnections: (o) => o.connections,
  decide: (_controller, target) => uncontrolledDecision(target),
  growWhenSlotBound: () => undefined,
});
