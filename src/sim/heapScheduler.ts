import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';

/**
 * Something waiting in the heap: an rxjs action or a posted simulator event.
 * `heapIndex` is its slot in the heap array (-1 when not queued), which is
 * what makes cancellation O(log n) instead of a linear search.
 */
interface Timed {
  /** When it runs, ms of virtual time. */
  atMs: number;
  /** Tie-breaker: equal times run in the order they were scheduled (FIFO). */
  seq: number;
  /** Position in the heap array, or -1 when not queued. */
  heapIndex: number;
  /** Runs it. */
  fire(): void;
}

/**
 * A handle to an event posted with {@link HeapScheduler.post}; pass it to
 * {@link HeapScheduler.cancel} to take the event back before it runs.
 */
export class PostedEvent<A = unknown> implements Timed {
  /** When it runs, ms. */
  atMs = 0;
  /** @internal */
  seq = 0;
  /** @internal */
  heapIndex = -1;
  /** @internal Returned to the scheduler's pool after it runs (fire-and-forget events only). */
  pooled = false;

  /** @internal */
  constructor(
    public fn: ((arg: A) => void) | undefined,
    public arg: A,
  ) {}

  /** @internal */
  fire(): void {
    const fn = this.fn!;
    this.fn = undefined;
    fn(this.arg);
  }

  /** True while the event is waiting to run. */
  get pending(): boolean {
    return this.heapIndex >= 0;
  }
}

/**
 * An rxjs action on the heap: its own Subscription and heap entry in one
 * object. Like rxjs's `AsyncAction`, an action that reschedules itself from
 * inside its work (`this.schedule(state, delay)`, as `interval` and
 * `bufferTime` do) reuses the same object, so a periodic timer costs no
 * allocation per tick and unsubscribing the handle the operator holds
 * cancels whatever tick is pending.
 */
class HeapAction<T> extends Subscription implements SchedulerAction<T>, Timed {
  atMs = 0;
  seq = 0;
  heapIndex = -1;
  #scheduler: HeapScheduler | undefined;
  #work: ((this: SchedulerAction<T>, state?: T) => void) | undefined;
  #state: T | undefined = undefined;

  constructor(scheduler: HeapScheduler, work: (this: SchedulerAction<T>, state?: T) => void) {
    super();
    this.#scheduler = scheduler;
    this.#work = work;
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    // rxjs's VirtualAction never runs work scheduled at a non-finite delay, and
    // leaves an already pending run in place; so do we.
    if (!Number.isFinite(delay)) return Subscription.EMPTY;
    this.#state = state;
    this.#scheduler!.enqueue(this, delay);
    return this;
  }

  fire(): void {
    if (this.closed) return;
    this.#work!.call(this, this.#state);
  }

  override unsubscribe(): void {
    if (this.closed) return;
    this.#scheduler!.remove(this);
    this.#scheduler = undefined;
    this.#work = undefined;
    this.#state = undefined;
    super.unsubscribe();
  }
}

/**
 * A virtual-time rxjs `SchedulerLike` backed by an indexed binary min-heap,
 * keyed on (time, sequence number).
 *
 * rxjs's own `VirtualTimeScheduler` re-sorts its whole action array on every
 * schedule and removes by linear search, so each event costs O(N) with N
 * pending timers; a simulation with thousands of queued requests (each with a
 * deadline timer) spends all its time there. Here schedule, reschedule and
 * cancel are O(log N). Ties run first-in first-out, which is the order rxjs's
 * `VirtualTimeScheduler` gives (it breaks ties by a creation index), so rxjs
 * operators (`timer`, `interval`, `delay`, `observeOn`, `timeout`,
 * `bufferTime`, …) produce the same events at the same times on both; the
 * tests in test/sim/heapScheduler*.test.ts check that on random schedules.
 *
 * Differences, on purpose: a negative delay is treated as 0 (virtual time
 * never runs backwards), and an action rescheduled from outside its own work
 * after it ran takes a fresh place in the FIFO order (rxjs reuses its old
 * creation index there).
 *
 * The simulator's hot events (arrivals, server completions, frame arrivals)
 * skip the Subscription machinery with {@link post}, or, when they are never
 * cancelled, {@link postAndForget}, which recycles the event object.
 */
export class HeapScheduler implements SchedulerLike {
  readonly #heap: Timed[] = [];
  readonly #pool: PostedEvent<unknown>[] = [];
  readonly #lanes: Lane[] = [];
  #nowMs: number;
  #seq = 0;
  #running = false;
  #nextLane: Lane | undefined;
  #stopRequested = false;
  #executed = 0;

  /** @param startMs the virtual clock's reading before anything runs. Default 0. */
  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  /** The virtual clock, ms. Bound, so it can be passed around as a function. */
  readonly now = (): number => this.#nowMs;

  /** Entries waiting (actions and posted events). */
  get size(): number {
    let n = this.#heap.length;
    for (const lane of this.#lanes) n += lane.items.length - lane.head;
    return n;
  }

  /** Entries run so far (a speed measure for benches). */
  get executed(): number {
    return this.#executed;
  }

  /** When the next entry runs, or `Infinity` when nothing waits. */
  get nextAtMs(): number {
    return this.#next()?.atMs ?? Infinity;
  }

  /** rxjs entry point: runs `work` after `delay` ms of virtual time. */
  schedule<T>(
    work: (this: SchedulerAction<T>, state?: T) => void,
    delay = 0,
    state?: T,
  ): Subscription {
    return new HeapAction<T>(this, work).schedule(state, delay);
  }

  /**
   * Runs `fn(arg)` at `atMs` (clamped to now), without creating an rxjs
   * Subscription. Returns a handle for {@link cancel}. Passing a shared
   * function and a per-event `arg` avoids allocating a closure per event.
   */
  post<A>(atMs: number, fn: (arg: A) => void, arg: A): PostedEvent<A> {
    const event = new PostedEvent<A>(fn, arg);
    this.#insert(event, Math.max(atMs, this.#nowMs));
    return event;
  }

  /**
   * Like {@link post}, for events that are never cancelled: no handle is
   * returned, so the event object goes back to a pool after it runs and the
   * simulator's hot path allocates nothing per event.
   */
  postAndForget<A>(atMs: number, fn: (arg: A) => void, arg: A): void {
    const event = (this.#pool.pop() as PostedEvent<A> | undefined) ?? new PostedEvent<A>(fn, arg);
    event.fn = fn;
    event.arg = arg;
    event.pooled = true;
    this.#insert(event, Math.max(atMs, this.#nowMs));
  }

  /**
   * Like {@link postAndForget} at now + `delayMs`, for a delay the caller uses
   * over and over (zero, a link's one-way delay). Events with one fixed delay
   * are posted in time order, so they wait in a plain FIFO lane instead of
   * the heap: O(1) in and out. The run order is exactly the heap's: lanes
   * and heap are merged by (time, sequence number).
   */
  postAfter<A>(delayMs: number, fn: (arg: A) => void, arg: A): void {
    const delay = delayMs > 0 ? delayMs : 0;
    let lane: Lane | undefined;
    for (const l of this.#lanes) {
      if (l.delayMs === delay) {
        lane = l;
        break;
      }
    }
    if (lane === undefined) {
      if (this.#lanes.length >= maxLanes) {
        this.postAndForget(this.#nowMs + delay, fn, arg);
        return;
      }
      lane = { delayMs: delay, items: [], head: 0 };
      this.#lanes.push(lane);
    }
    const event = (this.#pool.pop() as PostedEvent<A> | undefined) ?? new PostedEvent<A>(fn, arg);
    event.fn = fn;
    event.arg = arg;
    event.pooled = true;
    event.atMs = this.#nowMs + delay;
    event.seq = this.#seq++;
    lane.items.push(event as PostedEvent<unknown>);
  }

  /** Takes back a posted event that has not run yet; returns whether it was pending. */
  cancel<A>(event: PostedEvent<A>): boolean {
    if (event.heapIndex < 0) return false;
    this.remove(event);
    event.fn = undefined;
    return true;
  }

  /**
   * Runs everything due at or before `untilMs`, in (time, FIFO) order, then
   * moves the clock to `untilMs` (if nothing stopped the run early).
   */
  run(untilMs: number): void {
    if (this.#running) throw new Error('HeapScheduler.run() called from inside a scheduled event');
    this.#running = true;
    this.#stopRequested = false;
    try {
      while (!this.#stopRequested) {
        const top = this.#next();
        if (top === undefined || top.atMs > untilMs) break;
        this.#take(top);
        this.#nowMs = top.atMs;
        this.#executed++;
        top.fire();
        if (top instanceof PostedEvent && top.pooled) {
          top.arg = undefined;
          this.#pool.push(top);
        }
      }
    } catch (error) {
      // As rxjs's VirtualTimeScheduler.flush: an error stops the run and drops everything queued.
      this.#clear();
      throw error;
    } finally {
      this.#running = false;
    }
    if (!this.#stopRequested && Number.isFinite(untilMs) && untilMs > this.#nowMs) {
      this.#nowMs = untilMs;
    }
  }

  /** Runs until nothing is queued (or {@link stop} is called). The clock stays at the last event. */
  flush(): void {
    this.run(Infinity);
  }

  /** Ends the current {@link run} after the event that is executing now. */
  stop(): void {
    this.#stopRequested = true;
  }

  /** @internal Puts `entry` in the heap at now + `delayMs` with a fresh FIFO position (moving it if queued). */
  enqueue(entry: Timed, delayMs: number): void {
    const atMs = delayMs > 0 ? this.#nowMs + delayMs : this.#nowMs;
    if (entry.heapIndex >= 0) this.remove(entry);
    this.#insert(entry, atMs);
  }

  /** @internal Takes `entry` out of the heap if it is queued. O(log n). */
  remove(entry: Timed): void {
    const i = entry.heapIndex;
    if (i < 0) return;
    const heap = this.#heap;
    const last = heap.pop()!;
    entry.heapIndex = -1;
    if (i < heap.length) {
      heap[i] = last;
      last.heapIndex = i;
      // The moved entry may belong above or below its new slot.
      if (i > 0 && before(last, heap[(i - 1) >> 1]!)) this.#siftUp(i);
      else this.#siftDown(i);
    }
  }

  /** The entry that runs next: the earlier of the heap's top and the lanes' heads. */
  #next(): Timed | undefined {
    let best: Timed | undefined = this.#heap[0];
    this.#nextLane = undefined;
    for (const lane of this.#lanes) {
      const head = lane.items[lane.head];
      if (head !== undefined && (best === undefined || before(head, best))) {
        best = head;
        this.#nextLane = lane;
      }
    }
    return best;
  }

  /** Removes `entry`, just returned by {@link #next}, from the heap or its lane. */
  #take(entry: Timed): void {
    const lane = this.#nextLane;
    if (lane === undefined) {
      this.#popTop();
      return;
    }
    lane.items[lane.head++] = undefined;
    if (lane.head === lane.items.length) {
      lane.items.length = 0;
      lane.head = 0;
    } else if (lane.head > 1024 && lane.head * 2 > lane.items.length) {
      lane.items.splice(0, lane.head);
      lane.head = 0;
    }
    entry.heapIndex = -1;
  }

  #insert(entry: Timed, atMs: number): void {
    entry.atMs = atMs;
    entry.seq = this.#seq++;
    const heap = this.#heap;
    entry.heapIndex = heap.length;
    heap.push(entry);
    this.#siftUp(heap.length - 1);
  }

  #popTop(): void {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    top.heapIndex = -1;
    if (heap.length > 0 && last !== top) {
      heap[0] = last;
      last.heapIndex = 0;
      this.#siftDown(0);
    }
  }

  #siftUp(index: number): void {
    const heap = this.#heap;
    const entry = heap[index]!;
    let i = index;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!before(entry, parent)) break;
      heap[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
    }
    heap[i] = entry;
    entry.heapIndex = i;
  }

  #siftDown(index: number): void {
    const heap = this.#heap;
    const n = heap.length;
    const entry = heap[index]!;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(heap[right]!, heap[left]!)) child = right;
      const c = heap[child]!;
      if (!before(c, entry)) break;
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = entry;
    entry.heapIndex = i;
  }

  #clear(): void {
    for (const lane of this.#lanes) {
      for (const event of lane.items) if (event) event.fn = undefined;
      lane.items.length = 0;
      lane.head = 0;
    }
    const pending = this.#heap.splice(0);
    for (const entry of pending) {
      entry.heapIndex = -1;
      if (entry instanceof HeapAction) entry.unsubscribe();
      else if (entry instanceof PostedEvent) entry.fn = undefined;
    }
  }
}

/** A FIFO of events posted with one fixed delay: in (time, sequence) order by construction. */
interface Lane {
  readonly delayMs: number;
  readonly items: (PostedEvent<unknown> | undefined)[];
  head: number;
}

/** Most fixed-delay lanes; events with other delays go to the heap. */
const maxLanes = 4;

/** Heap order: earlier time first, then earlier sequence number (FIFO). */
function before(a: Timed, b: Timed): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
