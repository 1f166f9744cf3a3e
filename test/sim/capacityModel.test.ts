import { describe, expect, it } from '@jest/globals';
import { capacityLimitsAt, steadyCapacity } from '../../src/sim/capacityModel.js';
import { loadScenario } from '../../src/sim/loadScenario.js';

const load = (name: string) => loadScenario(`simulations/${name}.json`);

describe('capacity model', () => {
  it('seed-52845: one connection carries 100 streams / (50 ms + 1 ms RTT)', () => {
    const s = load('seed-52845-cap1');
    const l = capacityLimitsAt(s, 30, 1);
    expect(l.streamLifetimeMs).toBe(51);
    expect(l.streamLimitTps).toBeCloseTo(100_000 / 51, 9);
    expect(steadyCapacity(s, 1, 60).totalTps).toBeCloseTo(1960.78, 2);
    // With eight connections the offer binds.
    expect(steadyCapacity(s, 8, 60).totalTps).toBeCloseTo(3000, 6);
  });

  it('server-saturation: 200 workers ÷ 50 ms bind whatever the connections', () => {
    const s = load('server-saturation');
    expect(capacityLimitsAt(s, 30, 16).serverLimitTps).toBe(4000);
    expect(steadyCapacity(s, 16, 60).totalTps).toBeCloseTo(4000, 6);
    expect(steadyCapacity(s, 1, 60).totalTps).toBeCloseTo(100_000 / 51, 6);
  });

  it('averages over the measured span (after warm-up): step is 25 s at 1,000 then 30 s at 6,000', () => {
    const s = load('step');
    expect(steadyCapacity(s, 8, 60).totalTps).toBeCloseTo((25 * 1000 + 30 * 6000) / 55, 6);
  });

  it('settings-shrink: 10 streams from 20 s to 40 s', () => {
    const s = load('settings-shrink');
    const during = (8 * 10 * 1000) / 51;
    expect(capacityLimitsAt(s, 30, 8).streamLimitTps).toBeCloseTo(during, 9);
    expect(steadyCapacity(s, 8, 60).totalTps).toBeCloseTo((35 * 3000 + 20 * during) / 55, 3);
  });

  it('latency-spike: the factor scales the lifetime; eight connections still carry the offer', () => {
    const s = load('latency-spike');
    expect(capacityLimitsAt(s, 30, 8).streamLifetimeMs).toBe(251);
    expect(steadyCapacity(s, 8, 60).totalTps).toBeCloseTo(2000, 6);
    expect(steadyCapacity(s, 2, 60).totalTps).toBeCloseTo(
      (35 * 2000 + 20 * ((2 * 100_000) / 251)) / 55,
      3,
    );
  });

  it('flow-control: the link binds at bandwidth ÷ bytes of a 1 MiB response on the wire', () => {
    const s = load('flow-control');
    const wire = 1_048_576 + 20 + 9 + 64 * 9;
    const l = capacityLimitsAt(s, 30, 8);
    expect(l.bandwidthLimitTps).toBeCloseTo(104_857_600 / wire, 9);
    // 64 KiB per 2 ms round trip per connection.
    expect(l.windowLimitTps).toBeCloseTo((8 * 65_535 * 500) / 1_048_576, 9);
    expect(steadyCapacity(s, 8, 60).totalTps).toBeCloseTo(104_857_600 / wire, 6);
    expect(steadyCapacity(s, 2, 60).totalTps).toBeCloseTo((2 * 65_535 * 500) / 1_048_576, 6);
  });

  it('fleet: the server is shared max-min fairly between identical clients', () => {
    const s = load('fleet');
    const c = steadyCapacity(s, 8, 60);
    expect(c.perClientTps).toBeCloseTo(10_000 / 20, 6);
    expect(c.totalTps).toBeCloseTo(10_000, 6);
  });

  it('ramp: the average offer over 5..60 s', () => {
    const s = load('ramp');
    // ∫ 200 t dt from 5 to 60, over 55 s.
    expect(steadyCapacity(s, 8, 60).totalTps).toBeCloseTo((100 * (60 ** 2 - 5 ** 2)) / 55, 3);
  });
});
