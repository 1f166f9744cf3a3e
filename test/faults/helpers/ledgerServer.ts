import {
  constants,
  createServer,
  type Http2Server,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
  type Settings,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';

const { NGHTTP2_NO_ERROR, NGHTTP2_CANCEL, NGHTTP2_REFUSED_STREAM, NGHTTP2_ENHANCE_YOUR_CALM } =
  constants;

/**
 * What became of one stream the server saw:
 * - `waiting`: received, not yet taken up (see `commitDelayMs`);
 * - `serving`: taken up (processed), response not yet finished;
 * - `completed`: processed and answered to the end, closed cleanly;
 * - `refused`: RST_STREAM(REFUSED_STREAM) before any processing (RFC 9113 §8.7);
 * - `calmed`: RST_STREAM(ENHANCE_YOUR_CALM) before any processing (RFC 9113 §7);
 * - `abandoned`: above the last-stream-id of a GOAWAY we sent, never processed (§6.8);
 * - `client-reset`: the client reset it (after processing began, if `processed`);
 * - `lost`: its connection went away under it.
 */
export type AttemptFate =
  | 'waiting'
  | 'serving'
  | 'completed'
  | 'refused'
  | 'calmed'
  | 'abandoned'
  | 'client-reset'
  | 'lost';

/** One stream the server saw: one attempt of one request. */
export interface ServerAttempt {
  /** The request's key: its `:path`. */
  readonly key: string;
  /** 0-based index of this attempt among the server's attempts of the same key (sent back in the body). */
  readonly seq: number;
  /** Index of its session in arrival order. */
  readonly session: number;
  readonly streamId: number;
  /** When the server received it (`performance.now()`), ms. */
  readonly receivedAtMs: number;
  /** Whether the server did (or started) the work. A processed request must never be sent again. */
  processed: boolean;
  fate: AttemptFate;
  /** The stream's `rstCode` when it closed (Node reports CANCEL for a lost socket too). */
  rstCode: number | undefined;
}

/** A per-stream verdict before processing. */
export type Admission = 'serve' | 'refuse' | 'calm';

/** How a {@link LedgerServer} behaves. */
export interface LedgerServerOptions {
  /** SETTINGS sent to every new session. Default `{ maxConcurrentStreams: 100 }`. */
  readonly settings?: Settings;
  /** Service time of each processed request, ms. Default 10. */
  readonly serviceMs?: number;
  /**
   * Delay between receiving a stream and taking it up, ms: the server reads
   * HEADERS into an accept queue first, so a GOAWAY may name a last-stream-id
   * below streams it has seen but not processed (RFC 9113 §6.8). Default 0.
   */
  readonly commitDelayMs?: number;
  /** Decides, when a stream is taken up, whether to serve it. Default: serve. */
  readonly admit?: (attempt: ServerAttempt, server: LedgerServer) => Admission;
  /** The response body for a processed attempt. Default `{"key":…,"seq":…}`. */
  readonly body?: (attempt: ServerAttempt) => Buffer;
  /**
   * node's `maxSessionMemory`, MB. Default node's 10. Node 20 keeps counting
   * the unsent part of a response whose stream the client reset (measured:
   * 20 resets of 1.5 MiB responses through a 1 MiB window fill 10 MB), and past
   * the limit it refuses every new stream with RST_STREAM(ENHANCE_YOUR_CALM).
   */
  readonly maxSessionMemoryMb?: number;
  /** Whether a response announces its length in `content-length`. Default: every one does. */
  readonly contentLength?: (attempt: ServerAttempt) => boolean;
}

/**
 * A scripted `node:http2` server on 127.0.0.1 (port 0) that records, per
 * request key, every attempt it saw and whether it processed it: the ground
 * truth for "a request is retried only when the server provably did not
 * process it". The embedded test server counts streams but not which
 * request each was, so retries cannot be checked against it one by one.
 */
export interface LedgerServer {
  readonly url: string;
  readonly port: number;
  /** Every attempt, in arrival order. */
  readonly attempts: readonly ServerAttempt[];
  /** Attempts by key, in arrival order. */
  readonly byKey: ReadonlyMap<string, readonly ServerAttempt[]>;
  /** Sessions in arrival order (closed ones included). */
  readonly sessions: readonly ServerHttp2Session[];
  /** GOAWAY frames this script sent. */
  readonly goawaysSent: number;
  /** Streams received on a session while it already had at least its acknowledged limit open. */
  readonly limitViolations: number;
  /** Streams received and not yet taken up (see `commitDelayMs`), on every live session. */
  readonly waitingCount: number;
  /**
   * Sends GOAWAY(`code`) on every live session with last-stream-id = the
   * highest stream taken up there (or `lastStreamId` when given); streams
   * above it are never processed. With NO_ERROR the session then closes once
   * its streams finish; with an error code it is closed at once, as RFC 9113
   * §5.4.1 requires after a connection error. Returns the sessions reached.
   */
  goawayAll(code: number, options?: { lastStreamId?: number; close?: boolean }): number;
  /** Sends SETTINGS_MAX_CONCURRENT_STREAMS = `n` to live sessions and to later ones; resolves when all acknowledged. */
  setMaxConcurrentStreams(n: number): Promise<void>;
  /** Destroys every TCP socket, with no GOAWAY. Returns how many. */
  destroyAllSockets(): number;
  /** Stops the server and everything it started. */
  close(): Promise<void>;
}

interface SessionState {
  readonly index: number;
  /** Highest stream id taken up (processed or refused by the script). */
  highestTaken: number;
  /** The last-stream-id of the GOAWAY we sent, if any. */
  goawayLastId: number | undefined;
  /** The SETTINGS_MAX_CONCURRENT_STREAMS the client has acknowledged. */
  ackedLimit: number;
  open: number;
  readonly waiting: Set<{ attempt: ServerAttempt; stream: ServerHttp2Stream }>;
}

/** Starts a {@link LedgerServer}; the test closes it. */
export async function startLedgerServer(options: LedgerServerOptions = {}): Promise<LedgerServer> {
  const server = new Ledger(options);
  await server.listen();
  return server;
}

class Ledger implements LedgerServer {
  readonly attempts: ServerAttempt[] = [];
  readonly byKey = new Map<string, ServerAttempt[]>();
  readonly sessions: ServerHttp2Session[] = [];
  goawaysSent = 0;
  limitViolations = 0;
  readonly #options: LedgerServerOptions;
  readonly #h2: Http2Server;
  readonly #state = new Map<ServerHttp2Session, SessionState>();
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #settings: Settings;
  #port = 0;

  get waitingCount(): number {
    let n = 0;
    for (const [session, state] of this.#state) if (!session.closed) n += state.waiting.size;
    return n;
  }

  constructor(options: LedgerServerOptions) {
    this.#options = options;
    this.#settings = { maxConcurrentStreams: 100, ...options.settings };
    this.#h2 = createServer({
      settings: this.#settings,
      ...(options.maxSessionMemoryMb === undefined
        ? {}
        : { maxSessionMemory: options.maxSessionMemoryMb }),
    });
    this.#h2.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    this.#h2.on('session', (session: ServerHttp2Session) => {
      const limit = this.#settings.maxConcurrentStreams ?? 2 ** 32 - 1;
      this.#state.set(session, {
        index: this.sessions.length,
        highestTaken: 0,
        goawayLastId: undefined,
        ackedLimit: limit,
        open: 0,
        waiting: new Set(),
      });
      this.sessions.push(session);
      session.on('error', () => {});
    });
    this.#h2.on('stream', (stream, headers) => this.#onStream(stream, headers));
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#h2.once('error', reject);
      this.#h2.listen(0, '127.0.0.1', () => {
        this.#port = (this.#h2.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  goawayAll(code: number, options: { lastStreamId?: number; close?: boolean } = {}): number {
    let reached = 0;
    for (const [session, state] of this.#state) {
      if (session.destroyed || session.closed) continue;
      const last = Math.min(
        options.lastStreamId ?? state.highestTaken,
        state.goawayLastId ?? 2 ** 31 - 1,
      );
      state.goawayLastId = last;
      session.goaway(code, last);
      this.goawaysSent++;
      reached++;
      // Streams received but not yet taken up and above the promise are never processed (§6.8).
      for (const w of [...state.waiting]) {
        if (w.attempt.streamId > last) this.#abandon(state, w);
      }
      if (options.close === false) continue;
      if (code === NGHTTP2_NO_ERROR) session.close();
      else this.#later(10, () => session.destroy());
    }
    return reached;
  }

  async setMaxConcurrentStreams(n: number): Promise<void> {
    this.#settings = { ...this.#settings, maxConcurrentStreams: n };
    this.#h2.updateSettings(this.#settings);
    const acks: Promise<void>[] = [];
    for (const [session, state] of this.#state) {
      if (session.destroyed || session.closed) continue;
      acks.push(
        new Promise<void>((resolve) => {
          try {
            session.settings({ maxConcurrentStreams: n }, () => {
              state.ackedLimit = n;
              resolve();
            });
          } catch {
            resolve();
          }
          session.once('close', () => resolve());
        }),
      );
    }
    await Promise.all(acks);
  }

  destroyAllSockets(): number {
    const sockets = [...this.#sockets];
    for (const s of sockets) s.destroy();
    return sockets.length;
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const session of this.sessions) if (!session.destroyed) session.destroy();
    this.destroyAllSockets();
    await new Promise<void>((resolve) => this.#h2.close(() => resolve()));
  }

  #onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    const session = stream.session as ServerHttp2Session;
    const state = this.#state.get(session)!;
    const key = String(headers[':path']);
    const list = this.byKey.get(key) ?? [];
    const attempt: ServerAttempt = {
      key,
      seq: list.length,
      session: state.index,
      streamId: stream.id!,
      receivedAtMs: performance.now(),
      processed: false,
      fate: 'waiting',
      rstCode: undefined,
    };
    list.push(attempt);
    this.byKey.set(key, list);
    this.attempts.push(attempt);
    if (state.open >= state.ackedLimit) this.limitViolations++;
    state.open++;
    stream.on('error', () => {});
    // Drain any request body; this server answers without reading it.
    stream.resume();
    stream.on('close', () => {
      state.open--;
      attempt.rstCode = stream.rstCode;
      if (attempt.fate === 'completed' && stream.rstCode === NGHTTP2_NO_ERROR) return;
      if (
        attempt.fate === 'completed' ||
        attempt.fate === 'serving' ||
        attempt.fate === 'waiting'
      ) {
        // The client resets only with CANCEL; Node also marks the streams of a
        // lost socket with CANCEL though nothing was sent (docs/server.md), and
        // a session torn down after our error GOAWAY with that code.
        const socketAlive = !session.destroyed && session.socket?.destroyed === false;
        attempt.fate = stream.rstCode === NGHTTP2_CANCEL && socketAlive ? 'client-reset' : 'lost';
      }
    });
    const entry = { attempt, stream };
    state.waiting.add(entry);
    const takeUp = (): void => {
      if (!state.waiting.delete(entry)) return;
      this.#takeUp(state, attempt, stream);
    };
    const delay = this.#options.commitDelayMs ?? 0;
    if (delay > 0) this.#later(delay, takeUp);
    else takeUp();
  }

  #takeUp(state: SessionState, attempt: ServerAttempt, stream: ServerHttp2Stream): void {
    if (stream.closed || stream.destroyed) return;
    if (state.goawayLastId !== undefined && attempt.streamId > state.goawayLastId) {
      this.#abandon(state, { attempt, stream });
      return;
    }
    state.highestTaken = Math.max(state.highestTaken, attempt.streamId);
    const verdict = this.#options.admit?.(attempt, this) ?? 'serve';
    if (verdict !== 'serve') {
      attempt.fate = verdict === 'refuse' ? 'refused' : 'calmed';
      stream.close(verdict === 'refuse' ? NGHTTP2_REFUSED_STREAM : NGHTTP2_ENHANCE_YOUR_CALM);
      return;
    }
    attempt.processed = true;
    attempt.fate = 'serving';
    this.#later(this.#options.serviceMs ?? 10, () => {
      if (stream.closed || stream.destroyed || attempt.fate !== 'serving') return;
      const body =
        this.#options.body?.(attempt) ??
        Buffer.from(JSON.stringify({ key: attempt.key, seq: attempt.seq }));
      attempt.fate = 'completed';
      const announce = this.#options.contentLength?.(attempt) ?? true;
      stream.respond({
        ':status': 200,
        ...(announce ? { 'content-length': body.byteLength } : {}),
      });
      stream.end(body);
    });
  }

  #abandon(
    state: SessionState,
    w: { readonly attempt: ServerAttempt; readonly stream: ServerHttp2Stream },
  ): void {
    state.waiting.delete(w);
    w.attempt.fate = 'abandoned';
    // The client closed it on reading the GOAWAY; this only frees our side.
    if (!w.stream.closed) w.stream.close(NGHTTP2_REFUSED_STREAM);
  }

  #later(ms: number, run: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      run();
    }, ms);
    this.#timers.add(t);
  }
}
