import { type Observable, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { RateGate, type RateLimit } from '../../src/streams/rateGate.js';

/** A gate already enforcing `rateTps` (a congestion episode), as a controller decision would make it. */
function limitingGate(rateTps: number, burstMs: number, scheduler: TestScheduler): RateGate {
  const limits = new Subject<RateLimit>();
  const gate = new RateGate(limits, { initialRateTps: rateTps, burstMs }, scheduler);
  limits.next({ rateTps, limiting: true });
  return gate;
}

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** Calls tryTake `count` times at virtual time `atMs` and records how many succeeded. */
function takeAt(
  scheduler: TestScheduler,
  gate: RateGate,
  atMs: number,
  count: number,
  out: number[],
): void {
  scheduler.schedule(() => {
    let ok = 0;
    for (let i = 0; i < count; i++) if (gate.tryTake()) ok++;
    out.push(ok);
  }, atMs);
}

describe('rateGate', () => {
  it('admits everything until a limit is enforced, and again once it is lifted', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold }) => {
      const limits$: Observable<RateLimit> = cold('10ms a 9ms b', {
        a: { rateTps: 10, limiting: true },
        b: { rateTps: 10, limiting: false },
      });
      const gate = new RateGate(limits$, { initialRateTps: 10, burstMs: 100 }, scheduler);
      const taken: number[] = [];
      takeAt(scheduler, gate, 0, 500, taken); // open: all of them
      takeAt(scheduler, gate, 15, 500, taken); // enforcing 10 TPS, depth 1 token
      takeAt(scheduler, gate, 25, 500, taken); // lifted: all of them
      scheduler.flush();
      expect(taken).toEqual([500, 1, 500]);
      expect(gate.limiting).toBe(false);
    });
  });

  it('admits a burst of rate × burstMs, then one token per 1000/rate ms', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const gate = limitingGate(1000, 10, scheduler);
      const taken: number[] = [];
      takeAt(scheduler, gate, 0, 50, taken); // full bucket: 10
      takeAt(scheduler, gate, 5, 50, taken); // 5 ms at 1/ms: 5
      takeAt(scheduler, gate, 100, 50, taken); // refilled to the cap: 10
      scheduler.flush();
      expect(taken).toEqual([10, 5, 10]);
    });
  });

  it('follows the rate stream: a new rate applies from the moment it is decided', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold }) => {
      const rate$: Observable<RateLimit> = cold('a 19ms b', {
        a: { rateTps: 1000, limiting: true },
        b: { rateTps: 100, limiting: true },
      });
      const gate = new RateGate(rate$, { initialRateTps: 1000, burstMs: 100 }, scheduler);
      const taken: number[] = [];
      takeAt(scheduler, gate, 0, 1000, taken); // depth 100 at 1000 TPS
      takeAt(scheduler, gate, 19, 1000, taken); // 19 ms at 1/ms = 19
      // At 20 ms the rate drops to 100 TPS and the depth to 10 tokens: 1 earned, kept.
      takeAt(scheduler, gate, 70, 1000, taken); // 1 + 50 ms at 0.1/ms = 6
      takeAt(scheduler, gate, 1000, 1000, taken); // refilled to the new depth: 10
      scheduler.flush();
      expect(taken).toEqual([100, 19, 6, 10]);
      expect(gate.rateTps).toBe(100);
    });
  });

  it('reports when the next token is due', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const gate = limitingGate(10, 100, scheduler);
      expect(gate.tryTake()).toBe(true);
      expect(gate.tryTake()).toBe(false);
      expect(gate.msUntilToken()).toBeCloseTo(100, 6);
    });
  });

  it('does not drift: exactly rate × time tokens over a long virtual run', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      // Depth 33 tokens: polling every 10 ms never finds it full, so nothing is forfeited.
      const gate = limitingGate(333, 100, scheduler);
      let ok = 0;
      // Poll every 10 ms for 100 virtual seconds.
      scheduler.schedule(function poll(n: number | undefined = 0) {
        while (gate.tryTake()) ok++;
        if (n < 10_000) this.schedule(n + 1, 10);
      }, 0);
      scheduler.flush();
      // The full bucket at start (33.3 tokens) + 333 tokens/s for 100 s, less the fraction in hand.
      expect(ok).toBe(Math.floor(33.3 + 333 * 100));
    });
  });
});
