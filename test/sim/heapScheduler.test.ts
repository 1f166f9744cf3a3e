import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { interval, take } from 'rxjs';
import { HeapScheduler, type PostedEvent } from '../../src/sim/heapScheduler.js';

describe('HeapScheduler', () => {
  it('runs entries in time order, and equal times first-in first-out', () => {
    const s = new HeapScheduler();
    const log: string[] = [];
    s.schedule(() => log.push(`a@${s.now()}`), 10);
    s.post(5, () => log.push(`b@${s.now()}`), undefined);
    s.schedule(() => log.push(`c@${s.now()}`), 5);
    s.post(10, () => log.push(`d@${s.now()}`), undefined);
    s.schedule(() => log.push(`e@${s.now()}`), 0);
    s.flush();
    expect(log).toEqual(['e@0', 'b@5', 'c@5', 'a@10', 'd@10']);
  });

  it('cancels actions and posted events wherever they sit in the heap', () => {
    const s = new HeapScheduler();
    const log: number[] = [];
    const subs = Array.from({ length: 50 }, (_, i) => s.schedule(() => log.push(i), (i * 7) % 13));
    const posts = Array.from({ length: 50 }, (_, i) =>
      s.post((i * 5) % 11, (x: number) => log.push(x), 100 + i),
    );
    for (let i = 0; i < 50; i += 3) subs[i]!.unsubscribe();
    for (let i = 1; i < 50; i += 4) expect(s.cancel(posts[i]!)).toBe(true);
    expect(s.cancel(posts[1]!)).toBe(false);
    s.flush();
    const expected = [
      ...Array.from({ length: 50 }, (_, i) => ({ t: (i * 7) % 13, v: i, seq: i })).filter(
        (e) => e.v % 3 !== 0,
      ),
      ...Array.from({ length: 50 }, (_, i) => ({
        t: (i * 5) % 11,
        v: 100 + i,
        seq: 50 + i,
      })).filter((e) => (e.v - 100) % 4 !== 1),
    ]
      .sort((a, b) => a.t - b.t || a.seq - b.seq)
      .map((e) => e.v);
    expect(log).toEqual(expected);
  });

  it('reuses one action for a periodic reschedule and stops it on unsubscribe', () => {
    const s = new HeapScheduler();
    const ticks: number[] = [];
    const sub = s.schedule(
      function tick(n) {
        ticks.push(s.now());
        this.schedule((n ?? 0) + 1, 3);
      },
      2,
      0,
    );
    s.run(11);
    expect(ticks).toEqual([2, 5, 8, 11]);
    expect(s.size).toBe(1);
    sub.unsubscribe();
    expect(s.size).toBe(0);
    s.flush();
    expect(ticks).toEqual([2, 5, 8, 11]);
  });

  it('moves the clock to the run horizon and never backwards', () => {
    const s = new HeapScheduler(100);
    const seen: number[] = [];
    s.post(50, () => seen.push(s.now()), undefined);
    s.schedule(() => seen.push(s.now()), -20);
    s.run(250);
    expect(seen).toEqual([100, 100]);
    expect(s.now()).toBe(250);
    s.flush();
    expect(s.now()).toBe(250);
  });

  it('ignores a non-finite delay, as rxjs VirtualTimeScheduler does', () => {
    const s = new HeapScheduler();
    let ran = false;
    const sub = s.schedule(() => {
      ran = true;
    }, Number.POSITIVE_INFINITY);
    expect(sub.closed).toBe(true);
    s.flush();
    expect(ran).toBe(false);
  });

  it('stops a run early on stop(), leaving the rest queued', () => {
    const s = new HeapScheduler();
    const log: number[] = [];
    s.post(1, () => log.push(1), undefined);
    s.post(
      2,
      () => {
        log.push(2);
        s.stop();
      },
      undefined,
    );
    s.post(3, () => log.push(3), undefined);
    s.run(10);
    expect(log).toEqual([1, 2]);
    expect(s.now()).toBe(2);
    s.run(10);
    expect(log).toEqual([1, 2, 3]);
    expect(s.now()).toBe(10);
  });

  it('drops everything queued and rethrows when work throws', () => {
    const s = new HeapScheduler();
    const later = s.schedule(() => undefined, 5);
    s.schedule(() => {
      throw new Error('boom');
    }, 1);
    expect(() => s.flush()).toThrow('boom');
    expect(later.closed).toBe(true);
    expect(s.size).toBe(0);
  });

  it('refuses a nested run', () => {
    const s = new HeapScheduler();
    s.post(1, () => s.run(5), undefined);
    expect(() => s.flush()).toThrow(/inside a scheduled event/);
  });

  it('drives rxjs operators in virtual time', () => {
    const s = new HeapScheduler();
    const seen: [number, number][] = [];
    interval(250, s)
      .pipe(take(4))
      .subscribe((v) => seen.push([s.now(), v]));
    s.flush();
    expect(seen).toEqual([
      [250, 0],
      [500, 1],
      [750, 2],
      [1000, 3],
    ]);
  });

  it('keeps heap order under heavy random schedule and cancel', () => {
    const s = new HeapScheduler();
    let x = 12345;
    const rand = (): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x / 2 ** 32;
    };
    const fired: number[] = [];
    const handles: PostedEvent<number>[] = [];
    for (let i = 0; i < 5000; i++) {
      handles.push(s.post(Math.floor(rand() * 1000), (t: number) => fired.push(t), i));
    }
    const cancelled = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const k = Math.floor(rand() * 5000);
      if (s.cancel(handles[k]!)) cancelled.add(k);
    }
    s.flush();
    expect(fired.length).toBe(5000 - cancelled.size);
    const times = fired.map((i) => handles[i]!.atMs);
    for (let i = 1; i < times.length; i++) {
      expect(
        times[i]! > times[i - 1]! || (times[i] === times[i - 1] && fired[i]! > fired[i - 1]!),
      ).toBe(true);
    }
  });

  it('merges fixed-delay lanes with the heap in exact (time, FIFO) order', () => {
    // Each op, run at its parent's time: post at a random delay through the heap, or through a
    // lane for one of a few fixed delays; both must run exactly as an all-heap scheduler would.
    const opArb = fc.record({
      delay: fc.constantFrom(0, 0.5, 1, 2, 3.25, 7, 10),
      viaLane: fc.boolean(),
      children: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
        const trace = (useLanes: boolean): string[] => {
          const s = new HeapScheduler();
          const log: string[] = [];
          let next = 0;
          const spawn = (): void => {
            const op = ops[next % ops.length]!;
            const id = next++;
            if (next > 200) return;
            const fire = (): void => {
              log.push(`${s.now()}#${id}`);
              for (let c = 0; c < op.children; c++) spawn();
            };
            if (useLanes && op.viaLane) s.postAfter(op.delay, fire, undefined);
            else s.postAndForget(s.now() + op.delay, fire, undefined);
          };
          spawn();
          spawn();
          s.flush();
          return log;
        };
        expect(trace(true)).toEqual(trace(false));
      }),
      { numRuns: 200 },
    );
  });
});
