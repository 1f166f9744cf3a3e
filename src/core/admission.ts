import type { OverloadReason } from '../errors/OverloadError.js';

/** What the admission rule knows when a request arrives or reaches the queue head. */
export interface AdmissionInput {
  /** Budget left for this request, in ms. */
  readonly remainingBudgetMs: number;
  /** Requests already waiting ahead of it. */
  readonly queueLength: number;
  /** Most requests the queue may hold. */
  readonly maxQueueLength: number;
  /** How fast the queue drains (min of the rate decision and measured completions), req/s. */
  readonly drainRateTps: number;
  /** Service latency p99 (dispatch to response end), in ms; 0 when unknown. */
  readonly serviceP99Ms: number;
  /** Longest predicted queue wait admission accepts, in ms. */
  readonly maxQueueWaitMs: number;
}

/** The admission verdict, with the wait it predicted. */
export type AdmissionVerdict =
  | { readonly admit: true; readonly predictedWaitMs: number }
  | { readonly admit: false; readonly reason: OverloadReason; readonly predictedWaitMs: number };

/** The verdict for a request that waits behind nobody: one frozen object, not one per request. */
const admittedAtOnce: AdmissionVerdict = Object.freeze({ admit: true, predictedWaitMs: 0 });

/**
 * Admits a request only if it can plausibly complete inside its budget.
 *
 * predicted wait = queueLength ÷ drainRate. It rejects when the queue is at
 * its bound (`queue-full`), when the predicted wait passes the queue-wait
 * limit (`queue-wait`), or when predicted wait + service p99 would not fit in
 * the remaining budget (`deadline`). A request shed here was never sent, so
 * shedding costs the server nothing and never becomes an RST_STREAM.
 */
export function admit(input: AdmissionInput): AdmissionVerdict {
  // NaN (no estimate yet) must read as "no drain", never as a number that passes every comparison.
  const drain = Number.isNaN(input.drainRateTps) ? 0 : Math.max(input.drainRateTps, 0);
  const predictedWaitMs =
    input.queueLength === 0 ? 0 : drain > 0 ? (input.queueLength / drain) * 1000 : Infinity;
  if (input.queueLength >= input.maxQueueLength) {
    return { admit: false, reason: 'queue-full', predictedWaitMs };
  }
  if (predictedWaitMs > input.maxQueueWaitMs) {
    return { admit: false, reason: 'queue-wait', predictedWaitMs };
  }
  // Written as "not within" so that a NaN budget is shed rather than admitted.
  if (!(predictedWaitMs + Math.max(0, input.serviceP99Ms) <= input.remainingBudgetMs)) {
    return { admit: false, reason: 'deadline', predictedWaitMs };
  }
  return predictedWaitMs === 0 ? admittedAtOnce : { admit: true, predictedWaitMs };
}
