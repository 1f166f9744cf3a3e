import { constants, type ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ResetFloodGuard } from './resetFloodGuard.js';
import type { SessionTrack } from './serveRequestStream.js';
import type { ServerCounters } from './serverCounters.js';

const { NGHTTP2_ENHANCE_YOUR_CALM } = constants;

interface SessionState extends SessionTrack {
  readonly floodGuard: ResetFloodGuard | undefined;
  calmed: boolean;
}

/**
 * The test server's open connections, and everything the server does to all
 * of them at once: SETTINGS, GOAWAY, graceful close, socket destruction, and
 * the reset-flood guard. Every GOAWAY the server decides to send goes
 * through here, so `goawaySent` counts each one.
 */
export class SessionRegistry {
  readonly #counters: ServerCounters;
  readonly #maxResetsPerS: number | undefined;
  readonly #sessions = new Map<ServerHttp2Session, SessionState>();
  readonly #sockets = new Set<Socket>();

  /**
   * @param counters where `goawaySent` and `sessionsAccepted` are counted.
   * @param maxResetsPerS the reset-flood limit per connection, or undefined for none.
   */
  constructor(counters: ServerCounters, maxResetsPerS: number | undefined) {
    this.#counters = counters;
    this.#maxResetsPerS = maxResetsPerS;
  }

  /** Tracks a raw TCP socket (the server's 'connection' event) until it closes. */
  addSocket(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  /** Tracks a new session until it closes. */
  addSession(session: ServerHttp2Session): void {
    this.#counters.sessionsAccepted += 1;
    const max = this.#maxResetsPerS;
    this.#sessions.set(session, {
      inFlight: 0,
      streamsOpened: 0,
      floodGuard: max === undefined ? undefined : new ResetFloodGuard(max),
      calmed: false,
    });
    session.once('close', () => this.#sessions.delete(session));
    // A peer's protocol error ends its session; the test server carries on.
    session.on('error', () => {});
  }

  /** The per-session state of `session`, while it is open. */
  track(session: ServerHttp2Session): SessionTrack | undefined {
    return this.#sessions.get(session);
  }

  /**
   * Sends SETTINGS_MAX_CONCURRENT_STREAMS = `n` to every session; resolves
   * when each has acknowledged it or closed.
   */
  async sendMaxConcurrentStreams(n: number): Promise<void> {
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

  /** Sends GOAWAY(`code`) to every live session (RFC 9113 §6.8); returns how many. */
  goawayAll(code: number): number {
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

  /**
   * Closes `session` gracefully: GOAWAY(NO_ERROR) naming the last stream it
   * processed, streams in flight finish, then the session ends. No effect on
   * a session already closing.
   */
  closeGracefully(session: ServerHttp2Session): void {
    if (session.closed || session.destroyed) return;
    session.close();
    this.#counters.goawaySent += 1;
  }

  /** {@link closeGracefully} for every session. */
  closeAllGracefully(): void {
    for (const session of this.#sessions.keys()) this.closeGracefully(session);
  }

  /** Destroys every TCP socket, with no GOAWAY; returns how many. */
  destroyAllSockets(): number {
    const sockets = [...this.#sockets];
    for (const socket of sockets) socket.destroy();
    return sockets.length;
  }

  /**
   * Records a RST_STREAM received on `session`. Past the limit, it answers
   * like Netty's and nghttp2's rapid-reset defence: GOAWAY(ENHANCE_YOUR_CALM)
   * (RFC 9113 §7), then it drops the connection.
   */
  resetReceived(session: ServerHttp2Session): void {
    const state = this.#sessions.get(session);
    if (!state?.floodGuard || state.calmed || session.destroyed) return;
    if (!state.floodGuard.record(performance.now())) return;
    state.calmed = true;
    // goaway() then destroy() is what puts the code on the wire:
    // destroy(undefined, code) alone sends GOAWAY(NO_ERROR).
    session.goaway(NGHTTP2_ENHANCE_YOUR_CALM, 0);
    this.#counters.goawaySent += 1;
    session.destroy();
  }
}
