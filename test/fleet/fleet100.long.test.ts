import { expect, test } from '@jest/globals';
import { describeFleet, runFleet100 } from './fleet100.js';

/** Issue 6 §3: the full 60 s of simulations/fleet-100.json (make test-long). */
test('100 uncoordinated clients for 60 s: Jain ≥ 0.95, ≥ 0.95 × capacity, no wire cancellations, nothing timed out', () => {
  const run = runFleet100();
  try {
    expect(run.clientGoodputTps).toHaveLength(100);
    expect(run.jainIndex).toBeGreaterThanOrEqual(0.95);
    expect(run.total.goodputTps).toBeGreaterThanOrEqual(0.95 * run.capacityTps);
    expect(run.total.cancelledOnWire).toBe(0);
    expect(run.server.rstReceived.CANCEL ?? 0).toBe(0);
    expect(run.total.timedOut).toBe(0);
  } catch (error) {
    process.stderr.write(`${describeFleet(run)}\n`);
    throw error;
  }
}, 300_000);
