import type { SchedulerLike, Subscription } from 'rxjs';

/** Something with a deadline that a {@link DeadlineTimers} may fire. */
export interface Expiring {
  /** Absolute deadline on the scheduler's clock, ms. */
  readonly deadlineAtMs: number;
  /** Whether it still needs its deadline (false once settled: it is then dropped unfired). */
  readonly armed: boolean;
}

/**
 * Every request's deadline on one scheduler timer: a binary min-heap by
 * deadline, with a single timer armed for the earliest. A request costs a
 * heap slot, not a timer (an rxjs action, and under the real clock a
 * `setInterval` armed and cleared).
 *
 * A settled request is not searched for: it says it is no longer
 * {@link Expiring.armed}, and is dropped when it reaches the top, or when
 * settled ones outnumber the armed ones (a rebuild, O(n) once per n
 * settlements), so what the heap keeps alive stays proportional to the
 * requests still pending, not to rate × budget. Requests
 * with the client's one budget arrive in deadline order, so a push is O(1)
 * and the heap is a FIFO in practice; mixed budgets cost O(log n).
 */
export class DeadlineTimers<T extends Expiring> {
  readonly #heap: T[] = [];
  readonly #scheduler: SchedulerLike;
  readonly #fire: (item: T) => void;
  #timer: Subscription | undefined;
  /** Items in the heap that are no longer armed. */
  #disarmed = 0;
  /** The deadline the timer is armed for, ms (Infinity when none). */
  #armedForMs = Number.POSITIVE_INFINITY;

  /** `fire` is called once for each item whose deadline passes while it is still armed. */
  constructor(scheduler: SchedulerLike, fire: (item: T) => void) {
    this.#scheduler = scheduler;
    this.#fire = fire;
  }

  /** Items held, armed or not yet dropped. */
  get size(): number {
    return this.#heap.length;
  }

  /** Watches `item`'s deadline. */
  add(item: T): void {
    const heap = this.#heap;
    let i = heap.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.deadlineAtMs <= item.deadlineAtMs) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
    if (item.deadlineAtMs < this.#armedForMs) this.#arm(item.deadlineAtMs);
  }

  /** Tells the heap that one of its items is no longer armed (it settled before its deadline). */
  disarmed(): void {
    this.#disarmed++;
    if (this.#disarmed > 1024 && this.#disarmed * 2 > this.#heap.length) this.#rebuild();
  }

  /** Stops the timer and forgets every item. */
  clear(): void {
    this.#timer?.unsubscribe();
    this.#timer = undefined;
    this.#armedForMs = Number.POSITIVE_INFINITY;
    this.#heap.length = 0;
    this.#disarmed = 0;
  }

  /** Keeps only armed items, in deadline order (a sorted array is a heap). */
  #rebuild(): void {
    const armed = this.#heap.filter((item) => item.armed);
    armed.sort((a, b) => a.deadlineAtMs - b.deadlineAtMs);
    this.#heap.length = 0;
    for (const item of armed) this.#heap.push(item);
    this.#disarmed = 0;
  }

  #arm(atMs: number): void {
    this.#timer?.unsubscribe();
    this.#armedForMs = atMs;
    this.#timer = this.#scheduler.schedule(
      () => this.#expire(),
      Math.max(0, atMs - this.#scheduler.now()),
    );
  }

  /** Fires every armed item that is due, drops settled ones on top, and re-arms for the next. */
  #expire(): void {
    this.#timer = undefined;
    this.#armedForMs = Number.POSITIVE_INFINITY;
    const nowMs = this.#scheduler.now();
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined) return;
      if (top.armed && top.deadlineAtMs > nowMs) {
        this.#arm(top.deadlineAtMs);
        return;
      }
      this.#pop();
      if (top.armed) this.#fire(top);
      else this.#disarmed--;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child =
        right < n && heap[right]!.deadlineAtMs < heap[left]!.deadlineAtMs ? right : left;
      if (heap[child]!.deadlineAtMs >= last.deadlineAtMs) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
