import {
  constants,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import { h2ErrorCodeName } from './h2ErrorCodeName.js';
import type { ServerCounters } from './serverCounters.js';
import type { ServerOptions } from './serverOptions.js';
import type { WorkerPool, WorkTicket } from './workerPool.js';

const { NGHTTP2_NO_ERROR, NGHTTP2_REFUSED_STREAM } = constants;

/** Per-session state shared by the server and the streams of that session. */
export interface SessionTrack {
  /** Request streams open on the session now. */
  inFlight: number;
  /** Request streams opened on the session so far. */
  streamsOpened: number;
}

/** What one request stream needs from the server around it. */
export interface RequestContext {
  /** The server's resolved options. */
  readonly options: ServerOptions;
  /** The counters to update. */
  readonly counters: ServerCounters;
  /** The capacity model. */
  readonly pool: WorkerPool;
  /** The body of a modelled (200) response. */
  readonly okBody: Buffer;
  /** With `refuseOverCapacity`, the most requests that may wait for a worker. */
  readonly maxQueued: number;
  /** Requests accepted whose body has not fully arrived: they will want a worker next. */
  bodiesPending: number;
  /** True when the request being processed now gets the `errorStatus` answer (`errorFraction`). */
  takeErrorTurn(): boolean;
  /** True when the request being processed now, not given an error, gets a 404 (`notFoundFraction`). */
  takeNotFoundTurn(): boolean;
  /** Told after the client reset a stream on `session`, for the reset-flood guard. */
  onResetReceived(session: ServerHttp2Session): void;
}

/** How the server has dealt with a stream so far. */
type Outcome = 'open' | 'answered' | 'refused';

/**
 * Serves one request stream: refuses it when over capacity, reads the body
 * to its end, then answers with the error status or 404 (shares of
 * requests, at once) or holds a worker for the modelled service time and answers 200 with
 * a JSON body. When the stream closes early, the request leaves the queue
 * and is never answered (a worker already serving it finishes the wasted
 * work, as in the simulator). Every stream is counted exactly once, when it
 * closes: completed, refused, reset by the client (by error-code name), or
 * lost with its connection.
 */
export function serveRequestStream(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  session: ServerHttp2Session,
  track: SessionTrack,
  ctx: RequestContext,
): void {
  const { counters, options, pool } = ctx;
  counters.streamsStarted += 1;
  counters.streamsInFlight += 1;
  track.streamsOpened += 1;
  track.inFlight += 1;
  if (track.inFlight > counters.maxConcurrentSeen) counters.maxConcurrentSeen = track.inFlight;

  let outcome: Outcome = 'open';
  let ticket: WorkTicket | undefined;
  // Captured when node aborts the stream, which it does synchronously both
  // on a RST_STREAM received and while tearing down a dead connection; only
  // in the second case is the connection already gone at that moment.
  let lostWithSession: boolean | undefined;
  const isHead = headers[':method'] === 'HEAD';
  let bodyPending = false;
  const bodyDone = () => {
    if (bodyPending) ctx.bodiesPending -= 1;
    bodyPending = false;
  };

  // Errors reach the counters through 'close' and rstCode; without a
  // listener a destroyed stream's error would crash the server.
  stream.on('error', () => {});
  stream.on('aborted', () => {
    lostWithSession = connectionGone(session);
  });
  stream.once('close', () => {
    bodyDone();
    ticket?.cancel();
    track.inFlight -= 1;
    counters.streamsInFlight -= 1;
    const code = stream.rstCode ?? NGHTTP2_NO_ERROR;
    if (outcome === 'answered' && code === NGHTTP2_NO_ERROR) {
      counters.streamsCompleted += 1;
    } else if (outcome === 'refused') {
      counters.refused += 1;
    } else if (lostWithSession ?? connectionGone(session)) {
      counters.streamsLost += 1;
    } else {
      // The session is alive and this server neither answered nor reset the
      // stream, so it closed because the client sent RST_STREAM (RFC 9113 §6.4).
      counters.addRstReceived(h2ErrorCodeName(code));
      ctx.onResetReceived(session);
    }
  });

  // Requests still reading their body count as waiting: HEADERS of a burst
  // arrive in one read, before any body 'end' has put a request in the pool.
  const waiting = pool.queued + ctx.bodiesPending;
  if (options.refuseOverCapacity && pool.busy + waiting >= pool.workers + ctx.maxQueued) {
    // RFC 9113 §8.7: REFUSED_STREAM promises the request was not processed,
    // so the client may retry it, even a POST. Refuse before reading the body.
    outcome = 'refused';
    stream.close(NGHTTP2_REFUSED_STREAM);
    return;
  }
  ctx.bodiesPending += 1;
  bodyPending = true;

  const answer = (status: number, body: Buffer, extra: OutgoingHttpHeaders, then?: () => void) => {
    if (stream.destroyed || stream.closed || outcome !== 'open') return;
    outcome = 'answered';
    stream.respond(
      {
        ':status': status,
        'content-type': 'application/json',
        'content-length': body.length,
        ...extra,
      },
      { endStream: isHead },
    );
    counters.addResponse(status);
    if (isHead) then?.();
    else stream.end(body, then);
  };

  let requestBytes = 0;
  stream.on('data', (chunk: Buffer) => {
    requestBytes += chunk.length;
    if (requestBytes > options.maxRequestBytes && outcome === 'open') {
      // RFC 9113 §8.1: a server may answer before the request is complete,
      // then ask the client to stop sending with RST_STREAM(NO_ERROR).
      bodyDone();
      answer(413, errorBody('request body too large'), {}, () => {
        if (!stream.closed) stream.close(NGHTTP2_NO_ERROR);
      });
    }
  });
  stream.on('end', () => {
    bodyDone();
    if (outcome !== 'open') return;
    if (ctx.takeErrorTurn()) {
      const { retryAfterS } = options;
      answer(
        options.errorStatus,
        errorBody('injected overload'),
        retryAfterS === null ? {} : { 'retry-after': String(retryAfterS) },
      );
      return;
    }
    if (ctx.takeNotFoundTurn()) {
      answer(404, errorBody('not found'), {});
      return;
    }
    ticket = pool.submit(() => answer(200, ctx.okBody, {}));
  });
}

/**
 * True when the session's connection is finished. When the socket closes,
 * node first closes every open stream with CANCEL and only then destroys the
 * session, so `session.destroyed` alone would count those streams as
 * RST_STREAM(CANCEL) received; the socket's own state tells them apart.
 */
function connectionGone(session: ServerHttp2Session): boolean {
  if (session.destroyed) return true;
  try {
    // session.socket is node's proxy: reading `destroyed` reaches the real
    // socket, and throws once the session has let go of it.
    return session.socket.destroyed;
  } catch {
    return true;
  }
}

function errorBody(message: string): Buffer {
  return Buffer.from(JSON.stringify({ ok: false, error: message }), 'utf8');
}
