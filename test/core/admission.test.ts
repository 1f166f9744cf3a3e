import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { AdmissionInput } from '../../src/core/admission.js';
import { admit } from '../../src/core/admission.js';
import { uniformArb } from './arbitraries.js';

/** An empty queue draining 1000 req/s, 50 ms service p99, a 5 s budget and a 750 ms wait limit. */
const input = (overrides: Partial<AdmissionInput> = {}): AdmissionInput => ({
  remainingBudgetMs: 5000,
  queueLength: 0,
  maxQueueLength: 1000,
  drainRateTps: 1000,
  serviceP99Ms: 50,
  maxQueueWaitMs: 750,
  ...overrides,
});

describe('admission', () => {
  it('admits when the queue is empty, predicting no wait', () => {
    expect(admit(input())).toEqual({ admit: true, predictedWaitMs: 0 });
  });

  it('predicts the wait as queue length over drain rate', () => {
    // 200 ahead at 1000 req/s: 200 ms.
    expect(admit(input({ queueLength: 200 }))).toEqual({ admit: true, predictedWaitMs: 200 });
  });

  it('rejects with queue-full at the queue bound', () => {
    const v = admit(input({ queueLength: 10, maxQueueLength: 10 }));
    expect(v).toEqual({ admit: false, reason: 'queue-full', predictedWaitMs: 10 });
    expect(admit(input({ queueLength: 9, maxQueueLength: 10 })).admit).toBe(true);
  });

  it('rejects with queue-wait when the predicted wait passes the limit', () => {
    expect(admit(input({ queueLength: 751 }))).toEqual({
      admit: false,
      reason: 'queue-wait',
      predictedWaitMs: 751,
    });
    expect(admit(input({ queueLength: 750 })).admit).toBe(true);
  });

  it('rejects with deadline when wait plus service p99 would not fit the remaining budget', () => {
    // 300 ms wait + 50 ms service > 349 ms left.
    expect(admit(input({ queueLength: 300, remainingBudgetMs: 349 }))).toEqual({
      admit: false,
      reason: 'deadline',
      predictedWaitMs: 300,
    });
    expect(admit(input({ queueLength: 300, remainingBudgetMs: 350 })).admit).toBe(true);
  });

  it('rejects a request whose budget is already spent', () => {
    const v = admit(input({ remainingBudgetMs: -1, serviceP99Ms: 0 }));
    expect(v.admit).toBe(false);
    expect(v.admit === false && v.reason).toBe('deadline');
  });

  it('treats a queue that does not drain as an infinite wait', () => {
    const v = admit(input({ queueLength: 1, drainRateTps: 0 }));
    expect(v).toEqual({ admit: false, reason: 'queue-wait', predictedWaitMs: Infinity });
    expect(admit(input({ queueLength: 1, drainRateTps: Number.NaN })).admit).toBe(false);
  });

  it('admits into an empty queue even when nothing drains yet', () => {
    expect(admit(input({ drainRateTps: 0 })).admit).toBe(true);
  });

  it('treats an unknown (0) or negative service p99 as no service time', () => {
    expect(admit(input({ remainingBudgetMs: 10, serviceP99Ms: 0 })).admit).toBe(true);
    expect(admit(input({ remainingBudgetMs: 10, serviceP99Ms: -500 })).admit).toBe(true);
  });

  it('checks queue-full before the wait and the deadline', () => {
    const v = admit(input({ queueLength: 5000, maxQueueLength: 10, remainingBudgetMs: 0 }));
    expect(v.admit === false && v.reason).toBe('queue-full');
  });

  it('only admits what can fit: bound, wait limit and budget all hold', () => {
    const finite = (min: number, max: number) => fc.oneof(fc.constant(0), uniformArb(min, max));
    fc.assert(
      fc.property(
        finite(-1000, 10_000),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        finite(0, 100_000),
        finite(-10, 5000),
        finite(0, 10_000),
        (remainingBudgetMs, queueLength, maxQueueLength, drainRateTps, serviceP99Ms, maxWaitMs) => {
          const v = admit({
            remainingBudgetMs,
            queueLength,
            maxQueueLength,
            drainRateTps,
            serviceP99Ms,
            maxQueueWaitMs: maxWaitMs,
          });
          if (v.admit) {
            expect(queueLength).toBeLessThan(maxQueueLength);
            expect(v.predictedWaitMs).toBeLessThanOrEqual(maxWaitMs);
            expect(v.predictedWaitMs + Math.max(0, serviceP99Ms)).toBeLessThanOrEqual(
              remainingBudgetMs,
            );
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
