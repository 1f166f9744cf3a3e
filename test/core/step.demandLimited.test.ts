import { describe, expect, it } from '@jest/globals';
import {
  defaultControllerOptions as defaults,
  resolveControllerOptions,
} from '../../src/core/controllerOptions.js';
import { step } from '../../src/core/step.js';
import { avoidanceState, congestionOf, makeState, makeWindow } from './fixtures.js';

describe('step: demand-limited', () => {
  // Rate 1000 req/s; the window is 100 ms, so 0.5 × 1000 req/s is 50 requests.
  it('holds the rate in avoidance when callers offer less than demandLimitedFraction of it', () => {
    const r = step(avoidanceState(), makeWindow({ offered: 49, completed: 49 }), defaults);
    expect(r.decision.rateTps).toBe(1000);
    expect(r.decision.reason).toBe('demand-limited');
    expect(r.decision.pathState).toBe('demand-bound');
  });

  it('holds the rate in slow start too', () => {
    const state = makeState({ rateTps: 1000 });
    const r = step(state, makeWindow({ offered: 10, completed: 10 }), defaults);
    expect(r.decision.rateTps).toBe(1000);
    expect(r.state.phase).toBe('slow-start');
  });

  it('grows again once offered load reaches the fraction', () => {
    const r = step(avoidanceState(), makeWindow({ offered: 50, completed: 50 }), defaults);
    expect(r.decision.reason).toBe('additive-increase');
    expect(r.decision.rateTps).toBeGreaterThan(1000);
  });

  it('uses the configured demandLimitedFraction', () => {
    const options = resolveControllerOptions({ demandLimitedFraction: 1 });
    const r = step(avoidanceState(), makeWindow({ offered: 99, completed: 99 }), options);
    expect(r.decision.reason).toBe('demand-limited');
    expect(r.decision.rateTps).toBe(1000);
  });

  it('still cuts on congestion while demand-limited', () => {
    const r = step(
      avoidanceState(),
      makeWindow({ offered: 10, completed: 10, congestion: congestionOf('http429') }),
      defaults,
    );
    expect(r.decision.rateTps).toBeLessThan(1000);
    expect(r.decision.reason).toBe('http-429');
  });
});
