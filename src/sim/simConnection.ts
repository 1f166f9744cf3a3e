import type {
  DispatchListener,
  ResponseHeaders,
  TransportEvent,
  TransportRequest,
} from '../transport/Transport.js';
import { FlowItem, FlowSender } from './flowSender.js';
import type { HeapScheduler } from './heapScheduler.js';
import { frameHeaderBytes, type Link, rstStreamFrameBytes } from './link.js';
import type { Scenario } from './scenario.js';
import { http2ErrorNames, type ServerConnection, type SimServer } from './simServer.js';
import { SimStream, type StreamHost } from './simStream.js';

/** HTTP/2 error codes used here (RFC 9113 §7). */
const NO_ERROR = 0;
const REFUSED_STREAM = 7;
const CANCEL = 8;
/** SETTINGS frame with one setting (6 bytes), and GOAWAY with no debug data (8 bytes). */
const settingsFrameBytes = frameHeaderBytes + 6;
const goawayFrameBytes = frameHeaderBytes + 8;

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
 * One HTTP/2 connection, both ends: the client's session (state, the peer's
 * MAX_CONCURRENT_STREAMS as last received, streams in flight) and the
 * server's half (the limit it enforces, the streams it holds, GOAWAY and
 * reset-flood state), joined by the client's two {@link Link}s.
 *
 * Every frame crosses a link, so each side learns of the other's actions
 * one one-way delay late: SETTINGS take effect at the client RTT/2 after
 * the server sends them, and the server enforces a new limit only once the
 * client's ACK is back (RTT later, as nghttp2 does); a GOAWAY reaches the
 * client RTT/2 later, and the streams it opened meanwhile above the GOAWAY's
 * last-stream-id come back as retryable (RFC 9113 §6.8).
 */
export class SimConnection implements ServerConnection, StreamHost {
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
  /** Response bodies (server → client). */
  readonly down: FlowSender<SimStream>;
  readonly #ctx: ConnectionContext;
  #nextStreamId = 1;
  // Server half.
  #serverOpen = false;
  #serverClosed = false;
  #serverMaxStreams = 0;
  #serverActive = 0;
  #serverAccepted = 0;
  #serverHighestAccepted = 0;
  #serverGoawayLast = Infinity;
  readonly #serverStreams = new Set<SimStream>();
  readonly #resetTimesMs: number[] = [];

  constructor(ctx: ConnectionContext, id: number) {
    this.#ctx = ctx;
    this.id = id;
    const h2 = ctx.scenario.http2;
    this.up = new FlowSender<SimStream>(ctx.scheduler, ctx.upLink, h2, (item, leftAtMs) =>
      this.#requestSent(item.owner, leftAtMs),
    );
    this.down = new FlowSender<SimStream>(ctx.scheduler, ctx.downLink, h2, (item, leftAtMs) =>
      this.#responseSent(item.owner, leftAtMs),
    );
  }

  /** The server this connection goes to. */
  get server(): SimServer {
    return this.#ctx.server;
  }

  /** The virtual clock, ms. */
  now(): number {
    return this.#ctx.scheduler.now();
  }

  /** @internal Server side: a worker finished `stream`. */
  serviceDone(stream: SimStream): void {
    this.#ctx.server.finished(stream);
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
    scheduler.postAndForget(Math.max(nowMs, nowMs + setupMs - rttMs / 2), serverAccept, this);
  }

  /** Opens a stream for `request`; the caller has checked {@link freeSlots}. */
  dispatch(request: TransportRequest, listener: DispatchListener): SimStream {
    const ctx = this.#ctx;
    const scheduler = ctx.scheduler;
    const stream = new SimStream(
      this,
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

  // ---- server half ----------------------------------------------------------------------------

  /** @internal The server accepted the TCP connection and sends its SETTINGS. */
  serverAccept(): void {
    if (this.#serverClosed) return;
    const { scheduler, server, downLink } = this.#ctx;
    this.#serverOpen = true;
    const value = server.maxConcurrentStreams;
    // The initial SETTINGS cannot be outrun by a stream, so it is enforced at once.
    this.#serverMaxStreams = value;
    server.connectionOpened(this);
    const arriveMs = downLink.transmit(settingsFrameBytes, scheduler.now()) + downLink.oneWayMs;
    scheduler.postAndForget(arriveMs, clientReady, { connection: this, value });
  }

  /** Sends a new SETTINGS_MAX_CONCURRENT_STREAMS; enforced once the client's ACK is back. */
  sendSettings(value: number): void {
    if (!this.#serverOpen || this.#serverClosed) return;
    const { scheduler, downLink } = this.#ctx;
    const arriveMs = downLink.transmit(settingsFrameBytes, scheduler.now()) + downLink.oneWayMs;
    scheduler.postAndForget(arriveMs, clientSettings, { connection: this, value });
    scheduler.postAndForget(arriveMs + downLink.oneWayMs, serverEnforce, {
      connection: this,
      value,
    });
  }

  /** @internal Server side: applies an acknowledged SETTINGS value. */
  enforce(value: number): void {
    this.#serverMaxStreams = value;
  }

  /** @internal Server side: HEADERS arrived. Returns whether the stream was accepted. */
  serverOpen(stream: SimStream): boolean {
    const { scheduler, server, downLink } = this.#ctx;
    if (this.#serverClosed || stream.id > this.#serverGoawayLast) {
      // Above a GOAWAY's last-stream-id: discarded unprocessed; the GOAWAY tells the client.
      stream.serverPhase = 'closed';
      return false;
    }
    if (this.#serverActive >= this.#serverMaxStreams || server.overloaded()) {
      stream.serverPhase = 'closed';
      server.streamRefused();
      const arriveMs = downLink.transmit(rstStreamFrameBytes, scheduler.now()) + downLink.oneWayMs;
      scheduler.postAndForget(arriveMs, clientRefused, stream);
      return false;
    }
    this.#serverActive++;
    this.#serverAccepted++;
    this.#serverHighestAccepted = stream.id;
    this.#serverStreams.add(stream);
    server.streamStarted(this.#serverActive);
    stream.serverPhase = 'receiving';
    if (this.#serverAccepted === server.config.goawayEveryStreams) this.#sendGoaway(NO_ERROR);
    return true;
  }

  /** @internal Server side: the request is complete; it goes to the workers. */
  serverBody(stream: SimStream): void {
    if (stream.serverPhase === 'receiving') this.#ctx.server.submit(stream);
  }

  /** Server side: a worker finished `stream`; its response goes out (HEADERS, then DATA under flow control). */
  respond(stream: SimStream): void {
    if (this.#serverClosed || stream.serverPhase !== 'serving') return;
    const { scheduler, downLink, scenario } = this.#ctx;
    stream.serverPhase = 'responding';
    const nowMs = scheduler.now();
    const headersLeftMs = downLink.transmit(
      scenario.response.headerBytes + frameHeaderBytes,
      nowMs,
    );
    const bodyBytes = scenario.response.bodyBytes;
    if (bodyBytes === 0) {
      this.#serverStreamClosed(stream, true);
      deliver(scheduler, headersLeftMs, downLink.oneWayMs, clientHeadersAndEnd, stream);
      return;
    }
    stream.headersLeftAtMs = headersLeftMs;
    stream.down = new FlowItem<SimStream>(stream, scenario.http2.streamWindowBytes);
    this.down.send(stream.down, bodyBytes);
    if (!stream.headersPosted) {
      deliver(scheduler, headersLeftMs, downLink.oneWayMs, clientHeaders, stream);
      stream.headersPosted = true;
    }
  }

  /** @internal Server side: RST_STREAM arrived. */
  serverReset(stream: SimStream, code: number): void {
    const { scheduler, server } = this.#ctx;
    server.resetReceived(code);
    if (this.#serverClosed) return;
    this.#dropServerStream(stream);
    const flood = server.config.resetFlood;
    if (flood === undefined) return;
    const nowMs = scheduler.now();
    const times = this.#resetTimesMs;
    times.push(nowMs);
    while (times.length > 0 && times[0]! <= nowMs - flood.perS * 1000) times.shift();
    if (times.length > flood.maxResets) this.#sendGoaway(11);
  }

  /** @internal Server side: the client closed the connection. */
  serverClose(): void {
    if (this.#serverClosed) return;
    this.#serverClosed = true;
    for (const stream of this.#serverStreams) this.#dropServerStream(stream);
    this.#serverStreams.clear();
    this.#serverActive = 0;
    this.#ctx.server.connectionClosed(this, this.#ctx.clientId);
  }

  #sendGoaway(code: number): void {
    const { scheduler, server, downLink } = this.#ctx;
    const last = Math.min(this.#serverGoawayLast, this.#serverHighestAccepted);
    this.#serverGoawayLast = last;
    server.goawaySent();
    const arriveMs = downLink.transmit(goawayFrameBytes, scheduler.now()) + downLink.oneWayMs;
    scheduler.postAndForget(arriveMs, clientGoaway, { connection: this, code, last });
    // A GOAWAY with an error code ends the connection at once (RFC 9113 §5.4.1).
    if (code !== NO_ERROR) this.serverClose();
  }

  #dropServerStream(stream: SimStream): void {
    switch (stream.serverPhase) {
      case 'waiting':
        this.#ctx.server.withdraw(stream);
        break;
      case 'serving':
        // The worker keeps going (its work is wasted); no response will be sent.
        stream.serverCancelled = true;
        break;
      case 'responding':
        if (stream.down) this.down.abort(stream.down);
        break;
      case 'receiving':
        break;
      default:
        return;
    }
    this.#serverStreamClosed(stream, false);
  }

  #serverStreamClosed(stream: SimStream, completed: boolean): void {
    if (stream.serverPhase === 'closed') return;
    stream.serverPhase = 'closed';
    this.#serverActive--;
    this.#serverStreams.delete(stream);
    if (completed) this.#ctx.server.streamCompleted();
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

  #responseSent(stream: SimStream, leftAtMs: number): void {
    const { scheduler, downLink } = this.#ctx;
    this.#serverStreamClosed(stream, true);
    const oneWayMs = downLink.oneWayMs;
    if (!stream.headersPosted) {
      stream.headersPosted = true;
      if (leftAtMs === stream.headersLeftAtMs) {
        deliver(scheduler, leftAtMs, oneWayMs, clientHeadersAndEnd, stream);
        return;
      }
      deliver(scheduler, stream.headersLeftAtMs, oneWayMs, clientHeaders, stream);
    }
    deliver(scheduler, leftAtMs, oneWayMs, clientEnd, stream);
  }

  // ---- client half ----------------------------------------------------------------------------

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
    stream.listener.onHeaders(atMs, scenario.response.status);
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
    });
    this.#closeIfDrained();
  }

  /** @internal The response is over `maxResponseBytes`: reset the stream and fail it. */
  cancelTooLarge(stream: SimStream): void {
    const { scheduler, upLink, scenario } = this.#ctx;
    this.#clientFinish(stream);
    const nowMs = scheduler.now();
    scheduler.postAndForget(
      upLink.transmit(rstStreamFrameBytes, nowMs) + upLink.oneWayMs,
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
    scheduler.postAndForget(atMs + upLink.oneWayMs, serverClose, this);
    this.#ctx.event({ kind: 'session-closed', sessionId: this.id, atMs });
    this.#ctx.sessionChanged(this);
  }
}

/**
 * Posts `fn(arg)` for `extraMs` after `leftAtMs` (when a frame's last byte
 * left, at or after now). A frame that leaves now arrives after a fixed
 * delay, which the scheduler keeps in a FIFO lane instead of its heap.
 */
function deliver<A>(
  scheduler: HeapScheduler,
  leftAtMs: number,
  extraMs: number,
  fn: (arg: A) => void,
  arg: A,
): void {
  if (leftAtMs === scheduler.now()) scheduler.postAfter(extraMs, fn, arg);
  else scheduler.postAndForget(leftAtMs + extraMs, fn, arg);
}

// Event handlers, module-level so posting one allocates no closure.

function serverAccept(connection: SimConnection): void {
  connection.serverAccept();
}

function connectFailed(connection: SimConnection): void {
  connection.failed();
}

function clientReady(e: { connection: SimConnection; value: number }): void {
  e.connection.ready(e.value);
}

function clientSettings(e: { connection: SimConnection; value: number }): void {
  e.connection.settings(e.value);
}

function serverEnforce(e: { connection: SimConnection; value: number }): void {
  e.connection.enforce(e.value);
}

function clientGoaway(e: { connection: SimConnection; code: number; last: number }): void {
  e.connection.goaway(e.code, e.last);
}

function serverClose(connection: SimConnection): void {
  connection.serverClose();
}

function clientSent(stream: SimStream): void {
  if (!stream.clientDone) stream.listener.onSent(stream.connection.now(), stream.up.stalled);
}

function serverOpen(stream: SimStream): void {
  stream.connection.serverOpen(stream);
}

function serverBody(stream: SimStream): void {
  stream.connection.serverBody(stream);
}

function serverOpenAndBody(stream: SimStream): void {
  if (stream.connection.serverOpen(stream)) stream.connection.serverBody(stream);
}

function serverCancel(stream: SimStream): void {
  stream.connection.serverReset(stream, CANCEL);
}

function reportCancelled(stream: SimStream): void {
  stream.listener.onDone({ kind: 'cancelled', onWire: true, atMs: stream.connection.now() });
}

function clientRefused(stream: SimStream): void {
  stream.connection.refused(stream);
}

function clientHeaders(stream: SimStream): void {
  stream.connection.headers(stream);
}

function clientEnd(stream: SimStream): void {
  stream.connection.end(stream);
}

function clientHeadersAndEnd(stream: SimStream): void {
  stream.connection.headers(stream);
  stream.connection.end(stream);
}
