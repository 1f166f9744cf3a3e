import { describe, expect, it } from '@jest/globals';
import type { H2flowError } from '../../src/errors/H2flowError.js';
import { Limiter } from '../../src/limiter/Limiter.js';
import type { LimiterOptions } from '../../src/limiter/limiterOptions.js';
import { HeapScheduler } from '../../src/sim/heapScheduler.js';
import { slotPool } from './slotPool.js';

/**
 * A limiter in front of 10 slots whose every stream is answered after
 * `serviceMs` (which the test changes), on a virtual clock; arrivals are
 * offered by the test.
 */
function setup(options: Partial<LimiterOptions> = {}) {
  const scheduler = new HeapScheduler();
  const state = { slots: 10, open: 0, serviceMs: 50 };
  const limiter = new Limiter(
    slotPool(scheduler, state),
    { timeoutMs: 1000, ...options },
    scheduler,
  );
  const errors: H2flowError[] = [];
  let succeeded = 0;
  const acquire = (signal?: AbortSignal) =>
    limiter.acquire<string>(
      { signal },
      {
        onGrant(permit) {
          state.open++;
          permit.sent();
          scheduler.postAfter(
            state.serviceMs,
            () => {
              state.open--;
              permit.respond(200, 'ok');
              limiter.capacityChanged();
            },
            undefined,
          );
        },
        onSettle(error) {
          if (error) errors.push(error);
          else succeeded++;
        },
      },
    );
  /** Offers `tps` arrivals per second from now until `untilMs`, then runs the clock there. */
  const offer = (tps: number, untilMs: number) => {
    for (let at = scheduler.now(); at < untilMs; at += 1000 / tps) {
      scheduler.postAfter(at - scheduler.now(), () => acquire(), undefined);
    }
    scheduler.run(untilMs);
  };
  const reconciles = () => {
    const s = limiter.stats();
    expect(s.submitted).toBe(
      s.succeeded + s.rejected + s.timedOut + s.failed + s.inFlight + s.queued,
    );
  };
  return { scheduler, state, limiter, errors, acquire, offer, reconciles, ok: () => succeeded };
}

describe('Limiter: standby through a latency transient', () => {
  it('holds what admission would shed while latency is 10 ×, serves it when it is back, newest first', () => {
    const t = setup();
    t.offer(100, 2000); // 10 slots ÷ 50 ms = 200/s: healthy, the baseline is learned
    expect(t.errors).toEqual([]);
    t.state.serviceMs = 500; // 20/s now
    t.offer(100, 3000);
    const during = t.limiter.stats();
    expect(during.queued).toBeGreaterThan(20); // far more than admission's 100 ms of queue
    expect(during.timedOut).toBe(0);
    t.state.serviceMs = 50;
    t.offer(100, 5000);
    t.scheduler.run(10_000);
    const s = t.limiter.stats();
    expect(s.timedOut).toBe(0);
    expect(s.cancelledOnWire).toBe(0);
    // What could still finish when the latency came back was carried; the rest lapsed unsent.
    expect(s.succeeded).toBeGreaterThan(400);
    expect(t.errors.every((e) => e.code === 'H2FLOW_OVERLOAD')).toBe(true);
    expect(s.queued + s.inFlight).toBe(0);
    t.reconciles();
  });

  it('sheds at once instead with standby: false, and carries less', () => {
    const held = setup();
    const shed = setup({ standby: false });
    for (const t of [held, shed]) {
      t.offer(100, 2000);
      t.state.serviceMs = 500;
      t.offer(100, 3000);
      t.state.serviceMs = 50;
      t.offer(100, 5000);
      t.scheduler.run(10_000);
      t.reconciles();
    }
    expect(shed.limiter.stats().queued).toBe(0);
    expect(shed.ok()).toBeLessThan(held.ok());
  });

  it('abort on standby: AbortedError at once, never granted; close waits for what is held', async () => {
    const t = setup();
    t.offer(100, 2000);
    t.state.serviceMs = 500;
    t.offer(100, 3500);
    const abort = new AbortController();
    const before = t.limiter.stats();
    t.acquire(abort.signal);
    expect(t.limiter.stats().queued).toBe(before.queued + 1);
    abort.abort();
    expect(t.errors.at(-1)).toMatchObject({ code: 'H2FLOW_ABORTED', cancelledOnWire: false });
    expect(t.limiter.stats().queued).toBe(before.queued);
    t.reconciles();
    const closed = t.limiter.close();
    t.scheduler.run(10_000);
    await closed;
    expect(t.limiter.stats()).toMatchObject({ queued: 0, inFlight: 0, timedOut: 0 });
    t.reconciles();
  });
});
