import type {
  DispatchListener,
  ResponseHeaders,
  TransportEvent,
  TransportRequest,
} from '../transport/Transport.js';
import { FlowSender } from './flowSender.js';
import type { HeapScheduler } from './heapScheduler.js';
import { deliver, frameHeaderBytes, type Link, rstStreamFrameBytes } from './link.js';
import type { Scenario } from './scenario.js';
import { type ClientSession, ServerSession } from './serverSession.js';
import { http2ErrorNames, type SimServer } from './simServer.js';
import { SimStream, type StreamHost } from './simStream.js';

/** HTTP/2 error codes used here (RFC 9113 §7). */
const NO_ERROR = 0;
const REFUSED_STREAM = 7;
const CANCEL = 8;

/** What the connections of one simulated client share. */
export interface ConnectionContext {
  readonly scheduler: HeapScheduler;
  readonly server: SimServer;
  /** Which client (of a fleet) this is, for the server's per-client connection limit. */
  readonly clientId: number;
  /** Client → server. */
  readonly upLink: Link;
  /** Server → client. */
  readonly downLink: Link;
  readonly scenario: Scenario;
  /** The body every response carries (shared, read-only). */
  readonly responseBody: Uint8Array;
  /** The headers every response carries (shared, frozen). */
  readonly responseHeaders: ResponseHeaders;
  /** The connection's state or limits changed (ready, SETTINGS, GOAWAY, closed). */
  sessionChanged(connection: SimConnection): void;
  /** A session-level event for `events$`. */
  event(event: TransportEvent): void;
  /** The connection attempt failed. */
  connectFailed(connection: SimConnection): void;
}

/**
 * One HTTP/2 connection as the client's session sees it: its state, the
 * peer's MAX_CONCURRENT_STREAMS as last received, the streams in flight and
 * the request-body sender; the server's half is a {@link ServerSession},
 * and the two talk only through frames on the client's {@link Link}s, so
 * each learns of the other's actions one one-way delay late.
 *
 * A GOAWAY reaches the client RTT/2 after it was sent; the streams the
 * client opened meanwhile above its last-stream-id come back as retryable
 * (RFC 9113 §6.8), and the session drains. With an error code the
 * connection ends at once and the streams at or below it fail.
 */
export class SimConnection implements ClientSession, StreamHost {
  /** Transport-local session id. */
  readonly id: number;
  /** The client's view of the session. */
  state: 'connecting' | 'ready' | 'draining' | 'closed' = 'connecting';
  /** The peer's SETTINGS_MAX_CONCURRENT_STREAMS as the client last received it. */
  maxConcurrentStreams = 0;
  /** Streams the client has open on it. */
  readonly inFlight = new Set<SimStream>();
  /** Request bodies (client → server). */
  readonly up: FlowSender<SimStream>;
  /** The server's half of this connection. */
  readonly serverSide: ServerSession;
  readonly #ctx: ConnectionContext;
  #nextStreamId = 1;

  constructor(ctx: ConnectionContext, id: number) {
    this.#ctx = ctx;
    this.id = id;
    this.up = new FlowSender<SimStream>(
      ctx.scheduler,
      ctx.upLink,
      ctx.scenario.http2,
      (item, leftAtMs) => this.#requestSent(item.owner, leftAtMs),
    );
    this.serverSide = new ServerSession(ctx, this);
  }

  /** The virtual clock, ms. */
  now(): number {
    return this.#ctx.scheduler.now();
  }

  /** Stream slots the client may still open. */
  get freeSlots(): number {
    return this.state === 'ready' ? Math.max(0, this.maxConcurrentStreams - this.inFlight.size) : 0;
  }

  /**
   * Opens the connection: TCP handshake and the SETTINGS exchange take
   * `setupRtts` round trips; the server sends its SETTINGS half an RTT
   * before the client has them. A client at the server's per-client limit
   * is refused after one RTT (ECONNREFUSED).
   */
  connect(): void {
    const { scheduler, server, clientId, scenario } = this.#ctx;
    const nowMs = scheduler.now();
    const rttMs = scenario.network.rttMs;
    if (!server.admitConnection(clientId)) {
      scheduler.postAndForget(nowMs + rttMs, connectFailed, this);
      return;
    }
    const setupMs = scenario.network.setupRtts * rttMs;
    scheduler.postAndForget(
      Math.max(nowMs, nowMs + setupMs - rttMs / 2),
      serverAccept,
      this.serverSide,
    );
  }

  /** Opens a stream for `request`; the caller has checked {@link freeSlots}. */
  dispatch(request: TransportRequest, listener: DispatchListener): SimStream {
    const ctx = this.#ctx;
    const scheduler = ctx.scheduler;
    const stream = new SimStream(
      this,
      this.serverSide,
      this.#nextStreamId,
      request,
      listener,
      ctx.scenario.http2.streamWindowBytes,
    );
    this.#nextStreamId += 2;
    this.inFlight.add(stream);
    const nowMs = scheduler.now();
    const headersLeftMs = ctx.upLink.transmit(
      ctx.scenario.request.headerBytes + frameHeaderBytes,
      nowMs,
    );
    const bodyBytes = request.body?.byteLength ?? 0;
    if (bodyBytes === 0) {
      // END_STREAM rides on HEADERS.
      deliver(scheduler, headersLeftMs, 0, clientSent, stream);
      deliver(scheduler, headersLeftMs, ctx.upLink.oneWayMs, serverOpenAndBody, stream);
      return stream;
    }
    this.up.send(stream.up, bodyBytes);
    if (!stream.bodySent) {
      // The body waits for window: the server sees HEADERS first, the body later.
      deliver(scheduler, headersLeftMs, ctx.upLink.oneWayMs, serverOpen, stream);
      stream.openPosted = true;
    }
    return stream;
  }

  /** Client side: resets `stream` with RST_STREAM(CANCEL) and reports it cancelled on the wire. */
  cancel(stream: SimStream): void {
    if (stream.clientDone) return;
    const { scheduler, upLink } = this.#ctx;
    this.#clientFinish(stream);
    this.up.abort(stream.up);
    const nowMs = scheduler.now();
    deliver(
      scheduler,
      upLink.transmit(rstStreamFrameBytes, nowMs),
      upLink.oneWayMs,
      serverCancel,
      stream,
    );
    scheduler.postAfter(0, reportCancelled, stream);
    this.#closeIfDrained();
  }

  /** Client side: no new streams; closes once the last one ends. */
  drain(): void {
    if (this.state === 'closed') return;
    if (this.state === 'connecting') {
      this.#clientClose();
      return;
    }
    this.state = 'draining';
    this.#closeIfDrained();
  }

  /** Bytes of request body waiting for window on this connection. */
  get outboundQueueBytes(): number {
    return this.up.pendingBytes;
  }

  #requestSent(stream: SimStream, leftAtMs: number): void {
    const { scheduler, upLink } = this.#ctx;
    stream.bodySent = true;
    deliver(scheduler, leftAtMs, 0, clientSent, stream);
    deliver(
      scheduler,
      leftAtMs,
      upLink.oneWayMs,
      stream.openPosted ? serverBody : serverOpenAndBody,
      stream,
    );
  }

  /** @internal The server's first SETTINGS arrived: the session is ready. */
  ready(value: number): void {
    if (this.state !== 'connecting') return;
    this.state = 'ready';
    this.maxConcurrentStreams = value;
    this.#ctx.event({ kind: 'session-ready', sessionId: this.id, atMs: this.#ctx.scheduler.now() });
    this.#ctx.sessionChanged(this);
  }

  /** @internal A SETTINGS change arrived. */
  settings(value: number): void {
    if (this.state === 'closed') return;
    this.maxConcurrentStreams = value;
    this.#ctx.sessionChanged(this);
  }

  /** @internal The connection attempt failed. */
  failed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.#ctx.event({
      kind: 'connection-error',
      sessionId: this.id,
      detail: 'connection refused (server limit of connections per client)',
      causeCode: 'ECONNREFUSED',
      atMs: this.#ctx.scheduler.now(),
    });
    this.#ctx.connectFailed(this);
  }

  /** @internal GOAWAY arrived: unprocessed streams come back retryable; with an error code the rest fail. */
  goaway(code: number, last: number): void {
    if (this.state === 'closed') return;
    const atMs = this.#ctx.scheduler.now();
    // No new streams from here on, before any listener can dispatch again.
    this.state = 'draining';
    this.#ctx.event({
      kind: 'goaway',
      sessionId: this.id,
      errorCode: code,
      lastStreamId: last,
      atMs,
    });
    for (const stream of [...this.inFlight]) {
      if (stream.id > last) {
        this.#clientFinish(stream);
        stream.listener.onDone({
          kind: 'retryable',
          reason: 'goaway-unprocessed',
          http2Code: code,
          atMs,
        });
      } else if (code !== NO_ERROR) {
        this.#clientFinish(stream);
        stream.listener.onDone({
          kind: 'error',
          failure: 'goaway',
          detail: `GOAWAY(${http2ErrorNames[code] ?? code}) ended the connection`,
          http2Code: code,
          atMs,
        });
      }
    }
    if (code !== NO_ERROR) this.#clientClose();
    else this.#closeIfDrained();
    this.#ctx.sessionChanged(this);
  }

  /** @internal RST_STREAM(REFUSED_STREAM) arrived. */
  refused(stream: SimStream): void {
    if (stream.clientDone) return;
    this.#clientFinish(stream);
    stream.listener.onDone({
      kind: 'retryable',
      reason: 'refused-stream',
      http2Code: REFUSED_STREAM,
      atMs: this.#ctx.scheduler.now(),
    });
    this.#closeIfDrained();
  }

  /** @internal Response HEADERS arrived. */
  headers(stream: SimStream): void {
    if (stream.clientDone) return;
    const atMs = this.#ctx.scheduler.now();
    const { scenario } = this.#ctx;
    if (scenario.response.bodyBytes > stream.request.maxResponseBytes) {
      // content-length says the body is too long: reset it now rather than read it.
      this.cancelTooLarge(stream);
      return;
    }
    stream.listener.onHeaders(atMs, scenario.response.status, this.#ctx.responseHeaders);
  }

  /** @internal The response ended. */
  end(stream: SimStream): void {
    if (stream.clientDone) return;
    const ctx = this.#ctx;
    this.#clientFinish(stream);
    stream.listener.onDone({
      kind: 'response',
      status: ctx.scenario.response.status,
      headers: ctx.responseHeaders,
      body: ctx.responseBody,
      atMs: ctx.scheduler.now(),
      // The server's sender waited for credit exactly when the windows this client advertised
      // were used up: the client's own receive window held the response back.
      windowStalled: stream.down?.stalled === true,
    });
    this.#closeIfDrained();
  }

  /** @internal The response is over `maxResponseBytes`: reset the stream and fail it. */
  cancelTooLarge(stream: SimStream): void {
    const { scheduler, upLink, scenario } = this.#ctx;
    this.#clientFinish(stream);
    const nowMs = scheduler.now();
    deliver(
      scheduler,
      upLink.transmit(rstStreamFrameBytes, nowMs),
      upLink.oneWayMs,
      serverCancel,
      stream,
    );
    stream.listener.onDone({
      kind: 'error',
      failure: 'response-too-large',
      detail: `response body of ${scenario.response.bodyBytes} bytes is over maxResponseBytes (${stream.request.maxResponseBytes})`,
      atMs: nowMs,
    });
    this.#closeIfDrained();
  }

  #clientFinish(stream: SimStream): void {
    stream.clientDone = true;
    this.inFlight.delete(stream);
  }

  #closeIfDrained(): void {
    if (this.state === 'draining' && this.inFlight.size === 0) this.#clientClose();
  }

  #clientClose(): void {
    if (this.state === 'closed') return;
    const { scheduler, upLink } = this.#ctx;
    this.state = 'closed';
    // In-flight streams of a connection that closes under them are lost.
    const atMs = scheduler.now();
    for (const stream of [...this.inFlight]) {
      this.#clientFinish(stream);
      stream.listener.onDone({
        kind: 'error',
        failure: 'session-closed',
        detail: 'the connection closed with the stream in flight',
        atMs,
      });
    }
    scheduler.postAndForget(atMs + upLink.oneWayMs, serverClose, this.serverSide);
    this.#ctx.event({ kind: 'session-closed', sessionId: this.id, atMs });
    this.#ctx.sessionChanged(this);
  }
}

// Frames arriving at the server, and client-side reports, module-level so posting one
// allocates no closure.

function serverAccept(session: ServerSession): void {
  session.accept();
}

function serverClose(session: ServerSession): void {
  session.close();
}

function connectFailed(connection: SimConnection): void {
  connection.failed();
}

function clientSent(stream: SimStream): void {
  if (!stream.clientDone) stream.listener.onSent(stream.connection.now(), stream.up.stalled);
}

function serverOpen(stream: SimStream): void {
  stream.serverSide.open(stream);
}

function serverBody(stream: SimStream): void {
  stream.serverSide.body(stream);
}

function serverOpenAndBody(stream: SimStream): void {
  if (stream.serverSide.open(stream)) stream.serverSide.body(stream);
}

function serverCancel(stream: SimStream): void {
  stream.serverSide.reset(stream, CANCEL);
}

function reportCancelled(stream: SimStream): void {
  stream.listener.onDone({ kind: 'cancelled', onWire: true, atMs: stream.connection.now() });
}
