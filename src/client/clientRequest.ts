import type { PhaseTimingsMs } from '../errors/budgetBreakdown.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import type { RequestHeaders, ResponseHeaders } from '../transport/Transport.js';

/** One request as a caller gives it. */
export interface ClientRequest {
  /** HTTP method. Default `GET`, or `POST` when a body is given. */
  readonly method?: string | undefined;
  /** Path with query, starting with `/`. Default `/`. */
  readonly path?: string | undefined;
  /** Request headers; names are lower-cased. Connection-specific headers are refused (RFC 9113 §8.2.2). */
  readonly headers?: Readonly<Record<string, string | readonly string[]>> | undefined;
  /** Request body (a string is sent as UTF-8). */
  readonly body?: Uint8Array | string | undefined;
  /** The whole budget, submit to response end, ms. Default: the client's `timeoutMs`. */
  readonly timeoutMs?: number | undefined;
  /** Cancels the request: locally while queued, with RST_STREAM(CANCEL) once in flight. */
  readonly signal?: AbortSignal | undefined;
}

/** A response. Any HTTP status resolves; the client's counters treat 5xx and 429 as failures. */
export interface ClientResponse {
  /** HTTP status. */
  readonly status: number;
  /** Response headers. */
  readonly headers: ResponseHeaders;
  /** The whole response body. */
  readonly body: Buffer;
  /** Where the budget went. */
  readonly timings: PhaseTimingsMs;
}

/** A request validated and normalised for the transport (id and deadline are added by the client). */
export interface NormalizedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: RequestHeaders;
  readonly body: Uint8Array | undefined;
  readonly timeoutMs: number | undefined;
}

/**
 * Connection-specific header fields, which HTTP/2 forbids (RFC 9113 §8.2.2):
 * a request carrying one is malformed, so it is refused before sending.
 */
const forbiddenHeaders = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
]);
/** RFC 9110 §9's methods and PATCH, as sent: valid as they are (no pattern test, no upper-casing per request). */
const standardMethods: ReadonlySet<unknown> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
/** NUL, CR or LF: a malformed field value (RFC 9113 §8.2.1). */
const badValue = /[\0\r\n]/;
/** Whitespace, which a request target never holds (RFC 9112 §3.2); one object, not one per request. */
const whitespace = /\s/;

/**
 * Validates and normalises a caller's request. Throws an `InvalidOptionError`
 * naming the bad field: a malformed request is a programming error, not an
 * outcome, so it is never counted as submitted.
 */
export function normalizeRequest(request: ClientRequest): NormalizedRequest {
  if (typeof request !== 'object' || request === null) {
    throw new InvalidOptionError('request', request, 'an object');
  }
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  if (body !== undefined && !(body instanceof Uint8Array)) {
    throw new InvalidOptionError('request.body', body, 'a string or Uint8Array');
  }
  const given = request.method ?? (body === undefined ? 'GET' : 'POST');
  const method = standardMethods.has(given) ? given : otherMethod(given);
  const path = request.path ?? '/';
  if (
    typeof path !== 'string' ||
    !(path.startsWith('/') || path === '*') ||
    whitespace.test(path)
  ) {
    throw new InvalidOptionError(
      'request.path',
      path,
      "a path starting with '/' without whitespace",
    );
  }
  const headers: Record<string, string | readonly string[]> = {};
  const givenHeaders = request.headers ?? {};
  for (const rawName in givenHeaders) {
    if (!Object.hasOwn(givenHeaders, rawName)) continue;
    const value = givenHeaders[rawName]!;
    const name = rawName.toLowerCase();
    if (!tokenPattern.test(name)) {
      throw new InvalidOptionError(
        `request.headers`,
        rawName,
        'header names that are HTTP tokens (no pseudo-headers)',
      );
    }
    if (
      forbiddenHeaders.has(name) ||
      (name === 'te' && String(value).toLowerCase() !== 'trailers')
    ) {
      throw new InvalidOptionError(
        `request.headers.${name}`,
        value,
        'absent: HTTP/2 forbids connection-specific headers (RFC 9113 §8.2.2)',
      );
    }
    // RFC 9113 §8.2.1: NUL, CR or LF makes a field value malformed; node sends it anyway, and
    // an HTTP/1.1 hop behind the server would read it as injected header lines (test/input).
    if (
      Array.isArray(value)
        ? value.some((v) => badValue.test(String(v)))
        : badValue.test(String(value))
    ) {
      throw new InvalidOptionError(
        `request.headers.${name}`,
        value,
        'a value without NUL, CR or LF (RFC 9113 §8.2.1)',
      );
    }
    headers[name] = value;
  }
  if (
    request.timeoutMs !== undefined &&
    (!Number.isFinite(request.timeoutMs) || request.timeoutMs <= 0)
  ) {
    throw new InvalidOptionError('request.timeoutMs', request.timeoutMs, 'a finite number > 0');
  }
  return { method, path, headers, body, timeoutMs: request.timeoutMs };
}

/** A method not in {@link standardMethods}: a token (upper-cased), or an `InvalidOptionError`. */
function otherMethod(method: unknown): string {
  if (typeof method !== 'string' || !/^[A-Z][A-Z0-9_-]*$/i.test(method)) {
    throw new InvalidOptionError('request.method', method, 'an HTTP method token');
  }
  return method.toUpperCase();
}
