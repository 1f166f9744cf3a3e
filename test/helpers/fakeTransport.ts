import { type Observable, type SchedulerLike, Subject } from 'rxjs';
import type { CapacitySnapshot } from '../../src/core/capacity.js';
import type {
  DispatchHandle,
  DispatchListener,
  DispatchOutcome,
  Transport,
  TransportEvent,
  TransportRequest,
} from '../../src/transport/Transport.js';

/** How the fake answers one request: a latency and an outcome. */
export type FakeReply =
  | {
      readonly latencyMs: number;
      readonly status?: number;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      readonly latencyMs: number;
      readonly retryable: 'refused-stream' | 'goaway-unprocessed' | 'enhance-your-calm';
    }
  | { readonly latencyMs: number; readonly error: 'stream-reset' | 'session-closed' };

/**
 * An in-memory Transport for client tests: `connections × slotsPerConnection`
 * stream slots, sessions ready at once, and replies chosen per request by
 * `reply`. It records what reached "the wire" so tests can check that
 * nothing was sent twice and nothing overran the slots.
 */
export class FakeTransport implements Transport {
  readonly capacity$: Observable<CapacitySnapshot>;
  readonly events$: Observable<TransportEvent>;
  readonly #capacity = new Subject<CapacitySnapshot>();
  readonly #events = new Subject<TransportEvent>();
  connections = 0;
  inFlight = 0;
  maxInFlightSeen = 0;
  readonly dispatchedIds: number[] = [];
  readonly cancelledOnWireIds: number[] = [];
  readonly resizes: number[] = [];
  closed = false;

  constructor(
    readonly scheduler: SchedulerLike,
    public slotsPerConnection: number,
    readonly reply: (request: TransportRequest, attempt: number) => FakeReply = () => ({
      latencyMs: 10,
    }),
  ) {
    this.capacity$ = this.#capacity.asObservable();
    this.events$ = this.#events.asObservable();
  }

  capacity(): CapacitySnapshot {
    const slotsTotal = this.connections * this.slotsPerConnection;
    return {
      atMs: this.scheduler.now(),
      sessions: [],
      readySessions: this.connections,
      slotsTotal,
      slotsInUse: this.inFlight,
      slotsAvailable: Math.max(0, slotsTotal - this.inFlight),
    };
  }

  freeSlots(): number {
    return this.closed ? 0 : this.capacity().slotsAvailable;
  }

  /** Changes the per-connection limit (a SETTINGS change) and announces it. */
  setSlots(slots: number): void {
    this.slotsPerConnection = slots;
    this.#capacity.next(this.capacity());
  }

  emitEvent(event: TransportEvent): void {
    this.#events.next(event);
  }

  dispatch(request: TransportRequest, listener: DispatchListener): DispatchHandle | undefined {
    if (this.freeSlots() <= 0) return undefined;
    const attempt = this.dispatchedIds.filter((id) => id === request.id).length;
    this.dispatchedIds.push(request.id);
    this.inFlight++;
    this.maxInFlightSeen = Math.max(this.maxInFlightSeen, this.inFlight);
    const r = this.reply(request, attempt);
    let done = false;
    const finish = (outcome: DispatchOutcome): void => {
      if (done) return;
      done = true;
      this.inFlight--;
      listener.onDone(outcome);
    };
    const timer = this.scheduler.schedule(() => {
      const atMs = this.scheduler.now();
      if ('retryable' in r)
        return finish({ kind: 'retryable', reason: r.retryable, http2Code: 7, atMs });
      if ('error' in r) return finish({ kind: 'error', failure: r.error, detail: 'fake', atMs });
      listener.onSent(atMs, false);
      listener.onHeaders(atMs, r.status ?? 200, {});
      finish({
        kind: 'response',
        status: r.status ?? 200,
        headers: r.headers ?? {},
        body: new Uint8Array(2),
        atMs,
      });
    }, r.latencyMs);
    return {
      cancel: () => {
        timer.unsubscribe();
        this.cancelledOnWireIds.push(request.id);
        finish({ kind: 'cancelled', onWire: true, atMs: this.scheduler.now() });
      },
    };
  }

  resize(connections: number): void {
    this.resizes.push(connections);
    this.connections = connections;
    this.#capacity.next(this.capacity());
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
