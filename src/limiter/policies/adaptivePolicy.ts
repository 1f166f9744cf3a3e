import type { PolicyRules } from './limiterPolicy.js';

/** `adaptive`: the controller decides rate and connections; admission is deadline-aware. */
export const adaptivePolicy: PolicyRules = Object.freeze<PolicyRules>({
  deadlineAware: true,
  rateGated: true,
  initialConnections: (o) => o.initialConnections,
  decide: (controller) => controller,
  growWhenSlotBound: () => undefined,
});
