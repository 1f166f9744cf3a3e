import { http2Codes } from '../transport/http2Codes.js';
import { FlowItem, FlowSender } from './flowSender.js';
import type { HeapScheduler } from './heapScheduler.js';
import { deliver, frameHeaderBytes, type Link, rstStreamFrameBytes } from './link.js';
import { ResetGuard } from './resetGuard.js';
import type { Scenario } from './scenario.js';
import type { ServerConnection, SimServer } from './simServer.js';
import type { SimStream, StreamServerHost } from './simStream.js';

const { NO_ERROR, PROTOCOL_ERROR } = http2Codes;
/** SETTINGS frame with one setting (6 bytes), and GOAWAY with no debug data (8 bytes). */
const settingsFrameBytes = frameHeaderBytes + 6;
const goawayFrameBytes = frameHeaderBytes + 8;

/** The client half of a connection, as the server half reaches it (frames arriving). */
export interface ClientSession {
  /** The server's first SETTINGS arrived. */
  ready(maxConcurrentStreams: number): void;
  /** A SETTINGS change arrived. */
  settings(maxConcurrentStreams: number): void;
  /** A GOAWAY arrived. */
  goaway(code: number, lastStreamId: number): void;
}

/** What the server half needs to know about the connection it serves. */
export interface ServerSessionContext {
  readonly scheduler: HeapScheduler;
  readonly server: SimServer;
  /** The client, for the server's per-client connection count. */
  readonly clientId: number;
  /** Server → client. */
  readonly downLink: Link;
  readonly scenario: Scenario;
}

/**
 * The server's half of one HTTP/2 connection: the MAX_CONCURRENT_STREAMS it
 * enforces, the streams it holds, its response sender, and its GOAWAY and
 * reset-flood state.
 *
 * - A new SETTINGS value reaches the client RTT/2 after it is sent, and the
 *   server enforces it only once the client's ACK is back, one RTT later
 *   (nghttp2 applies local settings on ACK), so a stream the client opened
 *   under the old limit is not refused for the new one.
 * - A stream is refused (RST_STREAM(REFUSED_STREAM), RFC 9113 §8.7) when the
 *   connection is at its limit or more requests wait for a worker than
 *   `refuseWhenQueuedOver`.
 * - After `goawayEveryStreams` accepted streams it sends GOAWAY(NO_ERROR)
 *   naming the last one; HEADERS above it are discarded unprocessed, and the
 *   client retries those when the GOAWAY reaches it (RFC 9113 §6.8).
 * - A reset flood (`resetFlood`, `resetRateLimit`; {@link ResetGuard}) earns
 *   a GOAWAY with an error code, and the connection closes at once.
 * - With `slotHeldAfterReset`, a stream reset while its handler runs still
 *   counts against the limit until the handler ends (nginx).
 * - A stream past the limit is refused, or with `streamsOverLimit`
 *   `protocol-error` ends the connection (nghttp2, RFC 9113 §5.1.2).
 * - After more than `goawayAfterRefusals` refusals on the connection the
 *   server sends GOAWAY(NO_ERROR) and goes silent: it answers none of the
 *   streams it holds and reads nothing more (nginx's "client sent too many
 *   refused streams"), so the client's streams there end at its deadlines.
 */
export class ServerSession implements ServerConnection, StreamServerHost {
  /** Response bodies (server → client), under the client's flow-control windows. */
  readonly down: FlowSender<SimStream>;
  readonly #ctx: ServerSessionContext;
  readonly #client: ClientSession;
  #open = false;
  #closed = false;
  #maxStreams = 0;
  #active = 0;
  #accepted = 0;
  #highestAccepted = 0;
  #goawayLast = Infinity;
  #refusals = 0;
  #silent = false;
  readonly #streams = new Set<SimStream>();
  readonly #resetGuard: ResetGuard;

  constructor(ctx: ServerSessionContext, client: ClientSession) {
    this.#ctx = ctx;
    this.#client = client;
    this.#resetGuard = new ResetGuard(ctx.scenario.server);
    this.down = new FlowSender<SimStream>(
      ctx.scheduler,
      ctx.downLink,
      ctx.scenario.http2,
      (item, leftAtMs) => this.#responseSent(item.owner, leftAtMs),
    );
  }

  /** The TCP connection is accepted: send the initial SETTINGS. */
  accept(): void {
    if (this.#closed) return;
    const { scheduler, server, downLink } = this.#ctx;
    this.#open = true;
    const value = server.maxConcurrentStreams;
    // The initial SETTINGS cannot be outrun by a stream, so it is enforced at once.
    this.#maxStreams = value;
    server.connectionOpened(this);
    const arriveMs = downLink.transmit(settingsFrameBytes, scheduler.now()) + downLink.oneWayMs;
    scheduler.postAndForget(arriveMs, clientReady, { client: this.#client, value });
  }

  /** Sends a new SETTINGS_MAX_CONCURRENT_STREAMS; enforced once the client's ACK is back. */
  sendSettings(value: number): void {
    if (!this.#open || this.#closed) return;
    const { scheduler, downLink } = this.#ctx;
    const arriveMs = downLink.transmit(settingsFrameBytes, scheduler.now()) + downLink.oneWayMs;
    scheduler.postAndForget(arriveMs, clientSettings, { client: this.#client, value });
    scheduler.postAndForget(arriveMs + downLink.oneWayMs, enforceSettings, {
      session: this,
      value,
    });
  }

  /** @internal Applies an acknowledged SETTINGS value. */
  enforce(value: number): void {
    this.#maxStreams = value;
  }

  /** HEADERS arrived. Returns whether the stream was accepted. */
  open(stream: SimStream): boolean {
    const { scheduler, server, downLink } = this.#ctx;
    if (this.#closed || stream.id > this.#goawayLast) {
      // Above a GOAWAY's last-stream-id: discarded unprocessed; the GOAWAY tells the client.
      stream.serverPhase = 'closed';
      return false;
    }
    const overLimit = this.#active >= this.#maxStreams;
    if (overLimit || server.overloaded()) {
      stream.serverPhase = 'closed';
      const { streamsOverLimit, goawayAfterRefusals } = server.config;
      if (overLimit && streamsOverLimit === 'protocol-error') {
        this.#sendGoaway(PROTOCOL_ERROR);
        return false;
      }
      if (this.#refusals++ > goawayAfterRefusals) {
        this.#goSilent();
        return false;
      }
      server.streamRefused();
      const leftAtMs = downLink.transmit(rstStreamFrameBytes, scheduler.now());
      deliver(scheduler, leftAtMs, downLink.oneWayMs, clientRefused, stream);
      return false;
    }
    this.#active++;
    this.#accepted++;
    this.#highestAccepted = stream.id;
    this.#streams.add(stream);
    server.streamStarted(this.#active);
    stream.serverPhase = 'receiving';
    if (this.#accepted === server.config.goawayEveryStreams) this.#sendGoaway(NO_ERROR);
    return true;
  }

  /** The request is complete: it goes to the workers. */
  body(stream: SimStream): void {
    if (stream.serverPhase === 'receiving') this.#ctx.server.submit(stream);
  }

  /** A worker finished `stream`; a reset stream whose slot was held frees it now. */
  serviceDone(stream: SimStream): void {
    this.#ctx.server.finished(stream);
    if (stream.serverCancelled && stream.serverPhase === 'serving')
      this.#streamClosed(stream, false);
  }

  /** Sends the response of `stream`: HEADERS, then DATA under the client's windows. */
  respond(stream: SimStream): void {
    if (this.#closed || this.#silent || stream.serverPhase !== 'serving') return;
    const { scheduler, downLink, scenario } = this.#ctx;
    stream.serverPhase = 'responding';
    const headersLeftMs = downLink.transmit(
      scenario.response.headerBytes + frameHeaderBytes,
      scheduler.now(),
    );
    const bodyBytes = scenario.response.bodyBytes;
    if (bodyBytes === 0) {
      this.#streamClosed(stream, true);
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

  /** An RST_STREAM with `code` arrived for `stream`. */
  reset(stream: SimStream, code: number): void {
    const { scheduler, server } = this.#ctx;
    server.resetReceived(code);
    if (this.#closed || this.#silent) return;
    this.#drop(stream, server.config.slotHeldAfterReset);
    const goawayCode = this.#resetGuard.onReset(scheduler.now());
    if (goawayCode !== undefined) this.#sendGoaway(goawayCode);
  }

  /** The connection is gone (the client closed it, or the server ended it): drop every stream. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of this.#streams) this.#drop(stream, false);
    this.#streams.clear();
    this.#active = 0;
    this.#ctx.server.connectionClosed(this, this.#ctx.clientId);
  }

  #sendGoaway(code: number): void {
    const { scheduler, server, downLink } = this.#ctx;
    const last = Math.min(this.#goawayLast, this.#highestAccepted);
    this.#goawayLast = last;
    server.goawaySent();
    const arriveMs = downLink.transmit(goawayFrameBytes, scheduler.now()) + downLink.oneWayMs;
    scheduler.postAndForget(arriveMs, clientGoaway, { client: this.#client, code, last });
    // A GOAWAY with an error code ends the connection at once (RFC 9113 §5.4.1).
    if (code !== NO_ERROR) this.close();
  }

  /**
   * Nginx's answer to a client that keeps opening streams past the limit:
   * GOAWAY(NO_ERROR) naming the last stream it took, then silence. The
   * streams it holds get no response; the connection is never closed from
   * this side.
   */
  #goSilent(): void {
    this.#sendGoaway(NO_ERROR);
    this.#silent = true;
    for (const stream of this.#streams) {
      stream.serverCancelled = true;
      if (stream.serverPhase === 'responding' && stream.down) this.down.abort(stream.down);
    }
  }

  /** The stream is gone for the server; with `holdSlot`, one in service keeps its slot until its handler ends. */
  #drop(stream: SimStream, holdSlot: boolean): void {
    switch (stream.serverPhase) {
      case 'waiting':
        this.#ctx.server.withdraw(stream);
        break;
      case 'serving':
        // The worker keeps going (its work is wasted); no response will be sent.
        stream.serverCancelled = true;
        if (holdSlot) return;
        break;
      case 'responding':
        if (stream.down) this.down.abort(stream.down);
        break;
      case 'receiving':
        break;
      default:
        return;
    }
    this.#streamClosed(stream, false);
  }

  #streamClosed(stream: SimStream, completed: boolean): void {
    if (stream.serverPhase === 'closed') return;
    stream.serverPhase = 'closed';
    this.#active--;
    this.#streams.delete(stream);
    if (completed) this.#ctx.server.streamCompleted();
  }

  #responseSent(stream: SimStream, leftAtMs: number): void {
    const { scheduler, downLink } = this.#ctx;
    this.#streamClosed(stream, true);
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
}

// Frames arriving at the client, module-level so posting one allocates no closure.

function clientReady(e: { client: ClientSession; value: number }): void {
  e.client.ready(e.value);
}

function clientSettings(e: { client: ClientSession; value: number }): void {
  e.client.settings(e.value);
}

function enforceSettings(e: { session: ServerSession; value: number }): void {
  e.session.enforce(e.value);
}

function clientGoaway(e: { client: ClientSession; code: number; last: number }): void {
  e.client.goaway(e.code, e.last);
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
