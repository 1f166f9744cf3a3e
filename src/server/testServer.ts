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
import { SeededRandom } from '../core/seededRandom.js';
import { requireInteger, requireNumber } from '../core/validate.js';
import { createLatencySampler } from './latencySampler.js';
import { latencySpikeFactor } from './latencySpike.js';
import { responseBody } from './responseBody.js';
import { type RequestContext, serveRequestStream } from './serveRequestStream.js';
import { ServerCounters, type TestServerStats } from './serverCounters.js';
import {
  lognormalP99Ms,
  resolveServerOptions,
  type ServerOptions,
  workersFor,
} from './serverOptions.js';
import { SessionRegistry } from './sessionRegistry.js';
import { answerStatsStream, isStatsPath } from './statsRoute.js';
import { generateTestCertificate } from './testCertificate.js';
import { WorkerPool } from './workerPool.js';

const { NGHTTP2_NO_ERROR, NGHTTP2_INTERNAL_ERROR } = constants;

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
  readonly #sessions: SessionRegistry;
  readonly #pool: WorkerPool;
  readonly #ctx: RequestContext;
  #latencyMultiplier = 1;
  #errorTurns = 0;
  #notFoundTurns = 0;
  /** When the first request stream arrived (performance.now(), ms): t = 0 of `latencySpike`. */
  #firstRequestAtMs: number | undefined;
  #port = 0;
  #closing: Promise<void> | undefined;

  constructor(
    options: ServerOptions,
    certificate: { keyPem: string; certPem: string; caPem: string } | undefined,
  ) {
    this.options = options;
    this.caPem = certificate?.caPem;
    this.workers = workersFor(options.capacityTps, options.latencyMs);
    this.#sessions = new SessionRegistry(this.#counters, options.maxResetsPerS);
    const sample = createLatencySampler(
      { dist: options.latencyDist, meanMs: options.latencyMs, p99Ms: lognormalP99Ms(options) },
      randomSource(options.seed ?? randomInt(2 ** 32)),
    );
    this.#pool = new WorkerPool(
      this.workers,
      () => sample() * this.#latencyMultiplier * this.#spikeFactor(),
    );
    this.#ctx = {
      options,
      counters: this.#counters,
      pool: this.#pool,
      okBody: responseBody(options.responseBytes),
      maxQueued: options.maxQueued ?? this.workers,
      bodiesPending: 0,
      takeErrorTurn: () => this.#takeErrorTurn(),
      takeNotFoundTurn: () => this.#takeNotFoundTurn(),
      onResetReceived: (session) => this.#sessions.resetReceived(session),
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
    this.#server.on('connection', (socket: Socket) => this.#sessions.addSocket(socket));
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
    // Sessions opened later get the new value in their first SETTINGS.
    this.#server.updateSettings({ maxConcurrentStreams: n });
    await this.#sessions.sendMaxConcurrentStreams(n);
  }

  setLatencyMultiplier(x: number): void {
    this.#latencyMultiplier = requireNumber('latencyMultiplier', x, 0, 1e6);
  }

  goawayAll(code: number = NGHTTP2_NO_ERROR): number {
    return this.#sessions.goawayAll(requireInteger('code', code, 0, 2 ** 32 - 1));
  }

  destroyAllSockets(): number {
    return this.#sessions.destroyAllSockets();
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#sessions.closeAllGracefully();
      const timer = setTimeout(() => this.destroyAllSockets(), this.options.closeTimeoutMs);
      this.#server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return this.#closing;
  }

  #onSession(session: ServerHttp2Session): void {
    this.#sessions.addSession(session);
    // SETTINGS_INITIAL_WINDOW_SIZE covers streams only; the connection
    // window starts at 65,535 and moves only by WINDOW_UPDATE (RFC 9113 §6.9.2).
    const { windowBytes } = this.options;
    if (windowBytes !== 65_535) session.setLocalWindowSize(windowBytes);
  }

  #onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    // node types stream.session as the base Http2Session; on a server it is a ServerHttp2Session.
    const session = stream.session as ServerHttp2Session | undefined;
    const track = session ? this.#sessions.track(session) : undefined;
    if (!session || !track) {
      stream.on('error', () => {});
      stream.close(NGHTTP2_INTERNAL_ERROR);
      return;
    }
    if (isStatsPath(headers[':path'])) {
      answerStatsStream(stream, headers, () => this.stats());
      return;
    }
    this.#firstRequestAtMs ??= performance.now();
    serveRequestStream(stream, headers, session, track, this.#ctx);
    if (track.streamsOpened === this.options.goawayEvery) {
      // Like nginx's keepalive_requests: GOAWAY(NO_ERROR) naming this stream
      // as the last processed, so it and earlier ones finish, then close.
      this.#sessions.closeGracefully(session);
    }
  }

  #takeErrorTurn(): boolean {
    return evenTurn(this.options.errorFraction, this.#errorTurns++);
  }

  #takeNotFoundTurn(): boolean {
    return evenTurn(this.options.notFoundFraction, this.#notFoundTurns++);
  }

  /** The `latencySpike` multiplier for a service time starting now. */
  #spikeFactor(): number {
    const first = this.#firstRequestAtMs;
    return latencySpikeFactor(
      this.options.latencySpike,
      first === undefined ? undefined : performance.now() - first,
    );
  }
}

/**
 * Whether turn `i` (0-based) is one of a fraction `f` of turns: it is when
 * ⌊(i+1)·f⌋ > ⌊i·f⌋, so exactly a fraction f of turns, evenly spread and
 * repeatable, with no randomness.
 */
function evenTurn(f: number, i: number): boolean {
  return f > 0 && Math.floor((i + 1) * f) > Math.floor(i * f);
}

/** A uniform [0, 1) source from the shared seeded generator, so a `--seed` replays the latency sequence. */
function randomSource(seed: number): () => number {
  const rng = new SeededRandom(seed);
  return () => rng.next();
}
