import { describe, expect, it } from '@jest/globals';
import {
  defaultControllerOptions as defaults,
  resolveControllerOptions,
} from '../../src/core/controllerOptions.js';
import type { ControlWindow } from '../../src/core/controlWindow.js';
import { step } from '../../src/core/step.js';
import { avoidanceState, congestionOf, makeWindow } from './fixtures.js';

/**
 * Slots are the bottleneck: 95 of 100 streams busy on one connection, the
 * queue wait building (200 ms, above 0.25 × the 500 ms target but under it),
 * 3000 req/s offered, 1900 req/s completing, latency at its 50 ms baseline.
 */
const slotBound = (overrides: Partial<ControlWindow> = {}): ControlWindow =>
  makeWindow({
    offered: 300,
    completed: 190,
    slotsInUseMean: 95,
    slotsTotal: 100,
    queueWaitP50Ms: 150,
    queueWaitP99Ms: 200,
    queueWaitMaxMs: 220,
    ...overrides,
  });

describe('step: adding connections', () => {
  it('adds a connection sized by Little’s law when slots are full and a queue builds', () => {
    // 3000 req/s × 0.05 s × 1.1 headroom = 165 streams = 2 connections of 100 slots.
    const r = step(avoidanceState(), slotBound(), defaults);
    expect(r.decision.connections).toBe(2);
    expect(r.decision.reason).toBe('add-connection');
    expect(r.decision.pathState).toBe('stream-bound');
    // The add goes on trial against what the path carried just before it.
    expect(r.state.addTrial?.connectionsBefore).toBe(1);
    expect(r.state.addTrial?.throughputBeforeTps).toBeGreaterThan(0);
    expect(r.state.windowsSinceConnectionChange).toBe(0);
  });

  it('adds a connection when flow-control windows stall while slots are free', () => {
    const r = step(avoidanceState(), slotBound({ slotsInUseMean: 40, windowStalls: 12 }), defaults);
    expect(r.decision.reason).toBe('add-connection');
    expect(r.decision.pathState).toBe('window-bound');
    expect(r.decision.connections).toBe(2);
  });

  it('at most doubles the connections in one step, however large the need', () => {
    // 20,000 req/s × 0.05 s × 1.1 = 1100 streams = 11 connections; from 2 it goes to 4.
    const state = avoidanceState({ connections: 2 });
    const r = step(
      state,
      slotBound({ offered: 2000, connections: 2, slotsTotal: 200, slotsInUseMean: 190 }),
      defaults,
    );
    expect(r.decision.connections).toBe(4);
  });

  it('never goes past maxConnections', () => {
    const state = avoidanceState({ connections: 6 });
    const wide = slotBound({ offered: 5000, connections: 6, slotsTotal: 600, slotsInUseMean: 590 });
    expect(step(state, wide, defaults).decision.connections).toBe(defaults.maxConnections);
    const atMax = avoidanceState({ connections: 8 });
    const r = step(
      atMax,
      { ...wide, connections: 8, slotsTotal: 800, slotsInUseMean: 790 },
      defaults,
    );
    expect(r.decision.connections).toBe(8);
    expect(r.decision.reason).not.toBe('add-connection');
  });

  it('honours a configured maxConnections', () => {
    const options = resolveControllerOptions({ maxConnections: 1 });
    const r = step(avoidanceState(), slotBound(), options);
    expect(r.decision.connections).toBe(1);
  });

  it('does not add while slots are busy but no queue builds', () => {
    const r = step(avoidanceState(), slotBound({ queueWaitP99Ms: 100 }), defaults);
    expect(r.decision.connections).toBe(1);
  });

  it('does not add while a queue builds but slots and windows have room', () => {
    const r = step(avoidanceState(), slotBound({ slotsInUseMean: 60 }), defaults);
    expect(r.decision.connections).toBe(1);
  });

  it('does not add in a window with a congestion signal', () => {
    const r = step(
      avoidanceState(),
      slotBound({ congestion: congestionOf('refusedStream') }),
      defaults,
    );
    expect(r.decision.connections).toBe(1);
  });

  it('waits connectionEvalWindows after a change before adding again', () => {
    const early = avoidanceState({ windowsSinceConnectionChange: 3 });
    expect(step(early, slotBound(), defaults).decision.connections).toBe(1);
    const due = avoidanceState({ windowsSinceConnectionChange: 4 });
    expect(step(due, slotBound(), defaults).decision.connections).toBe(2);
  });

  it('does not add while service latency rises with the load', () => {
    // 95 streams in flight against a smoothed 60, throughput flat at 1900 req/s, p50 100 ms against
    // a 50 ms baseline: the server slows down as it is given more, so another connection would not help.
    const r = step(
      avoidanceState({ throughputTps: 1900, inFlightMean: 60 }),
      slotBound({ serviceP50Ms: 100 }),
      defaults,
    );
    expect(r.decision.connections).toBe(1);
    expect(r.decision.reason).not.toBe('add-connection');
  });

  it('adds during a latency spike: latency up while throughput falls', () => {
    // Service p50 ×5 (250 ms) and throughput down from a smoothed 3000 to 1900 req/s: one
    // connection's slots now carry less, and a second one carries more (the experiment judges it).
    const r = step(
      avoidanceState({ throughputTps: 3000 }),
      slotBound({ serviceP50Ms: 250 }),
      defaults,
    );
    expect(r.decision.reason).toBe('add-connection');
    expect(r.decision.connections).toBeGreaterThan(1);
  });

  it('adds when flow-control stalls explain a latency rise (window-bound)', () => {
    const r = step(avoidanceState(), slotBound({ serviceP50Ms: 100, windowStalls: 20 }), defaults);
    expect(r.decision.reason).toBe('add-connection');
  });
});
