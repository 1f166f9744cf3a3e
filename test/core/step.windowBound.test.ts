import { describe, expect, it } from '@jest/globals';
import { defaultControllerOptions as defaults } from '../../src/core/controllerOptions.js';
import type { ControllerState } from '../../src/core/controllerState.js';
import type { ControlWindow } from '../../src/core/controlWindow.js';
import { step } from '../../src/core/step.js';
import { avoidanceState, last, makeWindow, run } from './fixtures.js';

/**
 * A window-bound path (flow-control.json): large bodies through 64 KiB windows. Every request
 * stalls on a window, the slots are mostly free and the client's queue is empty; what queues is
 * the streams sharing the windows, so it shows as service latency above the unloaded baseline.
 * Here: 150 req/s offered, 100 completing, 3 streams in flight on one connection, 50 ms baseline.
 */
const windowBound = (overrides: Partial<ControlWindow> = {}): ControlWindow =>
  makeWindow({
    offered: 15,
    admitted: 15,
    completed: 10,
    queueWaitP50Ms: 0,
    queueWaitP99Ms: 0,
    queueWaitMaxMs: 0,
    serviceP50Ms: 60,
    serviceP99Ms: 90,
    slotsInUseMean: 3,
    slotsTotal: 100,
    windowStalls: 10,
    ...overrides,
  });

/** Settled on that path: rate 200 req/s, 100 req/s delivered, the 50 ms baseline known. */
const settled = (overrides: Partial<ControllerState> = {}): ControllerState =>
  avoidanceState({
    rateTps: 200,
    throughputTps: 100,
    baselineServiceMs: 50,
    inFlightMean: 3,
    ...overrides,
  });

describe('step: window-bound paths', () => {
  it('counts latency above the baseline as queue wait when windows stall, and adds a connection', () => {
    // p50 250 ms against a 50 ms baseline: 200 ms of waiting for credit, past the 125 ms "building" mark.
    const stalled = step(settled(), windowBound({ serviceP50Ms: 250 }), defaults);
    expect(stalled.decision.reason).toBe('add-connection');
    expect(stalled.decision.pathState).toBe('window-bound');
    expect(stalled.decision.connections).toBe(2);
    // The same latency without a stall is no queue: the rate keeps growing.
    const unstalled = step(
      settled(),
      windowBound({ serviceP50Ms: 250, windowStalls: 0 }),
      defaults,
    );
    expect(unstalled.decision.reason).toBe('open');
    expect(unstalled.decision.connections).toBe(1);
  });

  it('sees the windows queue from the streams in flight before their completions report it', () => {
    // Completions still report 60 ms, but 80 streams in flight at 100 req/s is 800 ms by Little's law.
    const r = step(settled(), windowBound({ slotsInUseMean: 80 }), defaults);
    expect(r.decision.reason).toBe('add-connection');
    expect(r.decision.rateTps).toBeLessThan(200);
    // A window with no completion bounds the latency as one would: never a gentler verdict.
    const none = step(settled(), windowBound({ slotsInUseMean: 80, completed: 0 }), defaults);
    expect(none.decision.rateTps).toBeLessThanOrEqual(r.decision.rateTps);
  });

  it('cuts when the windows queue passes its target, even while an add is judged', () => {
    // 800 ms p50 against 50 ms: 750 ms of window wait, over the 500 ms target.
    const judging = settled({
      connections: 2,
      addTrial: {
        throughputBeforeTps: 100,
        serviceBeforeMs: 60,
        connectionsBefore: 1,
        windows: 0,
        completed: 0,
        ms: 0,
      },
      windowsSinceConnectionChange: 1,
    });
    const r = step(
      judging,
      windowBound({ serviceP50Ms: 800, connections: 2, slotsTotal: 200 }),
      defaults,
    );
    expect(r.decision.reason).toBe('queue-over-target');
    expect(r.decision.rateTps).toBeCloseTo(0.9 * 100, 9);
    // The hold is one window wait, at most the target, so the next cut can come once it is over.
    expect(r.state.decreaseHoldUntilMs).toBe(1000 + 500);
  });

  it('does not cut while the streams in flight are already falling (the windows queue drains)', () => {
    const r = step(
      settled({ inFlightMean: 10 }),
      windowBound({ serviceP50Ms: 800, slotsInUseMean: 3 }),
      defaults,
    );
    expect(r.decision.reason).not.toBe('queue-over-target');
    expect(r.decision.limiting).toBe(false);
  });

  it('keeps an enforced rate within 25%, or one probe step, of what the windows deliver', () => {
    // An episode regrowing from 400 to 600 req/s, 50 ms into a 1 s recovery: the curve gives 428.5.
    const episode = { startTps: 400, peakTps: 600, regrowFromMs: 950 };
    const state = settled({ rateTps: 400, goodTps: 100, episode });
    const curveTps = 600 - 200 * 0.95 ** 3;
    const open = windowBound({ offered: 30, admitted: 30, windowStalls: 0 });
    expect(step(state, open, defaults).decision.rateTps).toBeCloseTo(curveTps, 9);
    // With stalls the excess would queue on the wire: 100 + max(25% of 100, a step of 600 × 0.1) = 160.
    const stalled = step(state, { ...open, windowStalls: 10 }, defaults);
    expect(stalled.decision.rateTps).toBeCloseTo(160, 9);
    // Far below, one probe step still lets it climb back: 10 delivered + 60.
    const low = step(
      settled({ rateTps: 200, throughputTps: 10, goodTps: 100, episode }),
      windowBound({ offered: 30, completed: 1 }),
      defaults,
    );
    expect(low.decision.rateTps).toBeGreaterThan(1.25 * 10);
  });

  it('sizes a window-bound add by the throughput each connection delivers, not by slots', () => {
    // Two connections deliver 50 req/s (25 each) of the 150 offered, their 200 slots 10% used:
    // 150 × 1.1 ÷ 25 = 7 connections wanted, at most a doubling per step. Slots would ask for 3.
    const r = step(
      settled({ connections: 2, throughputTps: 50 }),
      windowBound({
        completed: 5,
        serviceP50Ms: 250,
        slotsInUseMean: 20,
        slotsTotal: 200,
        connections: 2,
      }),
      defaults,
    );
    expect(r.decision.reason).toBe('add-connection');
    expect(r.decision.connections).toBe(4);
  });

  it('sets the bar for a window-bound add no higher than the smoothed throughput', () => {
    // Streams sharing a window finish in bunches: 30 completions in this window (300 req/s) are a
    // bunch, not what one connection carries (100 req/s).
    const r = step(settled(), windowBound({ serviceP50Ms: 250, completed: 30 }), defaults);
    expect(r.decision.reason).toBe('add-connection');
    expect(r.state.addTrial?.throughputBeforeTps).toBeLessThan(300);
    expect(r.state.addTrial?.throughputBeforeTps).toBeCloseTo(100 + (300 - 100) * 0.3, 9);
  });

  it('keeps a window-bound add as soon as its throughput shows the gain', () => {
    const after = step(settled(), windowBound({ serviceP50Ms: 250 }), defaults).state;
    expect(after.addTrial?.throughputBeforeTps).toBeCloseTo(100, 9);
    // Two connections deliver 200 req/s; far fewer than the 200 completions an undo would need.
    const windows = Array.from({ length: defaults.connectionEvalWindows }, (_, i) =>
      windowBound({ endMs: 1100 + 100 * i, completed: 20, connections: 2, slotsTotal: 200 }),
    );
    const results = run(after, windows);
    const verdict = last(results);
    expect(verdict.state.addTrial).toBeUndefined();
    expect(verdict.decision.connections).toBe(2);
    expect(verdict.decision.pathState).not.toBe('server-bound');
  });

  it('does not let the baseline rise while the windows queue is building', () => {
    const r = step(settled(), windowBound({ serviceP50Ms: 250 }), defaults);
    expect(r.state.baselineServiceMs).toBe(50);
    // Without stalls the same latency nudges the baseline up by baselineRiseFraction of the gap.
    const open = step(settled(), windowBound({ serviceP50Ms: 250, windowStalls: 0 }), defaults);
    expect(open.state.baselineServiceMs).toBeCloseTo(50 + 200 * defaults.baselineRiseFraction, 9);
  });
});

describe('step: judging an add', () => {
  /** Slots full and a queue building: 3000 req/s offered, 1900 completing on one connection. */
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
  const judged = (from: number, count: number, completed: number): ControlWindow[] =>
    Array.from({ length: count }, (_, i) =>
      slotBound(from + 100 * i, {
        completed,
        connections: 2,
        slotsTotal: 200,
        slotsInUseMean: 190,
      }),
    );
  const afterAdd = (rateTps: number): ControllerState => {
    // An episode whose retry-after still holds the enforced rate where it is.
    const episode = { startTps: rateTps, peakTps: rateTps, regrowFromMs: 60_000 };
    const r = step(avoidanceState({ rateTps, episode }), slotBound(1000), defaults);
    expect(r.decision.reason).toBe('add-connection');
    return r.state;
  };

  it('counts only windows whose rate could carry the gain, and judges the rest after a patience', () => {
    // The rate holds at 1000 req/s (a queue builds) while the add must show 1995: the bucket, not the
    // path, caps completions, so five flat windows are no verdict.
    const held = run(afterAdd(1000), judged(1100, defaults.connectionEvalWindows, 190));
    expect(last(held).state.addTrial?.throughputBeforeTps).toBeGreaterThan(0);
    expect(held.every((r) => r.decision.connections === 2)).toBe(true);
    // A rate held below the gain for 4 × connectionEvalWindows was held by the path's own queue,
    // which the add did not relieve: judged then on what the path carried.
    const patience = 4 * defaults.connectionEvalWindows;
    const all = run(afterAdd(1000), judged(1100, patience, 190));
    expect(all.slice(0, -1).every((r) => r.decision.connections === 2)).toBe(true);
    expect(last(all).decision.reason).toBe('server-bound');
    expect(last(all).decision.connections).toBe(1);
    // Under a rate that lets 3000 req/s through, five windows are enough.
    const tested = run(afterAdd(3000), judged(1100, defaults.connectionEvalWindows, 190));
    expect(last(tested).decision.reason).toBe('server-bound');
    expect(last(tested).decision.connections).toBe(1);
  });

  it('does not undo an add on fewer than 200 completions', () => {
    // 300 req/s offered, 19 completing per 100 ms window: five windows hold 95 completions.
    const small = (endMs: number, completed: number, connections = 1): ControlWindow =>
      slotBound(endMs, {
        offered: 30,
        completed,
        connections,
        slotsTotal: 100 * connections,
        slotsInUseMean: 95 * connections,
      });
    const after = step(avoidanceState({ rateTps: 300 }), small(1000, 19), defaults).state;
    expect(after.addTrial?.throughputBeforeTps).toBeCloseTo(190, 9);
    const windows = Array.from({ length: 11 }, (_, i) => small(1100 + 100 * i, 19, 2));
    const results = run(after, windows);
    // No verdict on 5 windows (95 completions); the undo comes once 200 are in (11 windows, 209).
    expect(results.slice(0, 10).every((r) => r.decision.connections === 2)).toBe(true);
    expect(last(results).decision.reason).toBe('server-bound');
  });
});
