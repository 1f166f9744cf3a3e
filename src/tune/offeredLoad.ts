import type { AdaptiveClient } from '../client/AdaptiveClient.js';
import type { ClientRequest } from '../client/clientRequest.js';
import { type ArrivalSchedule, arrivalsDue } from '../load/arrivalSchedule.js';
import type { OutcomeTally } from '../load/outcomeTally.js';
import { realTimeScheduler } from '../streams/realTimeScheduler.js';

/** Arrival timer period, ms: one timer per tick, not per request (as `h2flow load` does). */
const tickMs = 2;

/**
 * Open-loop offered load whose rate can change while it runs: arrivals do
 * not wait for responses, so the client's token bucket and admission — not
 * the generator — decide what reaches the wire.
 *
 * Each rate is one segment of `src/load`'s {@link ArrivalSchedule} (request
 * `i` of a segment is due at `start + i × 1000 / rate`), restarted at every
 * change, so the tuner and `h2flow load` share one arrival rule. A timer
 * tick sends every request whose time has come.
 */
export class OfferedLoad {
  readonly #client: AdaptiveClient;
  readonly #request: ClientRequest;
  readonly #tally: OutcomeTally | undefined;
  #segment: ArrivalSchedule | undefined;
  #sentInSegment = 0;
  #timer: NodeJS.Timeout | undefined;
  #sent = 0;
  #settled = 0;

  /** `tally`, when given, counts every settled request by status and failure cause. */
  constructor(client: AdaptiveClient, request: ClientRequest, tally?: OutcomeTally) {
    this.#client = client;
    this.#request = request;
    this.#tally = tally;
  }

  /** Requests handed to the client so far. */
  get sent(): number {
    return this.#sent;
  }

  /** Requests that settled (any outcome) so far. */
  get settled(): number {
    return this.#settled;
  }

  /** The rate offered now, req/s (0 before the first {@link setRateTps}). */
  get rateTps(): number {
    return this.#segment?.rateTps ?? 0;
  }

  /**
   * Offers `rateTps` from now on; a new segment starts only when the rate
   * changes, after the old one has sent everything due up to now (so a late
   * timer tick never drops arrivals at the change).
   */
  setRateTps(rateTps: number): void {
    if (!(rateTps > 0) || rateTps === this.#segment?.rateTps) return;
    this.#tick();
    this.#segment = {
      startMs: realTimeScheduler.now(),
      rateTps,
      durationMs: Number.POSITIVE_INFINITY,
      maxRequests: Number.POSITIVE_INFINITY,
    };
    this.#sentInSegment = 0;
    if (this.#timer === undefined) this.#timer = setInterval(() => this.#tick(), tickMs);
  }

  /**
   * Stops offering, after sending every request due up to now; requests
   * already sent settle on their own.
   */
  stop(): void {
    this.#tick();
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#segment = undefined;
  }

  #tick(): void {
    const segment = this.#segment;
    if (segment === undefined) return;
    const due = arrivalsDue(segment, realTimeScheduler.now());
    while (this.#sentInSegment < due) {
      this.#sentInSegment++;
      this.#sent++;
      this.#client.send(this.#request, (error, response) => {
        this.#settled++;
        this.#tally?.judge(response?.status, error);
      });
    }
  }
}
