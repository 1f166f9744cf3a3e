import type { ServerStats } from '../core/runResult.js';

/**
 * What `GET /__h2flow/stats` and {@link TestServer.stats} return: the shared
 * {@link ServerStats} plus the server's live state and a few counters that
 * let a test reconcile every stream. At any moment
 *
 *   streamsStarted = streamsCompleted + Σ rstReceived + refused + streamsLost + streamsInFlight
 */
export interface TestServerStats extends ServerStats {
  /** Streams that ended because their connection went away (socket destroyed, GOAWAY with an error, close timeout) before they completed. */
  readonly streamsLost: number;
  /** Request streams open now. */
  readonly streamsInFlight: number;
  /** Requests waiting for a worker now (capacity model). */
  readonly queued: number;
  /** Requests holding a worker now. */
  readonly inService: number;
  /** Connections (HTTP/2 sessions) accepted. */
  readonly sessionsAccepted: number;
  /** Responses sent, keyed by status code, e.g. `{ "200": 940, "503": 60 }`. */
  readonly responsesByStatus: Readonly<Record<string, number>>;
}

/** The live gauges {@link ServerCounters.snapshot} adds to the counters. */
export interface ServerGauges {
  /** Requests waiting for a worker now. */
  readonly queued: number;
  /** Requests holding a worker now. */
  readonly inService: number;
}

/**
 * The test server's own counters. They are the server-side witness for the
 * client's claims (for instance "no cancellation on the wire" is
 * `rstReceived.CANCEL === 0`), so each is incremented at exactly one place:
 * where node:http2 tells the server the event happened.
 */
export class ServerCounters {
  /** Request streams opened by clients (the stats route excluded). */
  streamsStarted = 0;
  /** Request streams answered to the end and closed cleanly. */
  streamsCompleted = 0;
  /** Streams closed with RST_STREAM(REFUSED_STREAM) by this server. */
  refused = 0;
  /** Most request streams in flight at once on any one session. */
  maxConcurrentSeen = 0;
  /** GOAWAY frames this server decided to send (see docs/server.md). */
  goawaySent = 0;
  /** Streams lost with their connection. */
  streamsLost = 0;
  /** Sessions accepted. */
  sessionsAccepted = 0;
  /** Request streams open now. */
  streamsInFlight = 0;
  readonly #rstReceived = new Map<string, number>();
  readonly #responsesByStatus = new Map<number, number>();

  /** Counts one RST_STREAM received, by its error-code name. */
  addRstReceived(name: string): void {
    this.#rstReceived.set(name, (this.#rstReceived.get(name) ?? 0) + 1);
  }

  /** Counts one response sent with `status`. */
  addResponse(status: number): void {
    this.#responsesByStatus.set(status, (this.#responsesByStatus.get(status) ?? 0) + 1);
  }

  /** A plain, JSON-ready copy of the counters with the gauges filled in. */
  snapshot(gauges: ServerGauges): TestServerStats {
    return {
      streamsStarted: this.streamsStarted,
      streamsCompleted: this.streamsCompleted,
      rstReceived: Object.fromEntries(this.#rstReceived),
      refused: this.refused,
      maxConcurrentSeen: this.maxConcurrentSeen,
      goawaySent: this.goawaySent,
      streamsLost: this.streamsLost,
      streamsInFlight: this.streamsInFlight,
      queued: gauges.queued,
      inService: gauges.inService,
      sessionsAccepted: this.sessionsAccepted,
      responsesByStatus: Object.fromEntries(
        [...this.#responsesByStatus].map(([status, n]) => [String(status), n]),
      ),
    };
  }
}
