import type { SessionCapacity } from '../core/capacity.js';
import {
  classifyStreamClose,
  type GoawayRecord,
  type StreamCloseFacts,
} from '../transport/classifyStreamClose.js';
import { http2Codes } from '../transport/http2Codes.js';
import type { PooledSession } from '../transport/SessionPool.js';
import type { SessionHooks } from '../transport/sessionHooks.js';
import { SessionLifecycle, type SessionState } from '../transport/sessionState.js';
import type {
  DispatchListener,
  DispatchOutcome,
  ResponseHeaders,
  TransportRequest,
} from '../transport/Transport.js';
import { FlowSender } from './flowSender.js';
import type { HeapScheduler } from './heapScheduler.js';
import { deliver, frameHeaderBytes, type Link, rstStreamFrameBytes } from './link.js';
import type { Scenario } from './scenario.js';
import { type ClientSession, ServerSession } from './serverSession.js';
import type { SimServer } from './simServer.js';
import { SimStream, type StreamHost } from './simStream.js';

const { NO_ERROR, REFUSED_STREAM, CANCEL } = http2Codes;

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
}

/** How a stream ended, beyond what the connection knows (its GOAWAY, whether it is gone). */
type StreamEnd = Partial<
  Pick<StreamCloseFacts, 'cancelled' | 'tooLarge' | 'response' | 'rstCode' | 'sessionDestroyed'>
>;

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
export class SimConnection implements ClientSession, StreamHost, PooledSession {
  /** Transport-local session id. */
  readonly id: number;
  /** The peer's SETTINGS_MAX_CONCURRENT_STREAMS as the client last received it. */
  maxConcurrentStreams = 0;
  /** Streams the client has open on it. */
  readonly inFlight = new Set<SimStream>();
  /** Request bodies (client → server). */
  readonly up: FlowSender<SimStream>;
  /** The server's half of this connection. */
  readonly serverSide: ServerSession;
  readonly #ctx: ConnectionContext;
  readonly #hooks: SessionHooks<SimConnection>;
  readonly #lifecycle = new SessionLifecycle();
  /** The GOAWAY received, with the lowest last-stream-id seen so far. */
  #goaway: GoawayRecord | undefined;
  #nextStreamId = 1;

  constructor(ctx: ConnectionContext, id: number, hooks: SessionHooks<SimConnection>) {
    this.#ctx = ctx;
    this.id = id;
    this.#hooks = hooks;
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

  /** The client's view of the session; it changes only through {@link SessionLifecycle.transition}. */
  get state(): SessionState {
    return this.#lifecycle.state;
  }

  /** Streams the client has open on it. */
  get streamsInFlight(): number {
    return this.inFlight.size;
  }

  /** Streams it may carry now: the peer's limit, or 0 unless ready. */
  get streamLimit(): number {
    return this.state === 'ready' ? this.maxConcurrentStreams : 0;
  }

  /** Stream slots the client may still open. */
  get freeSlots(): number {
    return Math.max(0, this.streamLimit - this.inFlight.size);
  }

  /** Whether a body of `bodyBytes` would wait here now: the connection window is smaller, or bodies already wait for it. */
  sendStalled(bodyBytes: number): boolean {
    return (
      (bodyBytes > 0 && bodyBytes > this.up.windowBytes(this.now())) || this.up.pendingBytes > 0
    );
  }

  /** This session's capacity now. */
  capacity(): SessionCapacity {
    return {
      id: this.id,
      state: this.state,
      streamsInFlight: this.inFlight.size,
      maxConcurrentStreams: this.maxConcurrentStreams,
      remoteWindowBytes: this.up.windowBytes(this.now()),
      outboundQueueBytes: this.up.pendingBytes,
    };
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
    this.#clientFinish(stream);
    this.up.abort(stream.up);
    this.#sendCancel(stream);
    this.#ctx.scheduler.postAfter(0, reportCancelled, stream);
    this.#closeIfDrained();
  }

  /** @internal The cancel's outcome, a tick after `cancel()` as Node reports it. */
  reportCancelled(stream: SimStream): void {
    const atMs = this.now();
    stream.listener.onDone(this.#classify(stream, { cancelled: { atMs, onWire: true } }, atMs));
  }

  /** Client side: no new streams; closes once the last one ends. A connecting session is given up. */
  drain(): void {
    if (this.state === 'connecting') {
      this.#clientClose();
      return;
    }
    if (this.#lifecycle.transition('draining')) this.#closeIfDrained();
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
    this.maxConcurrentStreams = value;
    this.#lifecycle.transition('ready');
    this.#hooks.ready(this);
  }

  /** @internal A SETTINGS change arrived. */
  settings(value: number): void {
    if (this.state === 'closed') return;
    this.maxConcurrentStreams = value;
    this.#hooks.changed(this);
  }

  /** @internal The connection attempt failed. */
  failed(): void {
    if (!this.#lifecycle.transition('closed')) return;
    this.#hooks.closed(this, {
      detail: 'connection refused (server limit of connections per client)',
      causeCode: 'ECONNREFUSED',
      lasting: false,
    });
  }

  /**
   * @internal GOAWAY arrived: no new streams; the streams above its
   * last-stream-id come back retryable, and with an error code the rest fail
   * and the connection ends.
   */
  goaway(code: number, last: number): void {
    if (this.state === 'closed') return;
    const atMs = this.now();
    const lastStreamId = Math.min(last, this.#goaway?.lastStreamId ?? last);
    this.#goaway = { code: code || (this.#goaway?.code ?? NO_ERROR), lastStreamId };
    // No new streams from here on, before any listener can dispatch again.
    this.#lifecycle.transition('draining');
    this.#hooks.goaway(this, { code, lastStreamId: last });
    for (const stream of [...this.inFlight]) {
      if (stream.id > lastStreamId || code !== NO_ERROR) {
        this.#settle(stream, { sessionDestroyed: code !== NO_ERROR }, atMs);
      }
    }
    if (code !== NO_ERROR) this.#clientClose();
    else this.#closeIfDrained();
  }

  /** @internal RST_STREAM(REFUSED_STREAM) arrived. */
  refused(stream: SimStream): void {
    if (stream.clientDone) return;
    this.#settle(stream, { rstCode: REFUSED_STREAM }, this.now());
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
    const atMs = this.now();
    const response = {
      kind: 'response' as const,
      status: ctx.scenario.response.status,
      headers: ctx.responseHeaders,
      body: ctx.responseBody,
      atMs,
      // The server's sender waited for credit exactly when the windows this client advertised
      // were used up: the client's own receive window held the response back.
      windowStalled: stream.down?.stalled === true,
    };
    this.#settle(stream, { response }, atMs);
    this.#closeIfDrained();
  }

  /** @internal The response is over `maxResponseBytes`: reset the stream and fail it. */
  cancelTooLarge(stream: SimStream): void {
    const { scenario } = this.#ctx;
    this.#clientFinish(stream);
    const nowMs = this.now();
    this.#sendCancel(stream);
    const tooLarge = {
      atMs: nowMs,
      bytes: scenario.response.bodyBytes,
      limit: stream.request.maxResponseBytes,
    };
    stream.listener.onDone(this.#classify(stream, { tooLarge }, nowMs));
    this.#closeIfDrained();
  }

  /** Sends RST_STREAM(CANCEL) for `stream`; the server has it one one-way delay after it leaves. */
  #sendCancel(stream: SimStream): void {
    const { scheduler, upLink } = this.#ctx;
    const leftAtMs = upLink.transmit(rstStreamFrameBytes, scheduler.now());
    deliver(scheduler, leftAtMs, upLink.oneWayMs, serverCancel, stream);
  }

  #clientFinish(stream: SimStream): void {
    stream.clientDone = true;
    this.inFlight.delete(stream);
  }

  /** Ends `stream` on the client with the outcome production's classifier gives these facts. */
  #settle(stream: SimStream, end: StreamEnd, atMs: number): void {
    this.#clientFinish(stream);
    stream.listener.onDone(this.#classify(stream, end, atMs));
  }

  /** The facts `node:http2` would report for this stream's close, judged by {@link classifyStreamClose}. */
  #classify(stream: SimStream, end: StreamEnd, atMs: number): DispatchOutcome {
    return classifyStreamClose({
      cancelled: end.cancelled,
      tooLarge: end.tooLarge,
      bodyFailed: undefined,
      response: end.response,
      streamId: stream.id,
      goaway: this.#goaway,
      rstCode: end.rstCode,
      sessionDestroyed: end.sessionDestroyed === true,
      error: undefined,
      atMs,
    });
  }

  #closeIfDrained(): void {
    if (this.state === 'draining' && this.inFlight.size === 0) this.#clientClose();
  }

  #clientClose(): void {
    if (!this.#lifecycle.transition('closed')) return;
    const { scheduler, upLink } = this.#ctx;
    // In-flight streams of a connection that closes under them are lost.
    const atMs = scheduler.now();
    for (const stream of [...this.inFlight]) {
      this.#settle(stream, { sessionDestroyed: true }, atMs);
    }
    scheduler.postAndForget(atMs + upLink.oneWayMs, serverClose, this.serverSide);
    this.#hooks.closed(this, undefined);
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
  stream.connection.reportCancelled(stream);
}
