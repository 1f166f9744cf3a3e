import { describe, expect, it } from '@jest/globals';
import { DeadlineError, isDeadlineError } from '../../src/errors/DeadlineError.js';
import { H2flowError, isH2flowError } from '../../src/errors/H2flowError.js';
import { awaitingBreakdown, notErrors, oneOfEach } from './fixtures.js';

describe('DeadlineError', () => {
  const e = new DeadlineError(awaitingBreakdown, true);

  it('has the stable code and its name', () => {
    expect(e.code).toBe('H2FLOW_DEADLINE');
    expect(e.name).toBe('DeadlineError');
  });

  it('says which phase used the budget', () => {
    expect(e.message).toBe(
      'deadline 5000 ms exceeded: queued 4890 ms, sending 2 ms, awaiting response 108 ms',
    );
    expect(e.phasesText).toBe('queued 4890 ms, sending 2 ms, awaiting response 108 ms');
  });

  it('carries the breakdown, the phase it expired in, and whether a cancel hit the wire', () => {
    expect(e.breakdown).toBe(awaitingBreakdown);
    expect(e.breakdown.phase).toBe('awaiting');
    expect(e.cancelledOnWire).toBe(true);
    expect(new DeadlineError(awaitingBreakdown, false).cancelledOnWire).toBe(false);
  });

  it('rounds the budget in its message', () => {
    const d = new DeadlineError({ ...awaitingBreakdown, budgetMs: 2999.6 }, false);
    expect(d.message.startsWith('deadline 3000 ms exceeded: ')).toBe(true);
  });

  it('is an Error and an H2flowError', () => {
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(H2flowError);
    expect(isH2flowError(e)).toBe(true);
    expect(typeof e.stack).toBe('string');
  });

  it('is recognised by its brand guard only', () => {
    expect(isDeadlineError(e)).toBe(true);
    const others = oneOfEach().filter((x) => !(x instanceof DeadlineError));
    expect(others.some(isDeadlineError)).toBe(false);
    expect(notErrors.some(isDeadlineError)).toBe(false);
  });

  it('is recognised across package copies by its registered brand', () => {
    expect(isDeadlineError({ [Symbol.for('h2flow.DeadlineError')]: true })).toBe(true);
  });
});
