import type { LimiterPolicy } from '../limiterOptions.js';
import { adaptivePolicy } from './adaptivePolicy.js';
import { fixedPolicy } from './fixedPolicy.js';
import type { PolicyRules } from './limiterPolicy.js';
import { newConnectionPolicy } from './newConnectionPolicy.js';

/** Each policy's rules. */
export const policyRules: Readonly<Record<LimiterPolicy, PolicyRules>> = Object.freeze({
  adaptive: adaptivePolicy,
  fixed: fixedPolicy,
  'new-connection': newConnectionPolicy,
});
