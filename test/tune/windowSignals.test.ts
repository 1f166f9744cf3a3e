import { describe, expect, test } from '@jest/globals';
import { defaultControllerOptions as o } from '../../src/core/controllerOptions.js';
import { windowSignals } from '../../src/tune/windowSignals.js';
import { congestionOf, makeWindow } from '../core/fixtures.js';

// With the default 5 s budget the queue target is 500 ms and "building" starts above 125 ms.
const building = 130;

describe('windowSignals', () => {
  test('a healthy window is not at the knee', () => {
    const s = windowSignals(makeWindow(), 50, o);
    expect(s.completedTps).toBe(1000);
    expect(s.utilization).toBe(0.5);
    expect(s.saturated).toBe(false);
    expect(s.bound).toBeUndefined();
    expect(s.congestion).toBeUndefined();
  });

  test('a queue building behind full slots is the stream bound', () => {
    const s = windowSignals(makeWindow({ slotsInUseMean: 90, queueWaitP99Ms: building }), 50, o);
    expect(s).toMatchObject({
      slotsFull: true,
      queueBuilding: true,
      saturated: true,
      bound: 'stream',
    });
  });

  test('full slots without a building queue, or a queue without full slots, are not the knee', () => {
    expect(
      windowSignals(makeWindow({ slotsInUseMean: 100, queueWaitP99Ms: 120 }), 50, o).saturated,
    ).toBe(false);
    expect(
      windowSignals(makeWindow({ slotsInUseMean: 80, queueWaitP99Ms: 400 }), 50, o).saturated,
    ).toBe(false);
  });

  test('a building queue behind stalled flow-control windows, slots not full, is the window bound', () => {
    const s = windowSignals(makeWindow({ windowStalls: 3, queueWaitP99Ms: building }), 50, o);
    expect(s.bound).toBe('window');
  });

  test('a service p50 more than 50% over the baseline is the server bound, whatever the slots do', () => {
    expect(windowSignals(makeWindow({ serviceP50Ms: 76 }), 50, o).bound).toBe('server');
    expect(
      windowSignals(
        makeWindow({ serviceP50Ms: 76, slotsInUseMean: 100, queueWaitP99Ms: 300 }),
        50,
        o,
      ).bound,
    ).toBe('server');
    expect(windowSignals(makeWindow({ serviceP50Ms: 75 }), 50, o).latencyRising).toBe(false);
    // No baseline yet, or no completions: nothing to compare.
    expect(windowSignals(makeWindow({ serviceP50Ms: 500 }), 0, o).latencyRising).toBe(false);
    expect(
      windowSignals(makeWindow({ serviceP50Ms: 500, completed: 0 }), 50, o).latencyRising,
    ).toBe(false);
  });

  test('reports the most specific congestion kind and the count of all kinds', () => {
    const s = windowSignals(
      makeWindow({ congestion: { ...congestionOf('timeout', 2), refusedStream: 1 } }),
      50,
      o,
    );
    expect(s.congestion).toBe('refusedStream');
    expect(s.congestionCount).toBe(3);
  });

  test('the queue thresholds scale with the budget', () => {
    const short = { ...o, timeoutMs: 1000 }; // target 100 ms, building above 25 ms
    expect(
      windowSignals(makeWindow({ slotsInUseMean: 90, queueWaitP99Ms: 30 }), 50, short).bound,
    ).toBe('stream');
    expect(
      windowSignals(makeWindow({ slotsInUseMean: 90, queueWaitP99Ms: 30 }), 50, o).bound,
    ).toBeUndefined();
  });
});
