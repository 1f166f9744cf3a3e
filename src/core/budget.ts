import type { BudgetBreakdown, Phase, PhaseTimingsMs } from '../errors/budgetBreakdown.js';

/**
 * Timestamps (ms, on one monotonic clock) of a request's life. A stage not
 * reached is `undefined`. The phases between them are defined in
 * `errors/budgetBreakdown.ts`.
 */
export interface PhaseTimestamps {
  /** Submitted by the caller. */
  readonly submittedAtMs: number;
  /** HEADERS handed to a session (end of `queued`). */
  readonly dispatchedAtMs?: number | undefined;
  /** Request body fully written (end of `sending`). */
  readonly sentAtMs?: number | undefined;
  /** Response HEADERS received (end of `awaiting`). */
  readonly headersAtMs?: number | undefined;
  /** Response ended (end of `receiving`). */
  readonly endAtMs?: number | undefined;
}

/** The phase a request is in at time `nowMs`, given the stages it has reached. */
export function currentPhase(ts: PhaseTimestamps): Phase {
  if (ts.headersAtMs !== undefined) return 'receiving';
  if (ts.sentAtMs !== undefined) return 'awaiting';
  if (ts.dispatchedAtMs !== undefined) return 'sending';
  return 'queued';
}

/** Time spent in each phase up to `nowMs`; phases not reached are 0. */
export function phaseTimings(ts: PhaseTimestamps, nowMs: number): PhaseTimingsMs {
  const d = ts.dispatchedAtMs;
  const s = ts.sentAtMs;
  const h = ts.headersAtMs;
  const e = ts.endAtMs ?? nowMs;
  return {
    queuedMs: Math.max(0, (d ?? e) - ts.submittedAtMs),
    sendingMs: span(d, s, e),
    awaitingMs: span(s, h, e),
    receivingMs: span(h, e, e),
  };
}

/** The time from `fromMs` to `toMs` (or `endMs` when that stage was not reached); 0 if `fromMs` was not reached. */
function span(fromMs: number | undefined, toMs: number | undefined, endMs: number): number {
  return fromMs === undefined ? 0 : Math.max(0, (toMs ?? endMs) - fromMs);
}

/** The budget breakdown of a request that settles at `nowMs` with budget `budgetMs`. */
export function breakdownAt(ts: PhaseTimestamps, budgetMs: number, nowMs: number): BudgetBreakdown {
  return {
    budgetMs,
    elapsedMs: Math.max(0, nowMs - ts.submittedAtMs),
    phase: currentPhase(ts),
    timings: phaseTimings(ts, nowMs),
  };
}
