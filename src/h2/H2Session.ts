import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type ClientSessionRequestOptions,
  connect,
  type OutgoingHttpHeaders,
  type Settings,
} from 'node:http2';
import type { Duplex } from 'node:stream';
import type { SchedulerLike, Subscription } from 'rxjs';
import type { SessionCapacity } from '../core/capacity.js';
import { alpnNotH2Code, notH2Code } from '../errors/notH2Codes.js';
import type { GoawayRecord } from '../transport/classifyStreamClose.js';
import type { PooledSession } from '../transport/SessionPool.js';
import type { SessionFailure, SessionHooks } from '../transport/sessionHooks.js';
import { SessionLifecycle, type SessionState } from '../transport/sessionState.js';
import type { H2TransportOptions } from './H2TransportOptions.js';
import { sessionConnectOptions } from './sessionConnectOptions.js';
import type { SessionStream } from './sessionStream.js';
import { socketWriteQueueBytes } from './socketWriteQueueBytes.js';

/**
 * Highest stream id after which a session is replaced: 2^31 - 1 (RFC 9113
 * §5.1.1) less room for the streams that may still be opened before the pool
 * acts on it.
 */
const streamIdRetireAt = 2 ** 31 - 1 - 2 * 100_000;

/**
 * How long a draining session may wait for its streams before it is destroyed, ms. Long enough
 * for any in-flight request inside a usual budget to finish on a connection the pool no longer needs.
 */
export const drainTimeoutMs = 30_000;

/**
 * The grace `close()` gives a session, ms: by then the client has settled every request (each
 * within its own budget), so a stream still open is one whose reset cannot be written.
 */
export const closeGraceMs = 2_000;

/** Node's code for the TLS alert a server sends when no protocol we offered by ALPN is its (RFC 7301 §3.2, alert 120). */
export const alpnAlertCode = 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL';

const certificateCode =
  /^(ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_\w+|CERT_\w+|ERR_TLS_CERT\w*|HOSTNAME_MISMATCH)$/;

/** True for Node's codes of a certificate the client does not trust (tls.checkServerIdentity, OpenSSL's verify errors). */
export function isCertificateCode(code: string): boolean {
  return certificateCode.test(code);
}

/**
 * One `node:http2` client session and the facts the pool decides on: its
 * state, the peer's live SETTINGS_MAX_CONCURRENT_STREAMS, the streams in
 * flight on it, and its flow-control and output state.
 *
 * It counts as usable only after the peer's first SETTINGS: before that Node
 * assumes 100 concurrent streams (`peerMaxConcurrentStreams`), and a burst
 * above the server's real limit would be refused with REFUSED_STREAM
 * (RFC 9113 §6.5.3 lets the peer's limit apply only once received).
 */
export class H2Session implements PooledSession {
  /** Transport-local id. */
  readonly id: number;
  readonly #lifecycle = new SessionLifecycle();
  /** Streams in flight (opened, not yet closed). */
  readonly streams = new Set<SessionStream>();
  /** The peer's SETTINGS_MAX_CONCURRENT_STREAMS as last received (0 until the first SETTINGS). */
  peerMaxConcurrentStreams = 0;
  /** The GOAWAY received, with the lowest last-stream-id seen so far. */
  goaway: GoawayRecord | undefined;
  readonly #session: ClientHttp2Session;
  readonly #hooks: SessionHooks<H2Session>;
  readonly #streamCap: number;
  #error: (Error & { code?: string }) | undefined;
  #closedByUs = false;
  #connectTimer: Subscription | undefined;
  #drainTimer: Subscription | undefined;
  #drainDueMs = Number.POSITIVE_INFINITY;
  #socket: Duplex | undefined;
  readonly #scheduler: SchedulerLike;
  /** The peer's SETTINGS_INITIAL_WINDOW_SIZE: the send window of each new stream (RFC 9113 §6.9.2). */
  #peerInitialWindowBytes = 65_535;
  #lastStreamId = 0;

  constructor(
    id: number,
    origin: URL,
    options: H2TransportOptions,
    scheduler: SchedulerLike,
    hooks: SessionHooks<H2Session>,
  ) {
    this.id = id;
    this.#hooks = hooks;
    this.#scheduler = scheduler;
    this.#streamCap = options.maxStreamsPerSession;
    const session = connect(origin, sessionConnectOptions(origin, options));
    this.#session = session;
    session.on('connect', (_session, socket) => {
      this.#socket = socket;
      // Only the connection window needs this call: the stream window is the
      // SETTINGS_INITIAL_WINDOW_SIZE sent above (RFC 9113 §6.9.2). A session
      // drained while connecting is destroyed before 'connect' is delivered,
      // and setLocalWindowSize would then throw out of the event handler.
      if (!session.destroyed) session.setLocalWindowSize(options.connectionWindowBytes);
    });
    session.on('remoteSettings', (settings) => this.#onSettings(settings));
    session.on('goaway', (code, lastStreamId) => this.#onGoaway(code, lastStreamId));
    // Without a listener an 'error' would crash the process; the cause is
    // reported when 'close' follows.
    session.on('error', (error: Error) => {
      this.#error ??= error;
    });
    session.on('close', () => this.#onClose());
    this.#connectTimer = scheduler.schedule(() => {
      this.#connectTimer = undefined;
      if (this.state !== 'connecting') return;
      this.#error ??= Object.assign(
        new Error(`no SETTINGS from the server within ${options.connectTimeoutMs} ms`),
        { code: 'ETIMEDOUT' },
      );
      session.destroy();
    }, options.connectTimeoutMs);
  }

  /** Where the session is in its life; it changes only through {@link SessionLifecycle.transition}. */
  get state(): SessionState {
    return this.#lifecycle.state;
  }

  /** Streams in flight now. */
  get streamsInFlight(): number {
    return this.streams.size;
  }

  /** Streams this session may carry now: the peer's limit (capped), or 0 unless ready. */
  get streamLimit(): number {
    // Node destroys a session (socket gone) before its 'close' event; in
    // between it is still 'ready' here but refuses new streams.
    return this.state === 'ready' && !this.unusable
      ? Math.min(this.peerMaxConcurrentStreams, this.#streamCap)
      : 0;
  }

  /** Free stream slots now. */
  get freeSlots(): number {
    return Math.max(0, this.streamLimit - this.streams.size);
  }

  /**
   * Whether a body of `bodyBytes` would wait on this connection now: the
   * peer's connection-level window is smaller than the body (RFC 9113
   * §6.9.1), or bytes nghttp2 already produced are still queued in the socket
   * handle because the kernel would not take them (write backpressure).
   * `session.state.outboundQueueSize` is no help here: measured on Node 20 it
   * stays 0 even with tens of MB pending in the socket, because Node hands
   * every frame to libuv at once.
   */
  sendStalled(bodyBytes: number): boolean {
    return (
      (bodyBytes > 0 && bodyBytes > (this.#session.state.remoteWindowSize ?? 0)) ||
      socketWriteQueueBytes(this.#socket) > 0
    );
  }

  /** Like {@link sendStalled}, and also true when the peer's per-stream window is smaller than the body. */
  bodyWillStall(bodyBytes: number): boolean {
    return bodyBytes > this.#peerInitialWindowBytes || this.sendStalled(bodyBytes);
  }

  /** Opens a stream (HEADERS is handed to nghttp2 now). Throws what `session.request` throws. */
  request(headers: OutgoingHttpHeaders, options: ClientSessionRequestOptions): ClientHttp2Stream {
    const stream = this.#session.request(headers, options);
    this.#lastStreamId = stream.id ?? this.#lastStreamId;
    return stream;
  }

  /**
   * Whether this session is close to running out of stream ids. Client
   * stream ids are odd and never reused, up to 2^31 - 1 (RFC 9113 §5.1.1);
   * past that Node fails every new request on the session. At 30k requests
   * per second that is about ten hours, so long-lived sessions do get there;
   * the pool replaces a session this reports before it happens.
   */
  get streamIdsNearlyExhausted(): boolean {
    return this.#lastStreamId >= streamIdRetireAt;
  }

  /** Whether Node would refuse new streams on it (destroyed, closing, or after a GOAWAY). */
  get unusable(): boolean {
    return this.#session.destroyed || this.#session.closed;
  }

  /** Whether the underlying session has been destroyed (its streams are gone with it). */
  get destroyed(): boolean {
    return this.#session.destroyed;
  }

  /**
   * Stops new streams and closes once in-flight ones end (`session.close()`
   * is graceful in Node). A session still connecting is simply destroyed.
   */
  drain(graceMs = drainTimeoutMs): void {
    if (this.state === 'closed') return;
    if (this.state === 'draining' && !this.#session.destroyed) {
      this.#closedByUs = true;
      this.#session.close();
      this.#forceCloseAfter(graceMs);
      return;
    }
    if (this.#session.destroyed) {
      // Already dying on its own (e.g. a GOAWAY with an error code): its 'close' reports why; only
      // stop using it — but that 'close' too waits for a socket.end() that may never flush.
      this.#lifecycle.transition('draining');
      this.#forceCloseAfter(graceMs);
      return;
    }
    this.#closedByUs = true;
    const wasConnecting = this.state === 'connecting';
    this.#lifecycle.transition('draining');
    if (wasConnecting) {
      this.#session.destroy();
      return;
    }
    this.#session.close();
    this.#forceCloseAfter(graceMs);
  }

  /**
   * Node's graceful close waits for every stream to close. A peer that stops reading (nginx after
   * it GOAWAYs a refusal storm, a wedged server) never lets the RST_STREAM of a cancelled stream
   * out, so that stream never closes and neither would the session: destroy it after a grace. A
   * later, shorter grace (close() after a resize drain) replaces a longer one.
   */
  #forceCloseAfter(graceMs: number): void {
    const dueMs = this.#scheduler.now() + graceMs;
    if (this.#drainTimer !== undefined && dueMs >= this.#drainDueMs) return;
    this.#drainTimer?.unsubscribe();
    this.#drainDueMs = dueMs;
    this.#drainTimer = this.#scheduler.schedule(() => {
      this.#drainTimer = undefined;
      if (this.state === 'closed') return;
      this.#session.destroy();
      // After a graceful close(), Node's destroy() still waits for socket.end() to flush, which a
      // peer that stops reading never allows; the real socket (session.socket is a proxy that
      // refuses destroy) ends it, and the session's 'close' follows.
      this.#socket?.destroy();
    }, graceMs);
  }

  /** This session's capacity now. */
  capacity(): SessionCapacity {
    const live = this.state !== 'closed' && !this.#session.destroyed;
    return {
      id: this.id,
      state: this.state,
      streamsInFlight: this.streams.size,
      maxConcurrentStreams: Math.min(this.peerMaxConcurrentStreams, this.#streamCap),
      remoteWindowBytes: live ? (this.#session.state.remoteWindowSize ?? 0) : 0,
      outboundQueueBytes: live ? socketWriteQueueBytes(this.#socket) : 0,
    };
  }

  #onSettings(settings: Settings): void {
    // An absent SETTINGS_MAX_CONCURRENT_STREAMS means unlimited (RFC 9113
    // §6.5.2); Node reports its own default then, and the cap applies.
    this.peerMaxConcurrentStreams = settings.maxConcurrentStreams ?? Number.MAX_SAFE_INTEGER;
    // Cached here: reading `session.remoteSettings` per dispatch is a native call.
    this.#peerInitialWindowBytes = settings.initialWindowSize ?? 65_535;
    if (this.#lifecycle.transition('ready')) {
      this.#connectTimer?.unsubscribe();
      this.#connectTimer = undefined;
      this.#hooks.ready(this);
    } else if (this.state !== 'closed') {
      this.#hooks.changed(this);
    }
  }

  #onGoaway(code: number, lastStreamId: number): void {
    // A graceful shutdown may send several GOAWAYs with falling ids (§6.8);
    // the lowest one is the promise that counts.
    const lowest = Math.min(lastStreamId, this.goaway?.lastStreamId ?? lastStreamId);
    const record: GoawayRecord = { code: code || (this.goaway?.code ?? 0), lastStreamId: lowest };
    this.goaway = record;
    for (const stream of this.streams) stream.onGoaway(record);
    if (this.state !== 'closed') {
      this.#lifecycle.transition('draining');
      // Streams at or below lastStreamId may still finish; a peer that stops reading after its
      // GOAWAY (nginx after a refusal storm) would otherwise keep the session open for good.
      this.#forceCloseAfter(drainTimeoutMs);
    }
    this.#hooks.goaway(this, { code, lastStreamId });
  }

  #onClose(): void {
    this.#connectTimer?.unsubscribe();
    this.#connectTimer = undefined;
    this.#drainTimer?.unsubscribe();
    this.#drainTimer = undefined;
    const wasReady = this.state !== 'connecting';
    this.#lifecycle.transition('closed');
    const failure =
      this.#closedByUs || this.goaway !== undefined
        ? undefined
        : sessionFailure(this.#error, wasReady, this.#session.alpnProtocol);
    this.#hooks.closed(this, failure);
  }
}

/** Why a session we did not close, and that no GOAWAY explained, ended. */
function sessionFailure(
  e: (Error & { code?: string }) | undefined,
  wasReady: boolean,
  alpn: string | false | undefined,
): SessionFailure {
  if (
    !wasReady &&
    e?.code === 'ERR_HTTP2_ERROR' &&
    alpn !== undefined &&
    alpn !== 'h2c' &&
    alpn !== 'h2'
  ) {
    // TLS without ALPN h2: Node speaks HTTP/2 anyway and fails on the peer's first bytes with a
    // bare "Protocol error"; the negotiated protocol names the real cause (RFC 9113 §3.2).
    return {
      detail: `the TLS server did not select h2 by ALPN (it selected ${alpn === false ? 'none' : alpn})`,
      causeCode: alpnNotH2Code,
      lasting: true,
    };
  }
  if (e?.code === alpnAlertCode) {
    // A TLS server whose ALPN list lacks h2 may refuse the handshake instead (RFC 7301 §3.2):
    // Node's https server does, and it lasts as surely as a server that selected another protocol.
    return {
      detail:
        'the TLS server offers no h2 by ALPN (it refused the handshake: alert 120, no_application_protocol)',
      causeCode: alpnNotH2Code,
      lasting: true,
    };
  }
  if (!wasReady && e?.code === 'ERR_HTTP2_ERROR' && alpn === 'h2c') {
    return {
      detail:
        'the server does not speak HTTP/2 with prior knowledge: its first bytes were not a SETTINGS frame (an HTTP/1.x server answers so)',
      causeCode: notH2Code,
      lasting: true,
    };
  }
  return {
    detail: e
      ? `${e.code ? `${e.code}: ` : ''}${e.message}`
      : wasReady
        ? 'connection closed by the server'
        : 'connection closed before the server sent SETTINGS',
    causeCode: e?.code,
    lasting: e?.code !== undefined && isCertificateCode(e.code),
  };
}
