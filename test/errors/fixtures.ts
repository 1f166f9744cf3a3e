import { AbortedError } from '../../src/errors/AbortedError.js';
import type { BudgetBreakdown } from '../../src/errors/budgetBreakdown.js';
import { ClosedError } from '../../src/errors/ClosedError.js';
import { DeadlineError } from '../../src/errors/DeadlineError.js';
import type { H2flowError } from '../../src/errors/H2flowError.js';
import { OverloadError } from '../../src/errors/OverloadError.js';
import { TransportError } from '../../src/errors/TransportError.js';

/** The example: a 5 s budget spent almost entirely in the queue. */
export const awaitingBreakdown: BudgetBreakdown = {
  budgetMs: 5000,
  elapsedMs: 5000,
  phase: 'awaiting',
  timings: { queuedMs: 4890, sendingMs: 2, awaitingMs: 108, receivingMs: 0 },
};

/** A request shed at submit: nothing spent. */
export const queuedBreakdown: BudgetBreakdown = {
  budgetMs: 5000,
  elapsedMs: 0,
  phase: 'queued',
  timings: { queuedMs: 0, sendingMs: 0, awaitingMs: 0, receivingMs: 0 },
};

/** One instance of every request error class, for cross-guard checks. */
export function oneOfEach(): H2flowError[] {
  return [
    new DeadlineError(awaitingBreakdown, false),
    new OverloadError('queue-wait', 800, queuedBreakdown),
    new TransportError({ failure: 'connect', detail: 'refused' }, queuedBreakdown),
    new ClosedError(queuedBreakdown),
    new AbortedError(queuedBreakdown, false),
  ];
}

/** Values no guard may accept. */
export const notErrors: readonly unknown[] = [
  undefined,
  null,
  0,
  'H2FLOW_DEADLINE',
  {},
  { code: 'H2FLOW_DEADLINE' },
  new Error('plain'),
  new RangeError('plain'),
];
