import { expect } from '@jest/globals';
import { VirtualTimeScheduler } from 'rxjs';
import type { H2flowError } from '../../src/errors/H2flowError.js';
import { Limiter, type LimiterPool } from '../../src/limiter/Limiter.js';
import type { LimiterOptions } from '../../src/limiter/limiterOptions.js';
import type { Permit } from '../../src/limiter/permit.js';
import { slotPool } from './slotPool.js';

/** A pool with `slots` slots, a virtual clock, and a record of what the limiter did. */
export function setup(options: Partial<LimiterOptions> = {}, pool: Partial<LimiterPool> = {}) {
  const scheduler = new VirtualTimeScheduler(undefined, 60_000);
  const state = { slots: 1, open: 0 };
  const limiter = new Limiter(
    { ...slotPool(scheduler, state), ...pool },
    { timeoutMs: 1000, ...options },
    scheduler,
  );
  const grants: Permit<string>[] = [];
  const settled: { id: number; error: H2flowError | undefined; value: string | undefined }[] = [];
  const cancels: number[] = [];
  let nextId = 0;
  /** Acquires; a grant opens a stream (one slot) and records the permit. */
  const acquire = (signal?: AbortSignal) => {
    const id = nextId++;
    limiter.acquire<string>(
      { signal },
      {
        onGrant(permit) {
          state.open++;
          grants.push(permit);
          permit.onCancel = () => cancels.push(permit.id);
        },
        onSettle: (error, value) => settled.push({ id, error, value }),
      },
    );
    return id;
  };
  /** The stream of `permit` ends: the slot frees, and the limiter hears of it. */
  const end = (permit: Permit<string>, how: (p: Permit<string>) => void) => {
    state.open--;
    how(permit);
    limiter.capacityChanged();
  };
  const reconciles = () => {
    const s = limiter.stats();
    expect(s.submitted).toBe(
      s.succeeded + s.rejected + s.timedOut + s.failed + s.inFlight + s.queued,
    );
  };
  return { scheduler, state, limiter, grants, settled, cancels, acquire, end, reconciles };
}
