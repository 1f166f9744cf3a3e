import { describe, expect, it } from '@jest/globals';
import { defaultControllerOptions as defaults } from '../../src/core/controllerOptions.js';
import type { ControllerState } from '../../src/core/controllerState.js';
import type { ControlWindow } from '../../src/core/controlWindow.js';
import { step } from '../../src/core/step.js';
import { avoidanceState, last, makeWindow, run } from './fixtures.js';

/** 3000 req/s offered against one connection whose 100 slots are full and a queue building. */
const slotBound = (endMs: number, overrides: Partial<ControlWindow> = {}): ControlWindow =>
  makeWindow({
    endMs,
    offered: 300,
    completed: 190,
    slotsInUseMean: 95,
    slotsTotal: 100,
    queueWaitP99Ms: 200,
    ...overrides,
  });

/** The state right after the controller added a second connection at t = 1000 ms. */
function afterAdd(): ControllerState {
  // The rate lets the 3000 req/s offered through: only windows whose rate could carry the gain
  // test an add (under a lower rate the token bucket, not the path, caps completions).
  const r = step(avoidanceState({ rateTps: 3000 }), slotBound(1000), defaults);
  expect(r.decision.reason).toBe('add-connection');
  expect(r.decision.connections).toBe(2);
  return r.state;
}

/** Windows after the add, both sessions up, completions at `completed` per 100 ms. */
const judged = (count: number, completed: number, overrides: Partial<ControlWindow> = {}) =>
  Array.from({ length: count }, (_, i) =>
    makeWindow({
      endMs: 1100 + i * 100,
      offered: 300,
      completed,
      connections: 2,
      slotsTotal: 200,
      slotsInUseMean: 190,
      queueWaitP99Ms: 200,
      ...overrides,
    }),
  );

/** The hold is serverBoundHoldMs spread over ±25% per client, so a fleet does not re-probe in step. */
function expectHold(untilMs: number, fromMs: number): void {
  expect(untilMs - fromMs).toBeGreaterThanOrEqual(0.75 * defaults.serverBoundHoldMs);
  expect(untilMs - fromMs).toBeLessThanOrEqual(1.25 * defaults.serverBoundHoldMs);
}

describe('step: server-bound', () => {
  it('undoes an add that did not raise completed throughput and holds probing', () => {
    // Completions stay at 1900 req/s although 3000 req/s are offered.
    const results = run(afterAdd(), judged(defaults.connectionEvalWindows, 190));
    const verdict = last(results);
    expect(results.slice(0, -1).every((r) => r.decision.connections === 2)).toBe(true);
    expect(verdict.decision.reason).toBe('server-bound');
    expect(verdict.decision.pathState).toBe('server-bound');
    expect(verdict.decision.connections).toBe(1);
    expectHold(verdict.state.serverBoundUntilMs, 1500);
    expect(verdict.state.addTrial).toBeUndefined();
  });

  it('keeps an add that raised completed throughput', () => {
    const results = run(afterAdd(), judged(defaults.connectionEvalWindows, 290));
    const verdict = last(results);
    expect(verdict.decision.connections).toBe(2);
    expect(verdict.decision.pathState).not.toBe('server-bound');
    expect(verdict.state.addTrial).toBeUndefined();
  });

  it('does not blame the server when callers offered no more than before the add', () => {
    // Offered fell to the 1900 req/s already carried: no gain was possible, the test is void.
    const results = run(afterAdd(), judged(defaults.connectionEvalWindows, 190, { offered: 190 }));
    const verdict = last(results);
    expect(verdict.decision.pathState).not.toBe('server-bound');
    expect(verdict.decision.connections).toBe(2);
    expect(verdict.state.addTrial).toBeUndefined();
  });

  it('waits for the added sessions to be up before judging', () => {
    const results = run(
      afterAdd(),
      judged(defaults.connectionEvalWindows, 190, { connections: 1 }),
    );
    expect(last(results).decision.connections).toBe(2);
    expect(last(results).state.addTrial?.throughputBeforeTps).toBeGreaterThan(0);
  });

  it('does not probe again until serverBoundHoldMs has passed', () => {
    const verdict = last(run(afterAdd(), judged(defaults.connectionEvalWindows, 190)));
    const holdEndMs = verdict.state.serverBoundUntilMs;
    // Slots full and a queue building, on the single remaining connection.
    const during = run(
      verdict.state,
      Array.from({ length: 20 }, (_, i) => slotBound(1600 + i * 100)),
    );
    expect(during.every((r) => r.decision.connections === 1)).toBe(true);
    expect(during.every((r) => r.decision.pathState === 'server-bound')).toBe(true);
    const after = step(last(during).state, slotBound(holdEndMs), defaults);
    expect(after.decision.reason).toBe('add-connection');
    expect(after.decision.connections).toBe(2);
  });

  it('marks server-bound when latency rises as load rises', () => {
    // 80 streams in flight against a smoothed 50, throughput flat at 1000 req/s, and p50 80 ms
    // over 1.5 × the 50 ms baseline: more concurrency bought only more latency.
    const r = step(
      avoidanceState({ inFlightMean: 50 }),
      makeWindow({
        endMs: 5000,
        serviceP50Ms: 80,
        offered: 130,
        completed: 100,
        slotsInUseMean: 80,
      }),
      defaults,
    );
    expect(r.decision.pathState).toBe('server-bound');
    expectHold(r.state.serverBoundUntilMs, 5000);
    // … and so stops adding connections although slots then look full.
    const next = step(r.state, slotBound(5100, { serviceP50Ms: 50 }), defaults);
    expect(next.decision.connections).toBe(1);
  });

  it('does not blame the server for a latency spike (latency up at the same concurrency)', () => {
    for (const completed of [100, 40]) {
      const r = step(
        avoidanceState({ inFlightMean: 50 }),
        makeWindow({ serviceP50Ms: 250, completed, slotsInUseMean: 50 }),
        defaults,
      );
      expect(r.decision.pathState).not.toBe('server-bound');
      expect(r.state.serverBoundUntilMs).toBe(-Infinity);
    }
  });

  it('does not blame the server when flow-control stalls explain the rise', () => {
    const r = step(
      avoidanceState({ inFlightMean: 50 }),
      makeWindow({
        serviceP50Ms: 80,
        offered: 130,
        completed: 100,
        slotsInUseMean: 80,
        windowStalls: 12,
      }),
      defaults,
    );
    expect(r.decision.pathState).not.toBe('server-bound');
  });

  it('does not blame the server for latency within latencyToleranceFraction of the baseline', () => {
    const r = step(
      avoidanceState(),
      makeWindow({ serviceP50Ms: 74, offered: 130, completed: 130 }),
      defaults,
    );
    expect(r.decision.pathState).not.toBe('server-bound');
  });

  it('spreads the hold across clients judged at different moments', () => {
    const holds = [1000, 1100, 1200, 1300, 1400, 1500].map((t) => {
      const r = step(
        avoidanceState({ inFlightMean: 50 }),
        makeWindow({
          endMs: t,
          serviceP50Ms: 80,
          offered: 130,
          completed: 100,
          slotsInUseMean: 80,
        }),
        defaults,
      );
      return r.state.serverBoundUntilMs - t;
    });
    expect(new Set(holds.map((h) => Math.round(h))).size).toBeGreaterThan(3);
  });
});

describe('step: an add judged by the server’s latency too', () => {
  it('undoes an add whose gain came with a slower server (share taken, not capacity)', () => {
    // Throughput rose 1,900 → 2,900 req/s, but the p50 doubled: the extra streams queued in the server.
    const results = run(
      afterAdd(),
      judged(defaults.connectionEvalWindows, 290, { serviceP50Ms: 100 }),
    );
    expect(last(results).decision.reason).toBe('server-bound');
    expect(last(results).decision.connections).toBe(1);
  });
});
