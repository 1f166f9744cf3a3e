import {
  type ClientHttp2Stream,
  constants,
  type IncomingHttpHeaders,
  type IncomingHttpStatusHeader,
  type OutgoingHttpHeaders,
} from 'node:http2';
import type { SchedulerLike } from 'rxjs';
import { asBuffer } from '../transport/asBuffer.js';
import {
  classifyStreamClose,
  type GoawayRecord,
  type StreamCloseFacts,
} from '../transport/classifyStreamClose.js';
import type {
  DispatchHandle,
  DispatchListener,
  DispatchOutcome,
  RequestHeaders,
  ResponseHeaders,
  TransportRequest,
} from '../transport/Transport.js';
import type { H2Session } from './H2Session.js';
import { pumpRequestBody } from './requestBodyPump.js';
import type { SessionStream } from './sessionStream.js';
import { StreamedBody } from './streamedBody.js';
import { bodyFollows, endsWithHeaders } from './streamOptions.js';

const { NGHTTP2_CANCEL, NGHTTP2_NO_ERROR } = constants;

/** Headers before any arrive, one object for every dispatch. */
const noHeaders: ResponseHeaders = Object.freeze({});

/** The body of a response without DATA. */
const emptyBody = Buffer.alloc(0);

/** The facts of the stream closing now (see `#finish`). */
const closeFacts: { -readonly [K in keyof StreamCloseFacts]: StreamCloseFacts[K] } = {
  atMs: 0,
  cancelled: undefined,
  tooLarge: undefined,
  bodyFailed: undefined,
  response: undefined,
  streamId: undefined,
  goaway: undefined,
  rstCode: undefined,
  sessionDestroyed: false,
  error: undefined,
};

/** Where a stream keeps the dispatch its shared listeners report to. */
const dispatchOf = Symbol('h2flow.dispatch');

/** A stream opened by an {@link H2Dispatch}, tagged with it. */
type DispatchedStream = ClientHttp2Stream & { [dispatchOf]: H2Dispatch };

/** How {@link H2Dispatch.open} went. */
export type OpenResult = 'opened' | 'session-unusable';

/**
 * One request on one HTTP/2 stream: it opens the stream, writes the body,
 * collects the response, and reports each phase to its listener on the
 * transport's clock:
 * - dispatch is the moment `session.request()` hands HEADERS to nghttp2;
 * - `onSent` on the stream's `'finish'`, which Node emits only once the last
 *   DATA frame has been sent (it waits for flow-control windows);
 * - `onHeaders` on the final response HEADERS (`'response'`);
 * - `onDone` exactly once, on the stream's `'close'`, when its slot on the
 *   session is free again, so a client that dispatches from `onDone` never
 *   overruns MAX_CONCURRENT_STREAMS.
 */
export class H2Dispatch implements DispatchHandle, SessionStream {
  readonly #session: H2Session;
  readonly #request: TransportRequest;
  readonly #listener: DispatchListener;
  readonly #scheduler: SchedulerLike;
  #stream: ClientHttp2Stream | undefined;
  #done = false;
  #windowStalled = false;
  #status: number | undefined;
  #headers: ResponseHeaders = noHeaders;
  #contentLength: number | undefined;
  /** The body's chunks, made at the first one (most responses have one). */
  #chunks: Buffer[] | undefined;
  #bytes = 0;
  #trailers: IncomingHttpHeaders | undefined;
  /** Set for a streaming listener: where the body goes instead of `#chunks`. */
  readonly #streamed: StreamedBody | undefined;
  #stopBody: (() => void) | undefined;
  #goaway: GoawayRecord | undefined;
  #error: (Error & { code?: string }) | undefined;
  #cancelled: StreamCloseFacts['cancelled'];
  #tooLarge: StreamCloseFacts['tooLarge'];
  #bodyFailed: StreamCloseFacts['bodyFailed'];
  #response: StreamCloseFacts['response'];

  constructor(
    session: H2Session,
    request: TransportRequest,
    listener: DispatchListener,
    scheduler: SchedulerLike,
  ) {
    this.#session = session;
    this.#request = request;
    this.#listener = listener;
    this.#scheduler = scheduler;
    const onData = listener.onData;
    this.#streamed =
      onData === undefined
        ? undefined
        : new StreamedBody(
            (chunk) => onData.call(listener, chunk),
            () => this.#stream,
          );
  }

  /**
   * Opens the stream on the session. Returns `session-unusable` (and takes
   * nothing) when Node refuses new streams on the session (a GOAWAY arrived
   * in this tick, or the session is being destroyed); the caller then tries
   * another session. A request Node rejects for itself (an invalid header,
   * RFC 9113 §8.2) is accepted and fails with a `protocol` error.
   */
  open(): OpenResult {
    const { body, bodySource, method, path } = this.#request;
    const bodyBytes = body?.byteLength ?? 0;
    // Read before HEADERS goes out: the window this body has to get through.
    this.#windowStalled = bodyBytes > 0 && this.#session.bodyWillStall(bodyBytes);
    let stream: ClientHttp2Stream;
    try {
      stream = this.#session.request(
        wireHeaders(method, path, this.#request.headers),
        body === undefined && bodySource === undefined ? endsWithHeaders : bodyFollows,
      );
    } catch (error) {
      if (this.#session.unusable) return 'session-unusable';
      this.#error = error as Error;
      // Report after `dispatch` returned the handle, never from inside it.
      queueMicrotask(() => this.#finish());
      return 'opened';
    }
    this.#stream = stream;
    this.#session.streams.add(this);
    // Shared listeners that find this dispatch on the stream: no closure per stream per event.
    (stream as DispatchedStream)[dispatchOf] = this;
    stream.on('response', H2Dispatch.#onResponseEvent);
    stream.on('data', H2Dispatch.#onDataEvent);
    stream.on('end', H2Dispatch.#onEndEvent);
    stream.on('finish', H2Dispatch.#onFinishEvent);
    stream.on('error', H2Dispatch.#onErrorEvent);
    stream.on('close', H2Dispatch.#onCloseEvent);
    if (this.#streamed !== undefined) stream.on('trailers', H2Dispatch.#onTrailersEvent);
    if (body !== undefined) stream.end(asBuffer(body));
    else if (bodySource !== undefined) {
      const length = Number(this.#request.headers['content-length']);
      this.#stopBody = pumpRequestBody(
        bodySource,
        stream,
        Number.isSafeInteger(length) && length > 0 ? length : undefined,
        (error) => this.#onBodyFailed(error),
      );
    }
    return 'opened';
  }

  static #onResponseEvent(
    this: DispatchedStream,
    headers: IncomingHttpHeaders & IncomingHttpStatusHeader,
  ): void {
    this[dispatchOf].#onResponse(headers);
  }

  static #onDataEvent(this: DispatchedStream, chunk: Buffer): void {
    this[dispatchOf].#onData(chunk);
  }

  static #onTrailersEvent(this: DispatchedStream, trailers: IncomingHttpHeaders): void {
    this[dispatchOf].#trailers = trailers;
  }

  static #onEndEvent(this: DispatchedStream): void {
    this[dispatchOf].#onEnd();
  }

  /** Node emits 'finish' once the last DATA frame has left: the end of the `sending` phase. */
  static #onFinishEvent(this: DispatchedStream): void {
    const d = this[dispatchOf];
    if (!d.#done && d.#cancelled === undefined)
      d.#listener.onSent(d.#scheduler.now(), d.#windowStalled);
  }

  /**
   * Stream errors (RST_STREAM, session loss) are classified at 'close'; the
   * listener only keeps Node's error code for the report.
   */
  static #onErrorEvent(this: DispatchedStream, error: Error): void {
    this[dispatchOf].#error ??= error;
  }

  static #onCloseEvent(this: DispatchedStream): void {
    this[dispatchOf].#onClose();
  }

  /**
   * Cancels the request. If its stream is still open, RST_STREAM(CANCEL) goes
   * out (RFC 9113 §8.7) and `onDone` reports `cancelled` with `onWire` true
   * once the stream has closed; a stream already closed sends nothing.
   */
  cancel(): void {
    if (this.#done || this.#cancelled) return;
    const atMs = this.#scheduler.now();
    const stream = this.#stream;
    if (stream === undefined) {
      this.#cancelled = { atMs, onWire: false };
      this.#finish(atMs);
      return;
    }
    this.#cancelled = { atMs, onWire: !stream.closed };
    this.#streamed?.drop();
    if (!stream.closed) stream.close(NGHTTP2_CANCEL);
  }

  /** Pauses a streamed response (its listener's `onData` returns false to the same effect). */
  pause(): void {
    if (!this.#done) this.#streamed?.pause();
  }

  /** Resumes a response the streaming listener paused. */
  resume(): void {
    if (!this.#done) this.#streamed?.resume();
  }

  /** The streamed body's source threw: reset the stream, so the server never takes a short body for whole. */
  #onBodyFailed(error: Error): void {
    if (this.#done || this.#cancelled !== undefined || this.#bodyFailed !== undefined) return;
    this.#bodyFailed = { atMs: this.#scheduler.now(), detail: error.message };
    const stream = this.#stream;
    if (stream !== undefined && !stream.closed) stream.close(NGHTTP2_CANCEL);
  }

  /** A GOAWAY arrived while this stream was open. */
  onGoaway(record: GoawayRecord): void {
    // A stream nghttp2 already closed (e.g. by the peer's RST_STREAM) keeps
    // the peer's own verdict; only streams still open are judged by the id.
    if (this.#stream !== undefined && !this.#stream.closed) this.#goaway = record;
  }

  #onResponse(headers: IncomingHttpHeaders & IncomingHttpStatusHeader): void {
    if (this.#done) return;
    const status = Number(headers[':status']);
    // Node's own object, which only this stream's listener sees: `:status` is the one
    // pseudo-header a response carries (RFC 9113 §8.3.2), and a delete costs nothing
    // where a copy of the (null-prototype, dictionary-mode) object costs ~0.2 µs.
    delete headers[':status'];
    this.#status = status;
    this.#headers = headers;
    this.#listener.onHeaders(this.#scheduler.now(), status, headers);
    this.#streamed?.headersHandedOn();
    const length = Number(headers['content-length']);
    if (headers['content-length'] !== undefined && Number.isSafeInteger(length) && length >= 0) {
      this.#contentLength = length;
      // No need to receive a body we already know is too large (a streaming listener takes any size).
      if (length > this.#request.maxResponseBytes && this.#streamed === undefined) {
        this.#protectiveReset(length);
      }
    }
  }

  #onData(chunk: Buffer): void {
    if (this.#tooLarge !== undefined || this.#cancelled !== undefined || this.#done) return;
    this.#bytes += chunk.byteLength;
    if (this.#streamed !== undefined) this.#streamed.data(chunk);
    else if (this.#bytes > this.#request.maxResponseBytes) this.#protectiveReset(this.#bytes);
    else if (this.#chunks === undefined) this.#chunks = [chunk];
    else this.#chunks.push(chunk);
  }

  /**
   * Resets a stream whose response passed `maxResponseBytes` with
   * RST_STREAM(CANCEL): a protective reset that does go on the wire, and the
   * server counts it like any other cancel.
   */
  #protectiveReset(bytes: number): void {
    if (this.#cancelled !== undefined || this.#tooLarge !== undefined) return;
    this.#tooLarge = { atMs: this.#scheduler.now(), bytes, limit: this.#request.maxResponseBytes };
    this.#chunks = undefined;
    this.#stream?.close(NGHTTP2_CANCEL);
  }

  #onEnd(): void {
    const stream = this.#stream;
    if (stream === undefined || this.#status === undefined || this.#tooLarge !== undefined) return;
    // Node also emits 'end' when a stream is torn down (session loss, or a
    // RST_STREAM); then the stream is already closed with a code, or the
    // body is shorter than its content-length. Only a clean end is a response.
    // (A RST_STREAM(NO_ERROR) mid-body without content-length is
    // indistinguishable from END_STREAM in Node's API.)
    if (stream.closed && stream.rstCode !== NGHTTP2_NO_ERROR) return;
    if (this.#contentLength !== undefined && this.#contentLength !== this.#bytes) return;
    // No `windowStalled` here: node:http2 gives no honest view of a receive-side stall. Measured on
    // Node 20 (1 MiB responses through a 2 ms-RTT proxy): with the default 64 KiB windows the
    // responses were window-bound (12.8/s on one stream against 50/s with 16 MiB windows), yet
    // session.state.localWindowSize read in every 'data' handler never fell below ~32 KiB, because
    // nghttp2 has consumed the bytes and sent WINDOW_UPDATE before JavaScript sees them. The
    // per-stream figure reads 0 whenever the reader pauses, even under a 16 MiB window.
    this.#response = {
      kind: 'response',
      status: this.#status,
      headers: this.#headers,
      // A streaming listener has (or is about to have) the chunks: its body is empty.
      body: bodyOf(this.#chunks),
      atMs: this.#scheduler.now(),
      trailers: this.#trailers === undefined ? undefined : withoutPseudoHeaders(this.#trailers),
    };
    this.#chunks = undefined;
  }

  #onClose(): void {
    this.#session.streams.delete(this);
    this.#stopBody?.();
    // A streamed response whose last chunks wait for a paused listener ends once it has them.
    if (this.#streamed !== undefined) this.#streamed.whenDrained(() => this.#finish());
    // A complete response is the outcome, with its own end time: no clock read for the close.
    else this.#finish(this.#response?.atMs);
  }

  /**
   * Reports the stream's one outcome: how it closed, judged by
   * classifyStreamClose at `atMs` (now by default). The facts go in one
   * object for every dispatch, rewritten per close (the judge keeps none of
   * it); the response, the error and the GOAWAY record, which can be large,
   * are let go once judged.
   */
  #finish(atMs = this.#scheduler.now()): void {
    if (this.#done) return;
    this.#done = true;
    const f = closeFacts;
    f.atMs = atMs;
    f.cancelled = this.#cancelled;
    f.tooLarge = this.#tooLarge;
    f.bodyFailed = this.#bodyFailed;
    f.response = this.#response;
    f.streamId = this.#stream?.id;
    f.goaway = this.#goaway;
    f.rstCode = this.#stream?.rstCode;
    f.sessionDestroyed = this.#session.destroyed;
    f.error = this.#error;
    const outcome: DispatchOutcome = classifyStreamClose(f);
    f.response = undefined;
    f.error = undefined;
    f.goaway = undefined;
    this.#listener.onDone(outcome);
  }
}

/**
 * The request's HEADERS as node:http2 takes them. A plain loop: V8 copies a
 * header object by spread (`{ ...headers, ':path': p }`) about 60 times slower
 * (measured ~0.9 µs against 14 ns on Node 20), a third of h2flow's own cost
 * per request in the client-overhead bench's profile.
 */
function wireHeaders(method: string, path: string, headers: RequestHeaders): OutgoingHttpHeaders {
  const wire: OutgoingHttpHeaders = { ':method': method, ':path': path };
  for (const name in headers) wire[name] = headers[name] as string | string[];
  return wire;
}

/** Header fields without the pseudo-headers (RFC 9113 §8.3.2), which are not response headers. */
function withoutPseudoHeaders(headers: IncomingHttpHeaders): ResponseHeaders {
  const copy: Record<string, string | string[] | undefined> = {};
  for (const name in headers) {
    if (name.charCodeAt(0) !== 0x3a) copy[name] = headers[name];
  }
  return copy;
}

/** A response's chunks as one Buffer, without a copy when there is one. */
function bodyOf(chunks: Buffer[] | undefined): Buffer {
  if (chunks === undefined) return emptyBody;
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
