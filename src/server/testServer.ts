import { randomInt } from 'node:crypto';
import {
  constants,
  createSecureServer,
  createServer,
  type Http2SecureServer,
  type Http2Server,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { requireInteger, requireNumber } from '../core/validate.js';
import { createLatencySampler } from './latencySampler.js';
import { ResetFloodGuard } from './resetFloodGuard.js';
import { responseBody } from './responseBody.js';
import { seededRandom } from './seededRandom.js';
import {
  type RequestContext,
  type SessionTrack,
  serveRequestStream,
} from './serveRequestStream.js';
import { ServerCounters, type TestServerStats } from './serverCounters.js';
import {
  lognormalP99Ms,
  resolveServerOptions,
  type ServerOptions,
  workersFor,
} from './serverOptions.js';
import { answerStatsStream, isStatsPath } from './statsRoute.js';
import { generateTestCertificate } from './testCertificate.js';
import { WorkerPool } from './workerPool.js';

const { NGHTTP2_NO_ERROR, NGHTTP2_ENHANCE_YOUR_CALM } = constants;

/**
 * A running embedded HTTP/2 test server: the modelled server of
 * docs/server.md, plus the controls fault tests need.
 */
export interface TestServer {
  /** The URL it listens on, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  /** The TCP port it bound. */
  readonly port: number;
  /** The options it runs with, defaults filled in. */
  readonly options: ServerOptions;
  /** K, the workers of the capacity model (Infinity when capacity is unlimited). */
  readonly workers: number;
  /** With TLS, the PEM of the CA that signed its certificate; clients pass it as `ca`. */
  readonly caPem: string | undefined;
  /** Its counters now (what `GET /__h2flow/stats` returns). */
  stats(): TestServerStats;
  /**
   * Sends SETTINGS_MAX_CONCURRENT_STREAMS = `n` to every open session
   * (RFC 9113 §6.5.2; 0 is legal and stops new streams) and advertises it to
   * later ones. Resolves when every session has acknowledged or closed.
   */
  setMaxConcurrentStreams(n: number): Promise<void>;
  /** Multiplies every service time that starts from now on by `x` (1 = as configured), for latency-spike faults. */
  setLatencyMultiplier(x: number): void;
  /**
   * Sends GOAWAY with `code` (default NO_ERROR) and the last stream it
   * processed to every open session (RFC 9113 §6.8). Streams in flight still
   * complete; newer ones are ignored. The connection stays open until the
   * client closes it or the server closes. Returns the sessions reached.
   */
  goawayAll(code?: number): number;
  /** Destroys every TCP socket at once, with no GOAWAY: a crash as the client sees it. Returns the sockets destroyed. */
  destroyAllSockets(): number;
  /**
   * Closes gracefully: stops accepting connections, sends GOAWAY(NO_ERROR)
   * to every session, lets streams in flight finish, and after
   * `closeTimeoutMs` destroys what is left.
   */
  close(): Promise<void>;
}

interface SessionState extends SessionTrack {
  readonly floodGuard: ResetFloodGuard | undefined;
  calmed: boolean;
}

/**
 * Starts the embedded HTTP/2 test server (h2c, or TLS with ALPN `h2` and a
 * certificate generated now) and resolves once it listens. Throws an
 * InvalidOptionError for bad options.
 */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const resolved = resolveServerOptions(options);
  const certificate = resolved.tls ? await generateTestCertificate(resolved.host) : undefined;
  const server = new RunningTestServer(resolved, certificate);
  await server.listen();
  return server;
}

class RunningTestServer implements TestServer {
  readonly options: ServerOptions;
  readonly workers: number;
  readonly caPem: string | undefined;
  readonly #server: Http2Server | Http2SecureServer;
  readonly #counters = new ServerCounters();
  readonly #pool: WorkerPool;
  readonly #sessions = new Map<ServerHttp2Session, SessionState>();
  readonly #sockets = new Set<Socket>();
  readonly #ctx: RequestContext;
  #latencyMultiplier = 1;
  #errorTurns = 0;
  #port = 0;
  #closing: Promise<void> | undefined;

  constructor(
    options: ServerOptions,
    certificate: { keyPem: string; certPem: string; caPem: string } | undefined,
  ) {
    this.options = options;
    this.caPem = certificate?.caPem;
    this.workers = workersFor(options.capacityTps, options.latencyMs);
    const random = seededRandom(options.seed ?? randomInt(2 ** 32));
    const sample = createLatencySampler(
      {
        dist: options.latencyDist,
        meanMs: options.latencyMs,
        p99Ms: lognormalP99Ms(options),
      },
      random,
    );
    this.#pool = new WorkerPool(this.workers, () => sample() * this.#latencyMultiplier);
    this.#ctx = {
      options,
      counters: this.#counters,
      pool: this.#pool,
      okBody: responseBody(options.responseBytes),
      maxQueued: options.maxQueued ?? this.workers,
      bodiesPending: 0,
      takeErrorTurn: () => this.#takeErrorTurn(),
      onResetReceived: (session) => this.#onResetReceived(session),
    };
    const settings = {
      maxConcurrentStreams: options.maxConcurrentStreams,
      initialWindowSize: options.windowBytes,
    };
    this.#server = certificate
      ? createSecureServer({
          key: certificate.keyPem,
          cert: certificate.certPem,
          ALPNProtocols: ['h2'],
          settings,
        })
      : createServer({ settings });
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    this.#server.on('session', (session) => this.#onSession(session));
    this.#server.on('stream', (stream, headers) => this.#onStream(stream, headers));
    // A client that fails the TLS handshake (e.g. without our CA) is its own problem.
    this.#server.on('tlsClientError', () => {});
    this.#server.on('sessionError', () => {});
  }

  get url(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `${this.options.tls ? 'https' : 'http'}://${host}:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#server.once('error', onError);
      this.#server.listen(this.options.port, this.options.host, () => {
        this.#server.off('error', onError);
        this.#port = (this.#server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  stats(): TestServerStats {
    return this.#counters.snapshot({ queued: this.#pool.queued, inService: this.#pool.busy });
  }

  async setMaxConcurrentStreams(n: number): Promise<void> {
    requireInteger('maxConcurrentStreams', n, 0, 2 ** 32 - 1);
    this.#server.updateSettings({ maxConcurrentStreams: n });
    const acks = [...this.#sessions.keys()].map(
      (session) =>
        new Promise<void>((resolve) => {
          const done = () => {
            session.off('close', done);
            resolve();
          };
          session.once('close', done);
          try {
            session.settings({ maxConcurrentStreams: n }, done);
          } catch {
            // Destroyed, or too many SETTINGS awaiting their ACK: nothing to wait for.
            done();
          }
        }),
    );
    await Promise.all(acks);
  }

  setLatencyMultiplier(x: number): void {
    this.#latencyMultiplier = requireNumber('latencyMultiplier', x, 0, 1e6);
  }

  goawayAll(code: number = NGHTTP2_NO_ERROR): number {
    requireInteger('code', code, 0, 2 ** 32 - 1);
    let reached = 0;
    for (const session of this.#sessions.keys()) {
      if (session.destroyed) continue;
      // lastStreamID 0 makes node send the last stream nghttp2 processed.
      session.goaway(code, 0);
      this.#counters.goawaySent += 1;
      reached += 1;
    }
    return reached;
  }

  destroyAllSockets(): number {
    const sockets = [...this.#sockets];
    for (const socket of sockets) socket.destroy();
    return sockets.length;
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      for (const session of this.#sessions.keys()) {
        if (session.closed || session.destroyed) continue;
        // session.close() sends GOAWAY(NO_ERROR) and ends the session once its streams finish.
        session.close();
        this.#counters.goawaySent += 1;
      }
      const timer = setTimeout(() => this.destroyAllSockets(), this.options.closeTimeoutMs);
      this.#server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return this.#closing;
  }

  #onSession(session: ServerHttp2Session): void {
    this.#counters.sessionsAccepted += 1;
    const { maxResetsPerS, windowBytes } = this.options;
    this.#sessions.set(session, {
      inFlight: 0,
      streamsOpened: 0,
      floodGuard: maxResetsPerS === undefined ? undefined : new ResetFloodGuard(maxResetsPerS),
      calmed: false,
    });
    session.once('close', () => this.#sessions.delete(session));
    // A peer's protocol error ends its session; the test server carries on.
    session.on('error', () => {});
    // SETTINGS_INITIAL_WINDOW_SIZE covers streams only; the connection
    // window starts at 65,535 and moves only by WINDOW_UPDATE (RFC 9113 §6.9.2).
    if (windowBytes !== 65_535) session.setLocalWindowSize(windowBytes);
  }

  #onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    // node types stream.session as the base Http2Session; on a server it is a ServerHttp2Session.
    const session = stream.session as ServerHttp2Session | undefined;
    const state = session ? this.#sessions.get(session) : undefined;
    if (!session || !state) {
      stream.on('error', () => {});
      stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      return;
    }
    if (isStatsPath(headers[':path'])) {
      answerStatsStream(stream, headers, () => this.stats());
      return;
    }
    serveRequestStream(stream, headers, session, state, this.#ctx);
    const { goawayEvery } = this.options;
    if (goawayEvery !== undefined && state.streamsOpened === goawayEvery && !session.closed) {
      // Like nginx's keepalive_requests: GOAWAY(NO_ERROR) naming this stream
      // as the last processed, so it and earlier ones finish, then close.
      session.close();
      this.#counters.goawaySent += 1;
    }
  }

  #takeErrorTurn(): boolean {
    // Request i gets the error when ⌊(i+1)·f⌋ > ⌊i·f⌋: exactly a fraction f
    // of requests, evenly spread and repeatable, with no randomness.
    const f = this.options.errorFraction;
    const i = this.#errorTurns;
    this.#errorTurns += 1;
    return f > 0 && Math.floor((i + 1) * f) > Math.floor(i * f);
  }

  #onResetReceived(session: ServerHttp2Session): void {
    const state = this.#sessions.get(session);
    if (!state?.floodGuard || state.calmed || session.destroyed) return;
    if (!state.floodGuard.record(performance.now())) return;
    // Like Netty's and nghttp2's rapid-reset defence: GOAWAY(ENHANCE_YOUR_CALM)
    // (RFC 9113 §7), then drop the connection. goaway() then destroy() is
    // what puts the code on the wire: destroy(err, code) alone sends NO_ERROR.
    state.calmed = true;
    session.goaway(NGHTTP2_ENHANCE_YOUR_CALM, 0);
    this.#counters.goawaySent += 1;
    session.destroy();
  }
}
