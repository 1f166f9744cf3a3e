import type { DispatchHandle, DispatchListener, TransportRequest } from '../transport/Transport.js';
import { FlowItem } from './flowSender.js';

/**
 * Where a stream is on the server:
 * - `in-transit`: its HEADERS have not arrived yet;
 * - `receiving`: opened, its body is still arriving;
 * - `waiting`: complete, queued for a worker;
 * - `serving`: a worker is on it;
 * - `responding`: the response is being sent;
 * - `closed`: answered, reset, refused, or never to be processed (above a GOAWAY).
 */
export type ServerStreamPhase =
  | 'in-transit'
  | 'receiving'
  | 'waiting'
  | 'serving'
  | 'responding'
  | 'closed';

/**
 * What a stream needs from the client half of its connection
 * (`SimConnection`); an interface keeps the modules free of import cycles.
 */
export interface StreamHost {
  /** The virtual clock, ms. */
  now(): number;
  /** Resets the stream (RST_STREAM(CANCEL)). */
  cancel(stream: SimStream): void;
  /** Reports a cancelled stream's outcome to its listener. */
  reportCancelled(stream: SimStream): void;
  /** RST_STREAM(REFUSED_STREAM) arrived. */
  refused(stream: SimStream): void;
  /** Response HEADERS arrived. */
  headers(stream: SimStream): void;
  /** The response ended. */
  end(stream: SimStream): void;
}

/** What a stream needs from the server half of its connection (`ServerSession`). */
export interface StreamServerHost {
  /** HEADERS arrived; returns whether the stream was accepted. */
  open(stream: SimStream): boolean;
  /** The request body is complete. */
  body(stream: SimStream): void;
  /** An RST_STREAM with `code` arrived. */
  reset(stream: SimStream, code: number): void;
  /** A worker finished the stream. */
  serviceDone(stream: SimStream): void;
  /** Sends the response. */
  respond(stream: SimStream): void;
}

/**
 * One HTTP/2 stream of the simulated transport: the client's view (its
 * listener, whether it has reported its outcome) and the server's (its
 * phase), with one {@link FlowItem} per direction. It is also the
 * {@link DispatchHandle} the client cancels through, so a request costs few
 * objects on the hot path.
 */
export class SimStream implements DispatchHandle {
  /** HTTP/2 stream id (odd, increasing per connection; RFC 9113 §5.1.1). */
  readonly id: number;
  /** The request body's flow-control state (client → server). */
  readonly up: FlowItem<SimStream>;
  /** The response body's flow-control state (server → client), once the response starts. */
  down: FlowItem<SimStream> | undefined;
  /** True once the client has been told the outcome (`onDone`); nothing reaches the listener after. */
  clientDone = false;
  /** Where the stream is on the server. */
  serverPhase: ServerStreamPhase = 'in-transit';
  /** The request body has fully left the client. */
  bodySent = false;
  /** The server's HEADERS event was posted apart from the body's (the body waited for window). */
  openPosted = false;
  /** The client's response-HEADERS event has been posted. */
  headersPosted = false;
  /** When the response HEADERS' last byte left the server, ms. */
  headersLeftAtMs = 0;
  /** The client reset the stream and the RST_STREAM reached the server, or the server dropped it. */
  serverCancelled = false;

  constructor(
    /** The client half of the connection it is open on. */
    readonly connection: StreamHost,
    /** The server half of that connection. */
    readonly serverSide: StreamServerHost,
    id: number,
    readonly request: TransportRequest,
    readonly listener: DispatchListener,
    streamWindowBytes: number,
  ) {
    this.id = id;
    this.up = new FlowItem<SimStream>(this, streamWindowBytes);
  }

  /** Cancels the stream: RST_STREAM(CANCEL) goes on the wire (see {@link SimConnection.cancel}). */
  cancel(): void {
    this.connection.cancel(this);
  }
}
