import { describe, expect, it } from '@jest/globals';
import { formatPhases, phaseLabel, phases, phaseTimeMs } from '../../src/errors/budgetBreakdown.js';
import { awaitingBreakdown } from './fixtures.js';

describe('budget breakdown', () => {
  it('orders the phases as a request passes through them', () => {
    expect(phases).toEqual(['queued', 'sending', 'awaiting', 'receiving']);
  });

  it('labels awaiting as "awaiting response" and the rest by name', () => {
    expect(phases.map(phaseLabel)).toEqual(['queued', 'sending', 'awaiting response', 'receiving']);
  });

  it('reads the time of each phase', () => {
    expect(phases.map((p) => phaseTimeMs(awaitingBreakdown.timings, p))).toEqual([4890, 2, 108, 0]);
  });

  it('formats the phases up to the current one, as in the issue', () => {
    expect(formatPhases(awaitingBreakdown)).toBe(
      'queued 4890 ms, sending 2 ms, awaiting response 108 ms',
    );
  });

  it('lists only the queue for a request that never left it', () => {
    const b = { ...awaitingBreakdown, phase: 'queued' as const };
    expect(formatPhases(b)).toBe('queued 4890 ms');
  });

  it('lists all four phases for a request that was receiving', () => {
    const b = {
      ...awaitingBreakdown,
      phase: 'receiving' as const,
      timings: { ...awaitingBreakdown.timings, receivingMs: 7 },
    };
    expect(formatPhases(b)).toBe(
      'queued 4890 ms, sending 2 ms, awaiting response 108 ms, receiving 7 ms',
    );
  });

  it('rounds to whole milliseconds', () => {
    const b = {
      ...awaitingBreakdown,
      phase: 'sending' as const,
      timings: { queuedMs: 0.4, sendingMs: 1.5, awaitingMs: 0, receivingMs: 0 },
    };
    expect(formatPhases(b)).toBe('queued 0 ms, sending 2 ms');
  });
});
