import type { SchedulerLike } from 'rxjs';
import { AdmissionQueue } from '../streams/admissionQueue.js';
import { DeadlineTimers, type Expiring } from './deadlineTimers.js';
import type { Ticket } from './ticket.js';

/** A window's service p50 above this multiple of the baseline is a latency transient: hold, do not shed. */
const transientLatencyMultiple = 3;
/** A standby request needs this multiple of the baseline service time left: the path's own speed, twice. */
const standbyNeedMultiple = 2;
/** Weight of each completion in the recent service time (about the last five). */
const recentWeight = 0.2;

/** When a ticket on standby could no longer finish: it lapses then, unless it left standby first. */
class Lapse implements Expiring {
  armed = true;
  constructor(
    readonly ticket: Ticket<unknown>,
    readonly deadlineAtMs: number,
  ) {}
}

/**
 * Where requests wait through a latency transient instead of being shed
 * (docs/controller.md, "Standby"). When service latency jumps far above its
 * baseline without load (a GC pause, a slow backend), admission predicts,
 * truthfully at that rate, that most arrivals would miss their deadlines.
 * Shed at once, they are lost; yet when the latency drops the path drains a
 * whole budget of arrivals in a moment, and a plain client, which queues
 * everything, carries them. A request admission would shed then waits here:
 * - it takes a free slot only while nothing is queued and the latest
 *   completions are back near the baseline, newest first (the most budget
 *   left), and only with twice the baseline's service time left;
 * - it lapses, shed unsent, when even that is gone.
 * Outside a transient nothing is held: a congested path's queue, queue wait
 * and fail-fast shedding are as without it.
 */
export class Standby {
  readonly #waiting = new AdmissionQueue<Ticket<unknown>>({
    maxQueueLength: Number.POSITIVE_INFINITY,
    maxQueueWaitMs: Number.POSITIVE_INFINITY,
    deadlineAware: false,
    serveOrder: 'lifo',
  });
  readonly #lapses: DeadlineTimers<Lapse>;
  readonly #lapseOf = new Map<Ticket<unknown>, Lapse>();
  readonly #maxLength: number;
  /**
   * The service time a transient should end at, ms: the controller's
   * unloaded baseline from before it (0 until known). Kept while anything
   * waits, since the controller's own baseline creeps up during a long one.
   */
  #returnToMs = 0;
  /** The last window's service p50 was a transient's. */
  #transient = false;
  /** Service time of the latest completions, smoothed, ms. */
  #recentMs = 0;

  /** `lapse` is called once for each ticket still on standby when it could no longer finish. */
  constructor(scheduler: SchedulerLike, maxLength: number, lapse: (t: Ticket<unknown>) => void) {
    this.#maxLength = maxLength;
    this.#lapses = new DeadlineTimers(scheduler, (l) => {
      this.#waiting.remove(l.ticket);
      this.#lapseOf.delete(l.ticket);
      lapse(l.ticket);
    });
  }

  /** Tickets on standby. */
  get length(): number {
    return this.#waiting.length;
  }

  /** A window closed with service p50 `serviceP50Ms` against the controller's `baselineMs`. */
  windowClosed(serviceP50Ms: number, baselineMs: number): void {
    this.#transient = baselineMs > 0 && serviceP50Ms > transientLatencyMultiple * baselineMs;
    if (!this.#transient && this.length === 0) this.#returnToMs = baselineMs;
  }

  /** A response completed after `serviceMs` on the wire. */
  served(serviceMs: number): void {
    this.#recentMs += (serviceMs - this.#recentMs) * recentWeight;
  }

  /**
   * Holds `t`, which admission would shed for its predicted wait, if a
   * latency transient is on and it still has the time it needs; returns
   * false (shed it) otherwise.
   */
  hold(t: Ticket<unknown>, nowMs: number): boolean {
    const lapseAtMs = t.deadlineAtMs - this.needMs;
    if (!this.#transient || this.#returnToMs <= 0) return false;
    if (lapseAtMs <= nowMs || this.length >= this.#maxLength) return false;
    t.state = 'standby';
    const lapse = new Lapse(t, lapseAtMs);
    this.#waiting.push(t);
    this.#lapseOf.set(t, lapse);
    this.#lapses.add(lapse);
    return true;
  }

  /**
   * The newest ticket on standby, taken off it, if the latest completions
   * are back near the baseline; undefined otherwise (the rest wait or lapse).
   */
  take(): Ticket<unknown> | undefined {
    if (this.length === 0 || !(this.#recentMs < this.needMs)) return undefined;
    const t = this.#waiting.shift();
    if (t !== undefined) this.#disarm(t);
    return t;
  }

  /** Takes `t` off standby (an abort, a deadline); returns whether it was on it. */
  remove(t: Ticket<unknown>): boolean {
    if (!this.#waiting.remove(t)) return false;
    this.#disarm(t);
    return true;
  }

  /** Takes every ticket off standby (shutdown), and stops the lapse timer. */
  drain(): Ticket<unknown>[] {
    const all = this.#waiting.drain();
    this.#lapseOf.clear();
    this.#lapses.clear();
    return all;
  }

  /** The service time a standby request must have left when granted, ms: twice the baseline. */
  get needMs(): number {
    return standbyNeedMultiple * this.#returnToMs;
  }

  #disarm(t: Ticket<unknown>): void {
    const lapse = this.#lapseOf.get(t);
    if (lapse === undefined) return;
    lapse.armed = false;
    this.#lapseOf.delete(t);
    this.#lapses.disarmed();
  }
}
