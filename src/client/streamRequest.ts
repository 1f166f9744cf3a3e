import type { PhaseTimingsMs } from '../errors/budgetBreakdown.js';
import type { H2flowError } from '../errors/H2flowError.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import type { ResponseHeaders } from '../transport/Transport.js';
import { type ClientRequest, type NormalizedRequest, normalizeRequest } from './clientRequest.js';

/** A request whose body may arrive in chunks, and whose response is taken as it arrives. */
export interface StreamRequest extends Omit<ClientRequest, 'body'> {
  /**
   * Request body: a string (sent as UTF-8), bytes, or chunks from an async
   * iterable (a Node `Readable` is one), read only once a stream slot is
   * granted. Default method with a body: `POST`.
   */
  readonly body?: Uint8Array | string | AsyncIterable<Uint8Array> | undefined;
}

/** How a streamed response ended: its status, trailers and where its budget went. */
export interface StreamEnd {
  /** HTTP status. */
  readonly status: number;
  /** Trailing headers; empty when the server sent none. */
  readonly trailers: ResponseHeaders;
  /** Where the budget went, up to the response's last byte. */
  readonly timings: PhaseTimingsMs;
}

/**
 * Where a streamed response goes. Exactly one of `onEnd` and `onError` is
 * called, once; `onHeaders` and `onData` only before it. A `false` from
 * `onHeaders` or `onData` pauses the stream (and the server, at the
 * flow-control windows) until {@link StreamControl.resume}.
 */
export interface StreamSink {
  /** The response HEADERS arrived. */
  onHeaders(status: number, headers: ResponseHeaders): boolean;
  /** A chunk of the response body. */
  onData(chunk: Uint8Array): boolean;
  /** The response ended: the request settled as a response, at its last byte. */
  onEnd(end: StreamEnd): void;
  /** The request settled with a typed error (shed, deadline, aborted, transport), with its budget breakdown. */
  onError(error: H2flowError): void;
}

/** What `stream()` returns: the request's controls while it lives. */
export interface StreamControl {
  /** Resumes a paused response. */
  resume(): void;
  /** Cancels the request as the caller's abort: it settles with an `AbortedError`. */
  abort(): void;
}

/** A {@link StreamRequest} validated: the fixed body in `body`, or chunks in `bodySource`. */
export interface NormalizedStreamRequest extends NormalizedRequest {
  readonly bodySource: AsyncIterable<Uint8Array> | undefined;
}

/** Validates a streamed request as `normalizeRequest` does, keeping an async-iterable body as its source. */
export function normalizeStreamRequest(request: StreamRequest): NormalizedStreamRequest {
  const body = request?.body;
  const chunked =
    body !== undefined &&
    typeof body !== 'string' &&
    !(body instanceof Uint8Array) &&
    typeof (body as Partial<AsyncIterable<Uint8Array>>)[Symbol.asyncIterator] === 'function';
  if (!chunked) return withBodySource(normalizeRequest(request as ClientRequest), undefined);
  if (request.method !== undefined && /^(GET|HEAD)$/i.test(request.method)) {
    throw new InvalidOptionError('request.body', 'a stream', `absent for ${request.method}`);
  }
  const normalized = normalizeRequest({
    method: request.method ?? 'POST',
    path: request.path,
    headers: request.headers,
    timeoutMs: request.timeoutMs,
    signal: request.signal,
  });
  return withBodySource(normalized, body as AsyncIterable<Uint8Array>);
}

/**
 * `r` with its body source, as a literal: this runs once per request, and V8 copies an object
 * spread field by field on a slow path (a spread cost 1.9 µs a call in the controller's step).
 */
function withBodySource(
  r: NormalizedRequest,
  bodySource: AsyncIterable<Uint8Array> | undefined,
): NormalizedStreamRequest {
  return {
    method: r.method,
    path: r.path,
    headers: r.headers,
    body: r.body,
    timeoutMs: r.timeoutMs,
    bodySource,
  };
}
