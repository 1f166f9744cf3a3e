import { describe, expect, it } from '@jest/globals';
import { goMaxRetries, goRetryDelayMs } from '../../src/core/goRetry.js';
import { setup } from './limiterHarness.js';

describe("goRetryDelayMs: Go's x/net/http2 RoundTripOpt schedule", () => {
  it('retries first at once, then after 1, 2, 4 … s, and gives up after the 7th', () => {
    expect([0, 1, 2, 3, 6].map(goRetryDelayMs)).toEqual([0, 1000, 2000, 4000, 32_000]);
    expect(goMaxRetries).toBe(7);
    expect(goRetryDelayMs(7)).toBeUndefined();
  });
});

describe("Limiter with retryMode 'go' (the seed's client)", () => {
  it('retries a refused stream at once at the tail, the second time after 1 s', () => {
    const t = setup({ policy: 'fixed', retryMode: 'go', timeoutMs: 5000 });
    t.acquire(); // 0: granted
    t.acquire(); // 1: waits
    t.end(t.grants[0]!, (p) => p.retry('refused-stream', 7));
    // 0 went to the tail at once, so 1 (older in the queue) has the slot.
    expect(t.grants.map((p) => p.id)).toEqual([1, 2]);
    expect(t.limiter.stats()).toMatchObject({ retries: 1, queued: 1, inFlight: 1 });
    t.end(t.grants[1]!, (p) => p.respond(200, 'one'));
    expect(t.grants.map((p) => p.id)).toEqual([1, 2, 1]);
    t.end(t.grants[2]!, (p) => p.retry('refused-stream', 7));
    // The second retry waits out 1 s in retry-wait: nothing is granted before.
    t.scheduler.schedule(() => expect(t.grants).toHaveLength(3), 999);
    t.scheduler.schedule(() => {
      expect(t.grants).toHaveLength(4);
      t.end(t.grants[3]!, (p) => p.respond(200, 'zero'));
    }, 1000);
    t.scheduler.flush();
    expect(t.settled.map((s) => s.value)).toEqual(['one', 'zero']);
    expect(t.limiter.stats()).toMatchObject({ retries: 2, succeeded: 2 });
    t.reconciles();
  });

  it('a GOAWAY retries every waiter: a first retry keeps its place, a later one backs off behind new arrivals', () => {
    const t = setup({ policy: 'fixed', retryMode: 'go', timeoutMs: 5000 });
    const at = (ms: number, fn: () => void) => t.scheduler.schedule(fn, ms);
    t.acquire(); // 0: in flight, holds the slot until 3000
    t.acquire(); // 1 and 2: wait
    t.acquire();
    at(100, () => t.limiter.sessionWentAway()); // 1, 2: first retry, in place
    at(200, () => t.acquire()); // 3: new, behind them
    at(300, () => t.limiter.sessionWentAway()); // 1, 2: second retry, 1 s; 3: first, in place
    at(500, () => t.acquire()); // 4: new
    at(1000, () => expect(t.limiter.stats()).toMatchObject({ retries: 5, queued: 4, inFlight: 1 }));
    // From 3000 each granted request answers 10 ms later, so the slot goes down the queue in order.
    for (let k = 0; k < 5; k++) {
      at(3000 + 10 * k, () => t.end(t.grants[k]!, (p) => p.respond(200, `${p.id}`)));
    }
    t.scheduler.maxFrames = 10_000;
    t.scheduler.flush();
    // Permit ids are the requests' 1-based: 3 (id 4) kept its place ahead of 4 (id 5);
    // 1 and 2 (ids 2, 3) came back from their backoff at 1300, behind 4.
    expect(t.grants.map((p) => p.id)).toEqual([1, 4, 5, 2, 3]);
    expect(t.limiter.stats()).toMatchObject({ retries: 5, succeeded: 5 });
    t.reconciles();
  });

  it('a request whose budget is spent when its retry is due times out, as Go waiting out its context', () => {
    const t = setup({ policy: 'fixed', retryMode: 'go', timeoutMs: 100 });
    t.acquire(); // 0: in flight
    t.acquire(); // 1: waits
    // The session goes away exactly at 1's deadline, before its timer has run.
    t.scheduler.schedule(() => {
      t.limiter.sessionWentAway();
      t.end(t.grants[0]!, (p) => p.retry('goaway-unprocessed', 0));
    }, 100);
    t.scheduler.flush();
    expect(t.settled.map((s) => s.error?.code)).toEqual(['H2FLOW_DEADLINE', 'H2FLOW_DEADLINE']);
    expect(t.limiter.stats()).toMatchObject({ timedOut: 2, failed: 0, retries: 0 });
    t.reconciles();
  });

  it("fails a request past Go's seventh retry", () => {
    const t = setup({ policy: 'fixed', retryMode: 'go', timeoutMs: 120_000 });
    t.acquire();
    // Every 100 ms, refuse whatever was granted since: each retry is refused too.
    let refused = 0;
    const refuseNew = (): void => {
      while (refused < t.grants.length) {
        t.end(t.grants[refused++]!, (p) => p.retry('refused-stream', 7));
      }
      if (t.settled.length === 0) t.scheduler.schedule(refuseNew, 100);
    };
    t.scheduler.schedule(refuseNew, 0);
    t.scheduler.maxFrames = 120_000;
    t.scheduler.flush();
    // 0 + 1 + 2 + 4 + 8 + 16 + 32 s of backoff, then the eighth refusal fails.
    expect(t.grants).toHaveLength(8);
    expect(t.settled[0]!.error).toMatchObject({
      code: 'H2FLOW_TRANSPORT',
      failure: 'retry-exhausted',
      message: expect.stringContaining('refused-stream again after 7 retries'),
    });
    expect(t.limiter.stats()).toMatchObject({ retries: 7, failed: 1 });
    t.reconciles();
  });
});
