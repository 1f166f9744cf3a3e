import { describe, expect, it } from '@jest/globals';
import { breakdownAt, currentPhase, phaseTimings } from '../../src/core/budget.js';
import { formatPhases } from '../../src/errors/budgetBreakdown.js';
import { DeadlineError } from '../../src/errors/DeadlineError.js';

describe('budget', () => {
  it('names the phase from the last stage reached', () => {
    expect(currentPhase({ submittedAtMs: 0 })).toBe('queued');
    expect(currentPhase({ submittedAtMs: 0, dispatchedAtMs: 1 })).toBe('sending');
    expect(currentPhase({ submittedAtMs: 0, dispatchedAtMs: 1, sentAtMs: 2 })).toBe('awaiting');
    expect(currentPhase({ submittedAtMs: 0, dispatchedAtMs: 1, sentAtMs: 2, headersAtMs: 3 })).toBe(
      'receiving',
    );
  });

  it('splits the elapsed time into phases, counting the current one up to now', () => {
    const ts = { submittedAtMs: 100, dispatchedAtMs: 4990, sentAtMs: 4992 };
    expect(phaseTimings(ts, 5100)).toEqual({
      queuedMs: 4890,
      sendingMs: 2,
      awaitingMs: 108,
      receivingMs: 0,
    });
  });

  it('charges everything to queued when the request never left the queue', () => {
    expect(phaseTimings({ submittedAtMs: 0 }, 5000)).toEqual({
      queuedMs: 5000,
      sendingMs: 0,
      awaitingMs: 0,
      receivingMs: 0,
    });
  });

  it('stops the clock at response end', () => {
    const ts = { submittedAtMs: 0, dispatchedAtMs: 1, sentAtMs: 3, headersAtMs: 40, endAtMs: 45 };
    expect(phaseTimings(ts, 9999)).toEqual({
      queuedMs: 1,
      sendingMs: 2,
      awaitingMs: 37,
      receivingMs: 5,
    });
  });

  it('never reports a negative phase when clocks disagree', () => {
    const t = phaseTimings({ submittedAtMs: 10, dispatchedAtMs: 5, sentAtMs: 4 }, 3);
    for (const v of Object.values(t)) expect(v).toBeGreaterThanOrEqual(0);
    expect(breakdownAt({ submittedAtMs: 10 }, 100, 3).elapsedMs).toBe(0);
  });

  it('builds the breakdown behind the deadline message of the issue', () => {
    const b = breakdownAt({ submittedAtMs: 0, dispatchedAtMs: 4890, sentAtMs: 4892 }, 5000, 5000);
    expect(b).toEqual({
      budgetMs: 5000,
      elapsedMs: 5000,
      phase: 'awaiting',
      timings: { queuedMs: 4890, sendingMs: 2, awaitingMs: 108, receivingMs: 0 },
    });
    expect(formatPhases(b)).toBe('queued 4890 ms, sending 2 ms, awaiting response 108 ms');
    expect(new DeadlineError(b, true).message).toBe(
      'deadline 5000 ms exceeded: queued 4890 ms, sending 2 ms, awaiting response 108 ms',
    );
  });
});
