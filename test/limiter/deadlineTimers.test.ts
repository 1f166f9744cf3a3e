/**
 * The limiter's one heap of deadlines: every armed item fires once, at its
 * deadline; a settled (disarmed) one never fires, and what the heap keeps
 * is bounded by what is pending plus about a thousand settled, not by rate
 * × budget.
 */
import { expect, test } from '@jest/globals';
import { VirtualTimeScheduler } from 'rxjs';
import { DeadlineTimers, type Expiring } from '../../src/limiter/deadlineTimers.js';

class Item implements Expiring {
  armed = true;
  firedAtMs: number | undefined;
  constructor(readonly deadlineAtMs: number) {}
}

function heapOn(scheduler: VirtualTimeScheduler): DeadlineTimers<Item> {
  return new DeadlineTimers<Item>(scheduler, (item) => {
    item.firedAtMs = scheduler.now();
  });
}

function settle(timers: DeadlineTimers<Item>, item: Item): void {
  item.armed = false;
  timers.disarmed();
}

test('requests settled in the order they came are dropped by the thousand', () => {
  const scheduler = new VirtualTimeScheduler(undefined, 60_000);
  const timers = heapOn(scheduler);
  const pending: Item[] = [];
  let most = 0;
  for (let i = 0; i < 5_000; i++) {
    const item = new Item(5_000 + i);
    timers.add(item);
    pending.push(item);
    // 100 in flight, the oldest settling as each new one comes: a closed loop.
    if (pending.length > 100) settle(timers, pending.shift()!);
    most = Math.max(most, timers.size);
  }
  // 5,000 requests of a 5 s budget went through; at most 1,025 settled ones were kept.
  expect(most).toBeLessThanOrEqual(100 + 1_025);
  expect(most).toBeGreaterThan(100);
  scheduler.flush();
  expect(pending.every((item) => item.firedAtMs === item.deadlineAtMs)).toBe(true);
  expect(timers.size).toBe(0);
});

test('settled ones behind a hung one are kept only up to about a thousand', () => {
  const scheduler = new VirtualTimeScheduler(undefined, 60_000);
  const timers = heapOn(scheduler);
  // The oldest request hangs; every later one settles behind it.
  const hung = new Item(1_000);
  timers.add(hung);
  const settled: Item[] = [];
  let most = 0;
  for (let i = 0; i < 3_000; i++) {
    const item = new Item(2_000 + i);
    timers.add(item);
    settle(timers, item);
    settled.push(item);
    most = Math.max(most, timers.size);
  }
  expect(most).toBeLessThanOrEqual(1 + 1_025);
  scheduler.flush();
  expect(hung.firedAtMs).toBe(1_000);
  expect(settled.some((item) => item.firedAtMs !== undefined)).toBe(false);
  expect(timers.size).toBe(0);
});

test('when the top settles early, the next deadline still fires on time, and only once', () => {
  const scheduler = new VirtualTimeScheduler(undefined, 60_000);
  const fired: number[] = [];
  const timers = new DeadlineTimers<Item>(scheduler, (item) => {
    fired.push(scheduler.now());
    item.firedAtMs = scheduler.now();
  });
  const first = new Item(100);
  const second = new Item(300);
  const third = new Item(200);
  timers.add(first);
  timers.add(second);
  timers.add(third);
  settle(timers, first);
  scheduler.flush();
  expect(first.firedAtMs).toBeUndefined();
  expect(third.firedAtMs).toBe(200);
  expect(second.firedAtMs).toBe(300);
  expect(fired).toEqual([200, 300]);
});
