import { type AdmissionInput, type AdmissionVerdict, admit } from '../core/admission.js';

/** Options of an {@link AdmissionQueue}. */
export interface AdmissionQueueOptions {
  /** Most items the queue holds; more are shed as `queue-full`. */
  readonly maxQueueLength: number;
  /** Longest predicted wait admitted, ms; more is shed as `queue-wait`. `Infinity` disables the check. */
  readonly maxQueueWaitMs: number;
  /** Apply the deadline-aware rule (`deadline`, `queue-wait`); `false` keeps only the length bound (naive policies). */
  readonly deadlineAware: boolean;
  /**
   * Which waiting item {@link AdmissionQueue.shift} hands out: `fifo`, the
   * oldest; `fifo-restart`, the oldest not set aside; `lifo`, the newest;
   * `random`, any live one with equal chance, drawn from `random`. Default
   * `fifo`.
   */
  readonly serveOrder?: QueueServeOrder | undefined;
  /** Uniform draws in [0, 1) for `random` order. Default `Math.random`. */
  readonly random?: (() => number) | undefined;
}

/**
 * The order a queue serves its waiters in:
 * - `fifo`, oldest first (nghttp2's queue of streams past the limit);
 * - `fifo-restart`, oldest first until {@link AdmissionQueue.setAside}
 *   (its owner calls it when a request expires in flight): the waiters then
 *   queued are never served, and wait until their owner removes them (they
 *   expire), while service restarts oldest first from the later arrivals.
 *   This is what Go's x/net/http2 transport with StrictMaxConcurrentStreams
 *   (golang/go#52845's client) was measured to do against nginx
 *   (docs/load.md): strictly oldest first while waits grow, until the
 *   oldest are sent too late to finish; then the whole backlog times out
 *   unsent while new arrivals are served;
 * - `lifo`, newest first;
 * - `random`, any waiter with equal chance.
 */
export type QueueServeOrder = 'fifo' | 'fifo-restart' | 'lifo' | 'random';

/** Draws at most this many entries for a live one before `random` order falls back to the head. */
const randomDraws = 8;

/** The live estimates admission uses for one decision. */
export interface DrainEstimate {
  /** How fast the queue drains, req/s. */
  readonly drainRateTps: number;
  /** Service latency p99, ms (0 when unknown). */
  readonly serviceP99Ms: number;
}

interface Entry<T> {
  readonly item: T;
  live: boolean;
  /** Set aside (`fifo-restart`): it waits in the stale list. */
  stale?: boolean;
}

/**
 * A bounded queue in front of the transport, FIFO unless told to serve in
 * random order (`serveOrder`). It admits through the pure admission rule
 * (core/admission.ts). It keeps no timers: its owner holds every request's
 * one deadline and calls {@link remove} when it passes, so an expired
 * request never reaches the wire. Removal (abort, expiry) is lazy: the entry
 * is marked dead and skipped, so every operation is O(1) amortised.
 */
export class AdmissionQueue<T> {
  readonly #entries: (Entry<T> | undefined)[] = [];
  #head = 0;
  #live = 0;
  /** Dead entries still in the array (removed or expired but not yet passed by `shift`). */
  #dead = 0;
  readonly #byItem = new Map<T, Entry<T>>();
  readonly #options: AdmissionQueueOptions;
  /** Entries set aside (`fifo-restart`): never shifted, kept for `remove` and `drain`. */
  #stale: Entry<T>[] = [];
  #staleDead = 0;

  /** What {@link judge} asks admission, rewritten per request. */
  readonly #input: { -readonly [K in keyof AdmissionInput]: AdmissionInput[K] } = {
    remainingBudgetMs: 0,
    queueLength: 0,
    maxQueueLength: 0,
    drainRateTps: 0,
    serviceP99Ms: 0,
    maxQueueWaitMs: 0,
  };

  constructor(options: AdmissionQueueOptions) {
    this.#options = options;
  }

  /** Items waiting. */
  get length(): number {
    return this.#live;
  }

  /** Asks admission about `item`; if admitted, enqueues it at the tail. */
  offer(item: T, remainingBudgetMs: number, estimate: DrainEstimate): AdmissionVerdict {
    const verdict = this.judge(remainingBudgetMs, estimate);
    if (verdict.admit) this.#push(item, false);
    return verdict;
  }

  /**
   * What admission says of one more item now, without enqueueing it: its
   * owner may then {@link push} it, or grant it at once when nothing waits.
   */
  judge(remainingBudgetMs: number, estimate: DrainEstimate): AdmissionVerdict {
    const o = this.#options;
    // One input object, rewritten per request: `admit` is pure and keeps nothing.
    const input = this.#input;
    input.remainingBudgetMs = o.deadlineAware ? remainingBudgetMs : Infinity;
    input.queueLength = this.#live;
    input.maxQueueLength = o.maxQueueLength;
    input.maxQueueWaitMs = o.deadlineAware ? o.maxQueueWaitMs : Infinity;
    input.drainRateTps = estimate.drainRateTps;
    input.serviceP99Ms = o.deadlineAware ? estimate.serviceP99Ms : 0;
    return admit(input);
  }

  /** Enqueues an item admission admitted ({@link judge}) at the tail. */
  push(item: T): void {
    this.#push(item, false);
  }

  /** Puts `item` back at the head (a retry goes before newer requests). */
  unshift(item: T): void {
    this.#push(item, true);
  }

  /**
   * The next live item, removed from the queue: the oldest (in `fifo-restart`
   * order, the oldest not set aside); the newest in `lifo` order; a random
   * one in `random`. `undefined` when none is left to hand out.
   */
  shift(): T | undefined {
    const order = this.#options.serveOrder;
    if (order === 'lifo') return this.#popNewest();
    if (order === 'random' && this.#live > 1) this.#swapRandomToHead();
    return this.#shiftOldest();
  }

  /**
   * Sets every waiting item aside (`fifo-restart`): it is never shifted, and
   * waits (counted in {@link length}) until {@link remove}d or
   * {@link drain}ed. A no-op in the other orders.
   */
  setAside(): void {
    if (this.#options.serveOrder !== 'fifo-restart') return;
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i];
      if (!entry?.live) continue;
      entry.stale = true;
      this.#stale.push(entry);
    }
    this.#entries.length = 0;
    this.#head = 0;
    this.#dead = 0;
  }

  /** The oldest live entry not set aside, removed; undefined if none. */
  #shiftOldest(): T | undefined {
    while (this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head];
      this.#entries[this.#head++] = undefined;
      if (entry && !entry.live) this.#dead--;
      if (entry?.live) {
        this.#kill(entry, true);
        this.#compact();
        return entry.item;
      }
    }
    this.#compact();
    return undefined;
  }

  /** Removes `item` if it is waiting (abort, expiry); returns whether it was. */
  remove(item: T): boolean {
    const entry = this.#byItem.get(item);
    if (!entry?.live) return false;
    this.#kill(entry);
    return true;
  }

  /** Removes and returns every waiting item (shutdown), those set aside first. */
  drain(): T[] {
    const items: T[] = [];
    for (const entry of this.#stale) {
      if (!entry.live) continue;
      this.#kill(entry, true);
      items.push(entry.item);
    }
    this.#stale = [];
    this.#staleDead = 0;
    for (let item = this.shift(); item !== undefined; item = this.shift()) items.push(item);
    return items;
  }

  /**
   * Moves a uniformly drawn live entry to the head, so the ordinary `shift`
   * takes it: O(1). Dead entries are at most about as many as live ones
   * (see `#kill`), so a few draws find a live one almost surely.
   */
  #swapRandomToHead(): void {
    const span = this.#entries.length - this.#head;
    const random = this.#options.random ?? Math.random;
    for (let draw = 0; draw < randomDraws; draw++) {
      const i = this.#head + Math.floor(random() * span);
      if (!this.#entries[i]?.live) continue;
      const head = this.#entries[this.#head];
      this.#entries[this.#head] = this.#entries[i];
      this.#entries[i] = head;
      return;
    }
  }

  /** `lifo` order: takes the newest live entry off the tail, dropping dead ones behind it. */
  #popNewest(): T | undefined {
    while (this.#entries.length > this.#head) {
      const entry = this.#entries.pop();
      if (entry === undefined) continue;
      if (!entry.live) {
        this.#dead--;
        continue;
      }
      this.#kill(entry, true);
      this.#compact();
      return entry.item;
    }
    this.#compact();
    return undefined;
  }

  #push(item: T, atHead: boolean): void {
    const entry: Entry<T> = { item, live: true };
    if (atHead && this.#head > 0) this.#entries[--this.#head] = entry;
    else if (atHead) this.#entries.unshift(entry);
    else this.#entries.push(entry);
    this.#byItem.set(item, entry);
    this.#live++;
  }

  #kill(entry: Entry<T>, shifted = false): void {
    entry.live = false;
    this.#byItem.delete(entry.item);
    this.#live--;
    if (!shifted && entry.stale === true) {
      // Set-aside entries mostly expire where they wait: drop the dead once they dominate.
      if (++this.#staleDead > 1024 && this.#staleDead * 2 > this.#stale.length) {
        this.#stale = this.#stale.filter((e) => e.live);
        this.#staleDead = 0;
      }
    } else if (!shifted) {
      this.#dead++;
      // Expired or aborted entries must not pile up when nothing is shifting (e.g. no stream slots).
      if (this.#dead > 1024 && this.#dead > this.#live) this.#rebuild();
    }
  }

  #rebuild(): void {
    const live = this.#entries.filter(
      (e, i): e is Entry<T> => i >= this.#head && e !== undefined && e.live,
    );
    this.#entries.length = 0;
    for (const entry of live) this.#entries.push(entry);
    this.#head = 0;
    this.#dead = 0;
  }

  /** Drops consumed slots at the front once they dominate, keeping memory proportional to the live items. */
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries.splice(0, this.#head);
      this.#head = 0;
    }
    if (this.#live === 0 && this.#entries.length > 0 && this.#head >= this.#entries.length) {
      this.#entries.length = 0;
      this.#head = 0;
    }
  }
}
