import { describe, expect, it } from '@jest/globals';
import type { RequestSample } from '../../src/core/sample.js';
import { RunRecorder } from '../../src/stats/runRecorder.js';

/** A request that succeeded at `atMs`, 10 ms after it was submitted. */
const success = (atMs: number): RequestSample => ({
  submittedAtMs: atMs - 10,
  dispatchedAtMs: atMs - 10,
  sentAtMs: atMs - 9,
  headersAtMs: atMs - 1,
  endAtMs: atMs,
  settledAtMs: atMs,
  outcome: 'succeeded',
  status: 200,
  retries: 0,
  cancelledOnWire: false,
  windowStalled: false,
});

/** A recorder that saw 1,000 successes per second, evenly, for `seconds`. */
function steadyRun(seconds: number): RunRecorder {
  const recorder = new RunRecorder(0);
  for (let i = 0; i < seconds * 1000; i++) recorder.settled(success(i + 0.5));
  return recorder;
}

describe('RunRecorder goodput', () => {
  it('is what was carried after a whole-second warm-up', () => {
    const r = steadyRun(3).finish({ policy: 'p', endMs: 3000, warmupS: 1, capacityTps: 0 });
    expect(r.goodputTps).toBeCloseTo(1000, 9);
  });

  it('is what was carried after a warm-up that is not a whole number of seconds', () => {
    // The steady part starts at the first whole second after the warm-up (here 1 s).
    const r = steadyRun(3).finish({ policy: 'p', endMs: 3000, warmupS: 0.5, capacityTps: 0 });
    expect(r.goodputTps).toBeCloseTo(1000, 9);
  });
});
