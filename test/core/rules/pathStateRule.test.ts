import { describe, expect, it } from '@jest/globals';
import { defaultControllerOptions as defaults } from '../../../src/core/controllerOptions.js';
import { initialControllerState } from '../../../src/core/controllerState.js';
import type { ControlWindow } from '../../../src/core/controlWindow.js';
import { pathSignals } from '../../../src/core/rules/pathSignals.js';
import { pathStateRule } from '../../../src/core/rules/pathStateRule.js';
import { makeWindow } from '../fixtures.js';

const signals = (w: Partial<ControlWindow>) =>
  pathSignals(
    { ...initialControllerState(defaults), throughputTps: 1000 },
    makeWindow(w),
    defaults,
  );

describe('pathStateRule', () => {
  it('says no-connection when no session is ready, never server-bound', () => {
    expect(pathStateRule('server-bound', signals({ connections: 0, completed: 0 }), true)).toBe(
      'no-connection',
    );
  });

  it('says demand-bound when the path carried what was offered, whatever verdict holds', () => {
    // 50 req/s offered and carried against an idle server.
    const idle = signals({ offered: 5, admitted: 5, completed: 5, slotsInUseMean: 2.5 });
    expect(idle.demandServed).toBe(true);
    expect(pathStateRule('unknown', idle, true)).toBe('demand-bound');
  });

  it('names the server while its verdict holds and demand is not served', () => {
    const shed = signals({ offered: 300, rejected: 100, admitted: 200, completed: 190 });
    expect(pathStateRule('unknown', shed, true)).toBe('server-bound');
    expect(pathStateRule('server-bound', shed, false)).toBe('unknown');
  });

  it('names full slots or windows behind a building queue', () => {
    const full = { offered: 300, completed: 190, slotsInUseMean: 95, queueWaitP99Ms: 200 };
    expect(pathStateRule('unknown', signals(full), false)).toBe('stream-bound');
    const stalled = { ...full, slotsInUseMean: 40, windowStalls: 5, serviceP50Ms: 400 };
    expect(pathStateRule('unknown', signals(stalled), false)).toBe('window-bound');
  });
});
