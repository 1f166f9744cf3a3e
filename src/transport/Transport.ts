import type { Observable, SchedulerLike } from 'rxjs';
import type { CapacitySnapshot } from '../core/capacity.js';
import type { RetryReason } from '../core/retryReason.js';

/** Request headers as HTTP/2 carries them (lower-case names). */
export type RequestHeaders = Readonly<Record<string, string | readonly string[]>>;

/** Response headers (lower-case names; pseudo-headers removed). node:http2's have a null prototype, as Node gives them. */
export type ResponseHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** One request, ready for the wire. */
export interface TransportRequest {
  /** Client-assigned id, unique per client. */
  readonly id: number;
  /** HTTP method. */
  readonly method: string;
  /** Path with query, starting with `/`. */
  readonly path: string;
  /** Extra request headers (validated by the client: no connection-specific ones). */
  readonly headers: RequestHeaders;
  /** Request body, or `undefined` for none. */
  readonly body: Uint8Array | undefined;
  /**
   * A body streamed from this source instead of `body` (which is then
   * `undefined`): read only once the stream is open, written with the
   * stream's backpressure. A transport that cannot stream leaves it unread.
   */
  readonly bodySource?: AsyncIterable<Uint8Array> | undefined;
  /** Absolute deadline on the transport's clock, ms. */
  readonly deadlineAtMs: number;
  /** A response body longer than this fails the stream (and resets it). */
  readonly maxResponseBytes: number;
}

/** Why a stream can be retried (core/retryReason.ts). */
export type { RetryReason };

/** The final outcome of one dispatch. Reported exactly once. */
export type DispatchOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: ResponseHeaders;
      readonly body: Uint8Array;
      /** Response end, ms. */
      readonly atMs: number;
      /** Trailing HEADERS (RFC 9113 §8.1), when the listener streams and the server sent any. */
      readonly trailers?: ResponseHeaders | undefined;
      /**
       * True if the response body waited on the client's own receive window
       * (connection or stream level, RFC 9113 §6.9): the peer had DATA to
       * send and no credit to send it with. The receive-side counterpart of
       * `onSent`'s `windowStalled`, so the controller sees a window-bound
       * path whichever way the large bodies flow. Absent means not detected
       * (a transport that cannot tell reports nothing rather than guess).
       */
      readonly windowStalled?: boolean | undefined;
    }
  | {
      readonly kind: 'retryable';
      readonly reason: RetryReason;
      /** HTTP/2 error code behind it (RST_STREAM or GOAWAY code). */
      readonly http2Code: number;
      readonly atMs: number;
    }
  | {
      readonly kind: 'error';
      readonly failure:
        | 'connect'
        | 'stream-reset'
        | 'goaway'
        | 'session-closed'
        | 'response-too-large'
        | 'request-body'
        | 'protocol';
      readonly detail: string;
      readonly http2Code?: number | undefined;
      readonly causeCode?: string | undefined;
      readonly atMs: number;
    }
  | {
      /** The client cancelled it (deadline or abort); reported after `cancel()`. */
      readonly kind: 'cancelled';
      /** True if RST_STREAM(CANCEL) went on the wire; false if the stream never left. */
      readonly onWire: boolean;
      readonly atMs: number;
    };

/** Progress callbacks of one dispatch, all on the transport's clock (ms). */
export interface DispatchListener {
  /** The request body was fully written (end of the `sending` phase). */
  onSent(atMs: number, windowStalled: boolean): void;
  /** Response HEADERS arrived (end of the `awaiting` phase). */
  onHeaders(atMs: number, status: number, headers: ResponseHeaders): void;
  /**
   * Present to stream the response: each DATA chunk comes here as it
   * arrives instead of being collected (so `maxResponseBytes` does not
   * apply and the `response` outcome's body is empty). Returning false
   * pauses the stream, and with it the peer's flow-control credit, until
   * {@link DispatchHandle.resume}.
   */
  onData?(chunk: Uint8Array): boolean;
  /** The final outcome; called exactly once, after which nothing else is called. */
  onDone(outcome: DispatchOutcome): void;
}

/** A stream in progress. */
export interface DispatchHandle {
  /**
   * Cancels the stream. If its HEADERS have left, this sends
   * RST_STREAM(CANCEL); `onDone` then reports `cancelled` with `onWire`.
   */
  cancel(): void;
  /** Pauses a streamed response: no `onData` until {@link resume}, and the peer stops at the windows. */
  pause?(): void;
  /** Resumes a response a streaming listener paused (`onData` returned false, or {@link pause}). */
  resume?(): void;
}

/** Session-level events the control loop counts as signals. */
export type TransportEvent =
  | { readonly kind: 'session-ready'; readonly sessionId: number; readonly atMs: number }
  | {
      readonly kind: 'goaway';
      readonly sessionId: number;
      readonly errorCode: number;
      readonly lastStreamId: number;
      readonly atMs: number;
    }
  | {
      readonly kind: 'connection-error';
      readonly sessionId: number;
      readonly detail: string;
      readonly causeCode?: string | undefined;
      /**
       * True when connecting again will not help soon (the server does not
       * speak HTTP/2, its certificate is refused): the client then fails its
       * waiting requests at once rather than at their deadlines.
       */
      readonly lasting?: boolean | undefined;
      readonly atMs: number;
    }
  | { readonly kind: 'session-closed'; readonly sessionId: number; readonly atMs: number };

/**
 * What `AdaptiveClient` drives. Implemented over `node:http2` (h2/) and over
 * the simulator's server model (sim/), so the client code is the same in
 * production and in virtual time.
 *
 * Backpressure contract (after undici): `dispatch` takes a request only when
 * a ready session has a free stream slot, and returns `undefined` otherwise;
 * the request then stays in the client's measured queue. The transport never
 * opens more streams on a session than the peer's MAX_CONCURRENT_STREAMS, and
 * never queues a request inside nghttp2. When slots may have become free
 * (a session became ready, SETTINGS raised the limit) `capacity$` emits; when
 * a stream ends, its `onDone` is the signal.
 */
export interface Transport {
  /** The clock and timers everything runs on (real time in production, virtual time in the simulator). */
  readonly scheduler: SchedulerLike;
  /** Capacity snapshots, emitted whenever sessions change (ready, SETTINGS, GOAWAY, closed). */
  readonly capacity$: Observable<CapacitySnapshot>;
  /** Session-level events (GOAWAY, connection errors). */
  readonly events$: Observable<TransportEvent>;
  /** Capacity right now. */
  capacity(): CapacitySnapshot;
  /** Free stream slots on ready sessions right now. */
  freeSlots(): number;
  /** Opens a stream for `request` if a slot is free; otherwise returns `undefined` and takes nothing. */
  dispatch(request: TransportRequest, listener: DispatchListener): DispatchHandle | undefined;
  /** Aims for `connections` open sessions; extra ones drain gracefully. */
  resize(connections: number): void;
  /** Stops accepting streams, lets in-flight ones finish, then closes every session. */
  close(): Promise<void>;
}
