import { describe, expect, it } from '@jest/globals';
import { resolveControllerOptions } from '../../src/core/controllerOptions.js';
import { initialControllerState } from '../../src/core/controllerState.js';
import { decisionReasons } from '../../src/core/decision.js';

describe('initial controller state', () => {
  it('starts in slow start at the initial rate and connection count, knowing nothing', () => {
    const o = resolveControllerOptions({ initialRateTps: 250, initialConnections: 2 });
    expect(initialControllerState(o)).toEqual({
      rateTps: 250,
      connections: 2,
      phase: 'slow-start',
      pathState: 'unknown',
      baselineServiceMs: 0,
      windowsSinceConnectionChange: 0,
      throughputBeforeAddTps: 0,
      experimentWindows: 0,
      experimentCompleted: 0,
      experimentMs: 0,
      connectionsBeforeAdd: 2,
      throughputTps: 0,
      inFlightMean: 0,
      idleWindows: 0,
      decreaseHoldUntilMs: Number.NEGATIVE_INFINITY,
      queueLength: 0,
      serverBoundUntilMs: Number.NEGATIVE_INFINITY,
    });
  });
});

describe('decision reasons', () => {
  it('lists each reason once, for metric label sets', () => {
    expect(new Set(decisionReasons).size).toBe(decisionReasons.length);
  });
});
