import { describe, expect, it } from '@jest/globals';
import { VirtualTimeScheduler } from 'rxjs';
import type { H2flowError } from '../../src/errors/H2flowError.js';
import { Limiter, type LimiterPool } from '../../src/limiter/Limiter.js';
import type { LimiterOptions } from '../../src/limiter/limiterOptions.js';
import type { Permit } from '../../src/limiter/permit.js';
import { slotPool } from './slotPool.js';

/** A pool with `slots` slots, a virtual clock, and a record of what the limiter did. */
function setup(options: Partial<LimiterOptions> = {}, pool: Partial<LimiterPool> = {}) {
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

describe('Limiter: every transition of a request', () => {
  it('grants a free slot at once and settles once on respond; a late end is ignored', () => {
    const t = setup();
    t.acquire();
    expect(t.grants).toHaveLength(1);
    const p = t.grants[0]!;
    p.sent();
    p.headers();
    t.end(p, (x) => x.respond(200, 'ok'));
    p.cancelled(true);
    p.fail({ failure: 'protocol', detail: 'late' });
    expect(t.settled).toEqual([{ id: 0, error: undefined, value: 'ok' }]);
    expect(t.limiter.stats()).toMatchObject({ succeeded: 1, inFlight: 0, queued: 0 });
    t.reconciles();
  });

  it('queues past the slots and grants in order as slots free', () => {
    const t = setup();
    t.acquire();
    t.acquire();
    expect(t.grants).toHaveLength(1);
    expect(t.limiter.stats().queued).toBe(1);
    t.end(t.grants[0]!, (p) => p.respond(200, 'a'));
    expect(t.grants).toHaveLength(2);
    t.reconciles();
  });

  it('abort while queued: AbortedError, never granted, nothing on the wire', () => {
    const t = setup();
    t.acquire();
    const abort = new AbortController();
    t.acquire(abort.signal);
    abort.abort();
    expect(t.settled).toHaveLength(1);
    expect(t.settled[0]!.error).toMatchObject({ code: 'H2FLOW_ABORTED', cancelledOnWire: false });
    t.end(t.grants[0]!, (p) => p.respond(200, 'a'));
    expect(t.grants).toHaveLength(1);
    t.reconciles();
  });

  it('abort in flight: cancels through onCancel, settles at once as cancelled on the wire', () => {
    const t = setup();
    const abort = new AbortController();
    t.acquire(abort.signal);
    abort.abort();
    expect(t.cancels).toEqual([t.grants[0]!.id]);
    expect(t.settled[0]!.error).toMatchObject({ code: 'H2FLOW_ABORTED', cancelledOnWire: true });
    expect(t.limiter.stats().cancelledOnWire).toBe(1);
    t.end(t.grants[0]!, (p) => p.cancelled(true));
    expect(t.settled).toHaveLength(1);
    t.reconciles();
  });

  it('a REFUSED_STREAM waits a backoff and is granted once more; a second refusal fails', () => {
    const t = setup({ retryBackoffMs: 50 });
    t.acquire();
    t.end(t.grants[0]!, (p) => p.retry('refused-stream', 7));
    expect(t.grants).toHaveLength(1);
    expect(t.limiter.stats()).toMatchObject({ retries: 1, queued: 1, inFlight: 0 });
    t.scheduler.maxFrames = 100;
    t.scheduler.flush();
    expect(t.grants).toHaveLength(2);
    expect(t.grants[1]).toBe(t.grants[0]);
    t.end(t.grants[1]!, (p) => p.retry('refused-stream', 7));
    expect(t.settled[0]!.error).toMatchObject({
      code: 'H2FLOW_TRANSPORT',
      failure: 'retry-exhausted',
    });
    t.reconciles();
  });

  it('a REFUSED_STREAM reported at its deadline, before its timer ran, times out: the budget ended it', () => {
    const t = setup({ timeoutMs: 100 });
    // Scheduled before the request, so at 100 it runs ahead of the deadline timer.
    t.scheduler.schedule(() => t.end(t.grants[0]!, (p) => p.retry('refused-stream', 7)), 100);
    t.acquire();
    t.scheduler.flush();
    expect(t.settled[0]!.error).toMatchObject({ code: 'H2FLOW_DEADLINE', cancelledOnWire: false });
    expect(t.limiter.stats()).toMatchObject({ timedOut: 1, failed: 0, retries: 0 });
    t.reconciles();
  });

  it('abort in retry-wait: settles, and the backoff grants nothing', () => {
    const t = setup({ retryBackoffMs: 50 });
    const abort = new AbortController();
    t.acquire(abort.signal);
    t.end(t.grants[0]!, (p) => p.retry('refused-stream', 7));
    abort.abort();
    expect(t.settled[0]!.error).toMatchObject({ code: 'H2FLOW_ABORTED', cancelledOnWire: false });
    t.scheduler.maxFrames = 100;
    t.scheduler.flush();
    expect(t.grants).toHaveLength(1);
    t.reconciles();
  });

  it('notSent hands the slot back: no retry counted, granted again when a slot frees', () => {
    const t = setup();
    t.acquire();
    t.end(t.grants[0]!, (p) => p.notSent());
    expect(t.grants).toHaveLength(2);
    expect(t.limiter.stats()).toMatchObject({ retries: 0, inFlight: 1 });
    t.reconciles();
  });

  it('the deadline in the queue: DeadlineError, or the pool says why (no session came up)', () => {
    const t = setup({}, { freeSlots: () => 0 });
    t.acquire();
    t.scheduler.maxFrames = 1000;
    t.scheduler.flush();
    expect(t.settled[0]!.error).toMatchObject({ code: 'H2FLOW_DEADLINE', cancelledOnWire: false });
    const why = setup(
      {},
      { freeSlots: () => 0, whyExpired: () => ({ failure: 'connect', detail: 'ECONNREFUSED' }) },
    );
    why.acquire();
    why.scheduler.maxFrames = 1000;
    why.scheduler.flush();
    expect(why.settled[0]!.error).toMatchObject({ code: 'H2FLOW_TRANSPORT', failure: 'connect' });
    expect(why.limiter.stats()).toMatchObject({ failed: 1, timedOut: 0 });
  });

  it('the deadline in flight: onCancel, settled at once; the stream end frees the slot later', () => {
    const t = setup({ policy: 'fixed' });
    t.acquire();
    t.acquire();
    t.scheduler.maxFrames = 1000;
    t.scheduler.flush();
    expect(t.cancels).toEqual([t.grants[0]!.id]);
    expect(t.settled.map((s) => s.error?.code)).toEqual(['H2FLOW_DEADLINE', 'H2FLOW_DEADLINE']);
    expect(t.settled[0]!.error).toMatchObject({ cancelledOnWire: true });
    expect(t.settled[1]!.error).toMatchObject({ cancelledOnWire: false });
    t.end(t.grants[0]!, (p) => p.cancelled(true));
    expect(t.grants).toHaveLength(1);
    t.reconciles();
  });

  it('waitOnly: the budget bounds the wait for a slot; granted, the request has no deadline', () => {
    const t = setup({ policy: 'fixed' });
    const settled: (string | undefined)[] = [];
    const permits: Permit<string>[] = [];
    const acquireWaitOnly = () =>
      t.limiter.acquire<string>(
        { budgetMs: 100, waitOnly: true },
        {
          onGrant: (p) => {
            t.state.open++;
            permits.push(p);
            p.onCancel = () => t.cancels.push(p.id);
          },
          onSettle: (error, value) => settled.push(error?.code ?? value),
        },
      );
    acquireWaitOnly(); // granted at once
    acquireWaitOnly(); // waits behind it
    t.scheduler.maxFrames = 1000;
    t.scheduler.flush(); // 100 ms pass, and more
    expect(t.cancels).toEqual([]);
    expect(settled).toEqual(['H2FLOW_DEADLINE']); // only the one still waiting
    t.end(permits[0]!, (p) => p.respond(200, 'long'));
    expect(settled).toEqual(['H2FLOW_DEADLINE', 'long']);
    expect(t.limiter.stats()).toMatchObject({ succeeded: 1, timedOut: 1, cancelledOnWire: 0 });
    t.reconciles();
  });

  it('fifo-restart: a request sent too late leaves the backlog to expire unsent; later arrivals are served', () => {
    const t = setup({ policy: 'fixed', queueOrder: 'fifo-restart', timeoutMs: 100 });
    const at = (ms: number, fn: () => void) => t.scheduler.schedule(fn, ms);
    t.acquire(); // 0: in flight from 0, hangs until it expires at 100 (waited 0: not sent too late)
    at(20, () => t.acquire()); // 1: waits; sent at 100, when 0's stream ends (waited 80)
    at(100, () => t.end(t.grants[0]!, (p) => p.cancelled(true)));
    at(110, () => {
      t.acquire(); // 2 and 3: the backlog behind 1
      t.acquire();
    });
    // 1 expires in flight at 120 having waited 80 of its 100 ms: sent too late, so a restart.
    at(160, () => {
      t.acquire(); // 4: after the restart
      t.end(t.grants[1]!, (p) => p.cancelled(true));
    });
    t.scheduler.maxFrames = 1000;
    t.scheduler.flush();
    // 0's hang did not restart (1 was granted); 1's late send did (2 and 3 never were, 4 was).
    expect(t.grants.map((p) => p.id)).toEqual([1, 2, 5]);
    const settled = [...t.settled].sort((a, b) => a.id - b.id);
    const wire = (e: unknown) => (e as { cancelledOnWire?: boolean } | undefined)?.cancelledOnWire;
    expect(settled.map((s) => [s.id, s.error?.code, wire(s.error)])).toEqual([
      [0, 'H2FLOW_DEADLINE', true],
      [1, 'H2FLOW_DEADLINE', true],
      [2, 'H2FLOW_DEADLINE', false],
      [3, 'H2FLOW_DEADLINE', false],
      [4, 'H2FLOW_DEADLINE', true],
    ]);
    t.reconciles();
  });

  it('fifo-restart: one from before the restart, sent too late and expiring after it, is that crisis still', () => {
    const t = setup({ policy: 'fixed', queueOrder: 'fifo-restart', timeoutMs: 100 });
    t.state.slots = 2;
    const at = (ms: number, fn: () => void) => t.scheduler.schedule(fn, ms);
    t.acquire(); // 0 and 1: in flight from 0
    t.acquire();
    t.acquire(); // 2: sent at 60 (waited 60), expires in flight at 100: the restart
    at(10, () => t.acquire()); // 3: sent at 65 (waited 55), expires in flight at 110
    at(60, () => t.end(t.grants[0]!, (p) => p.respond(200, 'a')));
    at(65, () => t.end(t.grants[1]!, (p) => p.respond(200, 'b')));
    at(70, () => t.acquire()); // 4: the backlog
    at(105, () => t.acquire()); // 5: after the restart
    at(120, () => {
      t.end(t.grants[2]!, (p) => p.cancelled(true));
      t.end(t.grants[3]!, (p) => p.cancelled(true));
    });
    t.scheduler.maxFrames = 1000;
    t.scheduler.flush();
    // 3's expiry at 110 did not set 5 aside: 5 is granted when the slots free; 4 never is.
    expect(t.grants.map((p) => p.id)).toEqual([1, 2, 3, 4, 6]);
    t.reconciles();
  });

  it('a streaming response completes but gives no service-latency sample', () => {
    const t = setup({ policy: 'fixed', timeoutMs: 60_000 });
    const p99s: number[] = [];
    t.limiter.windows$.subscribe((w) => p99s.push(w.serviceP99Ms));
    t.state.slots = 2;
    t.acquire();
    t.acquire();
    const [stream, unary] = t.grants;
    t.scheduler.schedule(() => t.end(unary!, (p) => p.respond(200, 'unary')), 20);
    t.scheduler.schedule(
      () => t.end(stream!, (p) => p.respond(200, 'stream', { streaming: true })),
      5000,
    );
    t.scheduler.maxFrames = 10_000;
    t.scheduler.flush();
    expect(t.settled.map((s) => s.value)).toEqual(['unary', 'stream']);
    expect(Math.max(...p99s)).toBeGreaterThan(0);
    expect(Math.max(...p99s)).toBeLessThan(100);
    t.reconciles();
  });

  it('sheds at admission before acquire returns, and after close every request is refused at once', async () => {
    const t = setup({ maxQueueLength: 1 });
    t.acquire();
    t.acquire();
    t.acquire();
    expect(t.settled.map((s) => [s.id, s.error?.code])).toEqual([[2, 'H2FLOW_OVERLOAD']]);
    const closing = t.limiter.close();
    t.acquire();
    expect(t.settled.at(-1)!.error?.code).toBe('H2FLOW_CLOSED');
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    await Promise.resolve();
    expect(closed).toBe(false);
    t.end(t.grants[0]!, (p) => p.respond(200, 'a'));
    t.end(t.grants[1]!, (p) => p.respond(200, 'b'));
    await closing;
    t.reconciles();
  });

  it('close completes decisions$, windows$ and samples$ for subscribers that never unsubscribe', async () => {
    const t = setup();
    const completed: string[] = [];
    t.limiter.decisions$.subscribe({ complete: () => completed.push('decisions') });
    t.limiter.windows$.subscribe({ complete: () => completed.push('windows') });
    t.limiter.samples$.subscribe({ complete: () => completed.push('samples') });
    await t.limiter.close();
    expect(completed.sort()).toEqual(['decisions', 'samples', 'windows']);
  });

  it('a callback that throws leaves the bookkeeping whole and surfaces as an uncaught error', () => {
    const t = setup();
    const thrown: unknown[] = [];
    const original = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (task) => {
      try {
        task();
      } catch (error) {
        thrown.push(error);
      }
    };
    try {
      t.limiter.acquire(
        {},
        {
          onGrant: (p) => p.respond(200, 'x'),
          onSettle: () => {
            throw new Error('caller bug');
          },
        },
      );
    } finally {
      globalThis.queueMicrotask = original;
    }
    expect(thrown).toEqual([new Error('caller bug')]);
    expect(t.limiter.stats()).toMatchObject({ succeeded: 1, inFlight: 0 });
    t.reconciles();
  });

  it('refuses a bad budget with an error naming it', () => {
    const t = setup();
    expect(() =>
      t.limiter.acquire({ budgetMs: 0 }, { onGrant: () => {}, onSettle: () => {} }),
    ).toThrow(/budgetMs/);
  });
});
