import { describe, expect, it } from '@jest/globals';
import {
  defaultControllerOptions as defaults,
  resolveControllerOptions,
} from '../../src/core/controllerOptions.js';
import type { ControlWindow } from '../../src/core/controlWindow.js';
import { avoidanceState, last, makeWindow, run } from './fixtures.js';

/** `count` windows with `connections` sessions of 100 slots, `utilization` of them busy, no queue. */
const quiet = (count: number, connections: number, utilization = 0.1): ControlWindow[] =>
  Array.from({ length: count }, (_, i) =>
    makeWindow({
      endMs: 1000 + i * 100,
      connections,
      slotsTotal: connections * 100,
      slotsInUseMean: connections * 100 * utilization,
      queueWaitP99Ms: 1,
    }),
  );

describe('step: draining connections', () => {
  it('drains one connection after drainAfterWindows idle windows', () => {
    const results = run(avoidanceState({ connections: 3 }), quiet(defaults.drainAfterWindows, 3));
    expect(results.slice(0, -1).every((r) => r.decision.connections === 3)).toBe(true);
    expect(last(results).decision.connections).toBe(2);
    expect(last(results).decision.reason).toBe('drain-connection');
    expect(last(results).state.idleWindows).toBe(0);
  });

  it('needs the idle windows to be consecutive (hysteresis)', () => {
    const busy = makeWindow({ connections: 3, slotsTotal: 300, slotsInUseMean: 150 });
    const windows = [
      ...quiet(defaults.drainAfterWindows - 1, 3),
      busy,
      ...quiet(defaults.drainAfterWindows - 1, 3),
    ];
    const results = run(avoidanceState({ connections: 3 }), windows);
    expect(results.every((r) => r.decision.connections === 3)).toBe(true);
  });

  it('does not count a window with a building queue as idle', () => {
    const windows = quiet(defaults.drainAfterWindows, 3).map((w) => ({
      ...w,
      queueWaitP99Ms: 200,
    }));
    const results = run(avoidanceState({ connections: 3 }), windows);
    expect(last(results).decision.connections).toBe(3);
  });

  it('never drains below minConnections', () => {
    const options = resolveControllerOptions({ minConnections: 2, initialConnections: 2 });
    const results = run(avoidanceState({ connections: 3 }), quiet(500, 3), options);
    expect(Math.min(...results.map((r) => r.decision.connections))).toBe(2);
    expect(last(results).decision.connections).toBe(2);
    const drains = results.filter((r) => r.decision.reason === 'drain-connection');
    expect(drains).toHaveLength(1);
  });

  it('drains one connection at a time, down to minConnections', () => {
    const results = run(
      avoidanceState({ connections: 4 }),
      quiet(4 * defaults.drainAfterWindows, 4),
    );
    const after = results.map((r) => r.decision.connections);
    expect(after[defaults.drainAfterWindows - 1]).toBe(3);
    expect(after[2 * defaults.drainAfterWindows - 1]).toBe(2);
    expect(after[3 * defaults.drainAfterWindows - 1]).toBe(1);
    expect(last(results).decision.connections).toBe(defaults.minConnections);
  });

  it('keeps a connection whose removal would push the rest near the high-utilization mark', () => {
    // Low mark raised to 0.6: 2 connections at 50% would become 1 at 100%.
    const options = resolveControllerOptions({ lowUtilizationFraction: 0.6 });
    const results = run(avoidanceState({ connections: 2 }), quiet(200, 2, 0.5), options);
    expect(results.every((r) => r.decision.connections === 2)).toBe(true);
  });
});
