/**
 * Schedules `callback` after `delayMs` and returns a function that cancels
 * it. Injected so the pool can be tested in virtual time.
 */
export type ScheduleFn = (delayMs: number, callback: () => void) => () => void;

/** {@link ScheduleFn} on the real clock (`setTimeout`). */
export const realTimeSchedule: ScheduleFn = (delayMs, callback) => {
  const timer = setTimeout(callback, delayMs);
  return () => clearTimeout(timer);
};

/** Where a submitted request is: waiting for a worker, holding one, finished or cancelled. */
export type TicketState = 'queued' | 'serving' | 'done' | 'cancelled';

/** A request's place in a {@link WorkerPool}. */
export interface WorkTicket {
  /** Where the request is now. */
  readonly state: TicketState;
  /**
   * Withdraws the request when the client resets its stream; `onDone` will
   * not run. A queued request leaves the queue. A request in service keeps
   * its worker until its service time ends, as in the simulator: the server
   * already started the work, and a reset wastes it (the cost the seed's
   * cancellation storm puts on a server). With unlimited workers nothing can
   * wait for that worker, so its timer is cleared at once. No effect once done.
   */
  cancel(): void;
}

const noop = () => {};

class Ticket implements WorkTicket {
  state: TicketState = 'queued';
  stopTimer: (() => void) | undefined;
  constructor(
    readonly pool: WorkerPool,
    public onDone: () => void,
  ) {}
  cancel(): void {
    this.pool.withdraw(this);
  }
}

/**
 * The server's capacity model, the same as the simulator's: K workers, each
 * serving one request at a time for its service time, and a FIFO of requests
 * waiting for a worker. Past capacity the FIFO grows, so latency rises with
 * load whatever the number of connections carrying it. With K = Infinity
 * every request starts service at once (unlimited capacity).
 */
export class WorkerPool {
  readonly #workers: number;
  readonly #serviceTimeMs: () => number;
  readonly #schedule: ScheduleFn;
  #busy = 0;
  #queued = 0;
  // FIFO as an array and a head index: O(1) amortised, cancelled entries are skipped.
  #queue: Ticket[] = [];
  #head = 0;

  /**
   * @param workers K, the requests served at once (Infinity for unlimited).
   * @param serviceTimeMs draws a service time in ms; called when a request
   *   starts service, so a change of latency reaches requests already queued.
   * @param schedule timer source; the real clock by default.
   */
  constructor(
    workers: number,
    serviceTimeMs: () => number,
    schedule: ScheduleFn = realTimeSchedule,
  ) {
    this.#workers = workers;
    this.#serviceTimeMs = serviceTimeMs;
    this.#schedule = schedule;
  }

  /** K, the number of workers. */
  get workers(): number {
    return this.#workers;
  }

  /** Workers serving a request now. */
  get busy(): number {
    return this.#busy;
  }

  /** Requests waiting for a worker now. */
  get queued(): number {
    return this.#queued;
  }

  /** True when a request submitted now would have to wait for a worker. */
  get saturated(): boolean {
    return this.#busy >= this.#workers;
  }

  /** Submits a request; `onDone` runs once its service time has elapsed, unless it is cancelled first. */
  submit(onDone: () => void): WorkTicket {
    const ticket = new Ticket(this, onDone);
    if (this.#busy < this.#workers) {
      this.#start(ticket);
    } else {
      this.#queue.push(ticket);
      this.#queued += 1;
    }
    return ticket;
  }

  /** @internal Called by {@link WorkTicket.cancel}. */
  withdraw(ticket: Ticket): void {
    // Drop the callback now: it holds the stream, which may be long gone before the timer fires.
    if (ticket.state === 'queued' || ticket.state === 'serving') ticket.onDone = noop;
    if (ticket.state === 'queued') {
      ticket.state = 'cancelled';
      this.#queued -= 1;
    } else if (ticket.state === 'serving') {
      ticket.state = 'cancelled';
      if (this.#workers !== Number.POSITIVE_INFINITY) return; // the worker is freed by the timer
      ticket.stopTimer?.();
      ticket.stopTimer = undefined;
      this.#busy -= 1;
    }
  }

  #start(ticket: Ticket): void {
    ticket.state = 'serving';
    this.#busy += 1;
    ticket.stopTimer = this.#schedule(Math.max(0, this.#serviceTimeMs()), () => {
      const cancelled = ticket.state === 'cancelled';
      if (!cancelled) ticket.state = 'done';
      ticket.stopTimer = undefined;
      this.#busy -= 1;
      this.#startNext();
      if (!cancelled) ticket.onDone();
    });
  }

  #startNext(): void {
    while (this.#busy < this.#workers && this.#head < this.#queue.length) {
      const next = this.#queue[this.#head]!;
      this.#head += 1;
      if (next.state !== 'queued') continue;
      this.#queued -= 1;
      this.#start(next);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
