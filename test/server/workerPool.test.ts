import { describe, expect, test } from '@jest/globals';
import { type ScheduleFn, WorkerPool } from '../../src/server/workerPool.js';

/** A virtual clock: timers fire only when the test advances time. */
class VirtualClock {
  nowMs = 0;
  #timers: { atMs: number; seq: number; fn: () => void; live: boolean }[] = [];
  #seq = 0;
  readonly schedule: ScheduleFn = (delayMs, fn) => {
    const timer = { atMs: this.nowMs + delayMs, seq: this.#seq++, fn, live: true };
    this.#timers.push(timer);
    return () => {
      timer.live = false;
    };
  };
  get pending(): number {
    return this.#timers.filter((t) => t.live).length;
  }
  advance(ms: number): void {
    const until = this.nowMs + ms;
    for (;;) {
      const due = this.#timers
        .filter((t) => t.live && t.atMs <= until)
        .sort((a, b) => a.atMs - b.atMs || a.seq - b.seq)[0];
      if (!due) break;
      due.live = false;
      this.nowMs = due.atMs;
      due.fn();
    }
    this.nowMs = until;
  }
}

describe('WorkerPool', () => {
  test('serves K at a time and the rest in FIFO order', () => {
    const clock = new VirtualClock();
    const pool = new WorkerPool(2, () => 10, clock.schedule);
    const done: [number, number][] = [];
    for (let i = 0; i < 5; i++) pool.submit(() => done.push([i, clock.nowMs]));
    expect(pool.busy).toBe(2);
    expect(pool.queued).toBe(3);
    expect(pool.saturated).toBe(true);
    clock.advance(100);
    expect(done).toEqual([
      [0, 10],
      [1, 10],
      [2, 20],
      [3, 20],
      [4, 30],
    ]);
    expect(pool.busy).toBe(0);
    expect(pool.queued).toBe(0);
  });

  test('a cancelled queued request leaves the queue; a cancelled served one wastes its worker until its time is up', () => {
    const clock = new VirtualClock();
    const pool = new WorkerPool(1, () => 10, clock.schedule);
    const done: [string, number][] = [];
    const a = pool.submit(() => done.push(['a', clock.nowMs]));
    const b = pool.submit(() => done.push(['b', clock.nowMs]));
    const c = pool.submit(() => done.push(['c', clock.nowMs]));
    b.cancel();
    expect(b.state).toBe('cancelled');
    expect(pool.queued).toBe(1);
    clock.advance(5);
    a.cancel();
    // a's work is already under way: its worker stays busy until t = 10.
    expect(pool.busy).toBe(1);
    expect(c.state).toBe('queued');
    clock.advance(100);
    // a never completes; c starts at 10 and ends at 20; b never ran.
    expect(done).toEqual([['c', 20]]);
    // Cancelling after completion changes nothing.
    c.cancel();
    expect(c.state).toBe('done');
    expect(pool.busy).toBe(0);
    expect(clock.pending).toBe(0);
  });

  test('with unlimited workers a cancelled request’s timer is cleared at once', () => {
    const clock = new VirtualClock();
    const pool = new WorkerPool(Number.POSITIVE_INFINITY, () => 10, clock.schedule);
    let completed = 0;
    const a = pool.submit(() => completed++);
    a.cancel();
    expect(pool.busy).toBe(0);
    expect(clock.pending).toBe(0);
    clock.advance(100);
    expect(completed).toBe(0);
  });

  test('service time is drawn when service starts, so a queued request sees a later change', () => {
    const clock = new VirtualClock();
    let serviceMs = 10;
    const pool = new WorkerPool(1, () => serviceMs, clock.schedule);
    const times: number[] = [];
    pool.submit(() => times.push(clock.nowMs));
    pool.submit(() => times.push(clock.nowMs));
    serviceMs = 100;
    clock.advance(1000);
    expect(times).toEqual([10, 110]);
  });

  test('unlimited workers start everything at once', () => {
    const clock = new VirtualClock();
    const pool = new WorkerPool(Number.POSITIVE_INFINITY, () => 10, clock.schedule);
    for (let i = 0; i < 1000; i++) pool.submit(() => {});
    expect(pool.busy).toBe(1000);
    expect(pool.queued).toBe(0);
    expect(pool.saturated).toBe(false);
  });

  test('throughput past capacity is K per service time', () => {
    const clock = new VirtualClock();
    const pool = new WorkerPool(10, () => 50, clock.schedule);
    let completed = 0;
    for (let i = 0; i < 1000; i++) pool.submit(() => completed++);
    clock.advance(1000);
    // 10 workers × (1000 ms / 50 ms) = 200 in one second.
    expect(completed).toBe(200);
    expect(pool.busy).toBe(10);
    expect(pool.queued).toBe(790);
  });
});
