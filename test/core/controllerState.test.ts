import { describe, expect, it } from '@jest/globals';
import { resolveControllerOptions } from '../../src/core/controllerOptions.js';
import { initialControllerState } from '../../src/core/controllerState.js';
import { decisionReasons } from '../../src/core/decision.js';

describe('initial controller state', () => {
  it('starts open (no episode, no limit enforced) at the initial connection count, knowing nothing', () => {
    const o = resolveControllerOptions({ initialRateTps: 250, initialConnections: 2 });
    expect(initialControllerState(o)).toEqual({
      rateTps: 250,
      connections: 2,
      pathState: 'unknown',
      baselineServiceMs: 0,
      throughputTps: 0,
      goodTps: 0,
      inFlightMean: 0,
      windowsSinceConnectionChange: 0,
      idleWindows: 0,
      episode: undefined,
      addTrial: undefined,
      decreaseHoldUntilMs: Number.NEGATIVE_INFINITY,
      serverBoundUntilMs: Number.NEGATIVE_INFINITY,
      errorBackground: { fraction: 0, completions: 0 },
    });
  });
});

describe('decision reasons', () => {
  it('lists each reason once, for metric label sets', () => {
    expect(new Set(decisionReasons).size).toBe(decisionReasons.length);
  });
});
