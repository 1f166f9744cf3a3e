/**
 * The phases of one request's time budget, from submit to response end.
 *
 * - `queued`: submit until the HEADERS frame is handed to an HTTP/2 session.
 * - `sending`: until the request body is fully written.
 * - `awaiting`: until the response HEADERS arrive.
 * - `receiving`: until the response ends.
 */
export type Phase = 'queued' | 'sending' | 'awaiting' | 'receiving';

/** All phases in the order a request passes through them. */
export const phases: readonly Phase[] = ['queued', 'sending', 'awaiting', 'receiving'];

/** Milliseconds spent in each phase; a phase not reached is 0. */
export interface PhaseTimingsMs {
  readonly queuedMs: number;
  readonly sendingMs: number;
  readonly awaitingMs: number;
  readonly receivingMs: number;
}

/** Where one request's budget went, carried by every h2flow error. */
export interface BudgetBreakdown {
  /** The whole budget given to the request, in ms. */
  readonly budgetMs: number;
  /** Time from submit until the request settled, in ms. */
  readonly elapsedMs: number;
  /** The phase the request was in when it settled. */
  readonly phase: Phase;
  /** Time spent in each phase, in ms. */
  readonly timings: PhaseTimingsMs;
}

const phaseLabels: Readonly<Record<Phase, string>> = {
  queued: 'queued',
  sending: 'sending',
  awaiting: 'awaiting response',
  receiving: 'receiving',
};

const timingKey: Readonly<Record<Phase, keyof PhaseTimingsMs>> = {
  queued: 'queuedMs',
  sending: 'sendingMs',
  awaiting: 'awaitingMs',
  receiving: 'receivingMs',
};

/** Human label of a phase, as used in error messages (`awaiting response`). */
export function phaseLabel(phase: Phase): string {
  return phaseLabels[phase];
}

/** The time spent in `phase`, read from `timings`. */
export function phaseTimeMs(timings: PhaseTimingsMs, phase: Phase): number {
  return timings[timingKey[phase]];
}

/**
 * Lists the phases the request reached with their rounded durations, for
 * example `queued 4890 ms, sending 2 ms, awaiting response 108 ms`. Phases
 * after the one the request ended in are left out.
 */
export function formatPhases(breakdown: BudgetBreakdown): string {
  const last = phases.indexOf(breakdown.phase);
  return phases
    .slice(0, last + 1)
    .map((p) => `${phaseLabel(p)} ${Math.round(phaseTimeMs(breakdown.timings, p))} ms`)
    .join(', ');
}
