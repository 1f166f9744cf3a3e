import { expect, test } from '@jest/globals';
import { describeFleet, runFleet100 } from './fleet100.js';

/**
 * Issue 6 §3, fleets, in the simulator: 100 independent clients, each with
 * its own controller, its own connections and no coordination, offer
 * 75 req/s each (7,500 in all) to one server that completes 5,000 req/s
 * (250 workers at 50 ms): a fair share is 50 req/s. Shortened here to 15 s (10 s of steady state
 * after the 5 s warm-up); fleet100.long.test.ts runs the full 60 s, and
 * `h2flow simulate simulations/fleet-100.json` shows it.
 */
test('100 uncoordinated clients: fair shares (Jain ≥ 0.95), ≥ 0.95 × capacity, no wire cancellations', () => {
  const run = runFleet100(15);
  try {
    expect(run.clientGoodputTps).toHaveLength(100);
    expect(run.capacityTps).toBe(5000);
    expect(run.jainIndex).toBeGreaterThanOrEqual(0.95);
    expect(run.total.goodputTps).toBeGreaterThanOrEqual(0.95 * run.capacityTps);
    expect(run.total.cancelledOnWire).toBe(0);
    expect(run.server.rstReceived.CANCEL ?? 0).toBe(0);
    expect(run.total.submitted).toBe(
      run.total.succeeded + run.total.rejected + run.total.timedOut + run.total.failed,
    );
  } catch (error) {
    process.stderr.write(`${describeFleet(run)}\n`);
    throw error;
  }
}, 120_000);
