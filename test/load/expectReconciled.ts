import { expect } from '@jest/globals';
import type { LoadRun } from '../../src/load/runLoad.js';

/** The reconciliation every run must satisfy, between its result, the client and the schedule. */
export function expectReconciled(run: LoadRun, sent: number): void {
  const r = run.result;
  expect(r.submitted).toBe(sent);
  expect(r.succeeded + r.rejected + r.timedOut + r.failed).toBe(r.submitted);
  expect(run.client).toMatchObject({
    submitted: r.submitted,
    succeeded: r.succeeded,
    rejected: r.rejected,
    timedOut: r.timedOut,
    failed: r.failed,
    cancelledOnWire: r.cancelledOnWire,
    inFlight: 0,
    queued: 0,
  });
  expect(run.generator.sent).toBe(sent);
}
