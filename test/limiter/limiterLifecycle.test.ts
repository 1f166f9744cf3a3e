import { describe, expect, it } from '@jest/globals';
import type { Permit } from '../../src/limiter/permit.js';
import { setup } from './limiterHarness.js';

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
