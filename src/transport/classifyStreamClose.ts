import { http2Codes } from './http2Codes.js';
import type { DispatchOutcome } from './Transport.js';

const {
  REFUSED_STREAM: NGHTTP2_REFUSED_STREAM,
  ENHANCE_YOUR_CALM: NGHTTP2_ENHANCE_YOUR_CALM,
  CANCEL: NGHTTP2_CANCEL,
  NO_ERROR: NGHTTP2_NO_ERROR,
} = http2Codes;

/** The GOAWAY a session received: its error code and last-stream-id (RFC 9113 §6.8). */
export interface GoawayRecord {
  /** The GOAWAY's error code (0 = NO_ERROR, a graceful shutdown). */
  readonly code: number;
  /** The highest stream id the peer may have processed; streams above it were not. */
  readonly lastStreamId: number;
}

/** Everything known about a stream when its `'close'` event fires. */
export interface StreamCloseFacts {
  /** When `cancel()` was called, ms, and whether RST_STREAM(CANCEL) went out. */
  readonly cancelled: { readonly atMs: number; readonly onWire: boolean } | undefined;
  /** Set when the response passed `maxResponseBytes` and we reset the stream. */
  readonly tooLarge:
    | { readonly atMs: number; readonly bytes: number; readonly limit: number }
    | undefined;
  /** Set when a streamed request body's source failed and we reset the stream. */
  readonly bodyFailed: { readonly atMs: number; readonly detail: string } | undefined;
  /** The complete response (final HEADERS and END_STREAM both seen), if any: the outcome itself. */
  readonly response: Extract<DispatchOutcome, { kind: 'response' }> | undefined;
  /** The stream's id on the session. */
  readonly streamId: number | undefined;
  /** The GOAWAY the session had received while this stream was open, if any. */
  readonly goaway: GoawayRecord | undefined;
  /** `stream.rstCode` at close. */
  readonly rstCode: number | undefined;
  /** Whether the session was destroyed by the time the stream closed. */
  readonly sessionDestroyed: boolean;
  /** The error the stream or its session reported, if any. */
  readonly error: (Error & { code?: string }) | undefined;
  /** Close time, ms; a stream with a complete response may give the response's end, since its outcome is the response's own. */
  readonly atMs: number;
}

/**
 * Maps how a stream ended to its {@link DispatchOutcome}. The order matters:
 * - our own cancel, our own protective reset and a failed body source come
 *   first, because they explain the RST_STREAM code Node reports afterwards;
 * - a complete response wins over anything later (a server may send
 *   RST_STREAM(NO_ERROR) after the response to stop our upload, RFC 9113 §8.1);
 * - streams above a GOAWAY's last-stream-id were not processed (RFC 9113
 *   §6.8); nghttp2 closes them with REFUSED_STREAM on NO_ERROR, and Node
 *   destroys them with the session error on other codes, so the id decides;
 * - REFUSED_STREAM means the server did no work (§8.7); ENHANCE_YOUR_CALM is
 *   the server shedding load (§7), treated the same way with a backoff;
 * - then a GOAWAY with an error code, then a lost session: the server may
 *   have processed those streams, so they are not retryable.
 */
export function classifyStreamClose(f: StreamCloseFacts): DispatchOutcome {
  if (f.cancelled) return { kind: 'cancelled', onWire: f.cancelled.onWire, atMs: f.cancelled.atMs };
  if (f.tooLarge) {
    return {
      kind: 'error',
      failure: 'response-too-large',
      detail: `response body passed maxResponseBytes (${f.tooLarge.bytes} > ${f.tooLarge.limit}); sent RST_STREAM(CANCEL)`,
      http2Code: NGHTTP2_CANCEL,
      atMs: f.tooLarge.atMs,
    };
  }
  if (f.bodyFailed) {
    return {
      kind: 'error',
      failure: 'request-body',
      detail: `the request body's source failed (${f.bodyFailed.detail}); sent RST_STREAM(CANCEL)`,
      http2Code: NGHTTP2_CANCEL,
      atMs: f.bodyFailed.atMs,
    };
  }
  if (f.response) return f.response;
  const id = f.streamId;
  const causeCode = f.error?.code;
  const cause = causeCode === undefined ? {} : { causeCode };
  if (id === undefined) {
    // Node refused the request before any frame left (e.g. an invalid header).
    return {
      kind: 'error',
      failure: 'protocol',
      detail: `request rejected before it was sent: ${f.error?.message ?? 'no stream opened'}`,
      ...cause,
      atMs: f.atMs,
    };
  }
  if (f.goaway && id > f.goaway.lastStreamId) {
    return {
      kind: 'retryable',
      reason: 'goaway-unprocessed',
      http2Code: f.goaway.code,
      atMs: f.atMs,
    };
  }
  const peerCodeTrusted = !f.sessionDestroyed || f.goaway === undefined;
  if (f.rstCode === NGHTTP2_REFUSED_STREAM && peerCodeTrusted) {
    return { kind: 'retryable', reason: 'refused-stream', http2Code: f.rstCode, atMs: f.atMs };
  }
  if (f.rstCode === NGHTTP2_ENHANCE_YOUR_CALM && peerCodeTrusted) {
    return { kind: 'retryable', reason: 'enhance-your-calm', http2Code: f.rstCode, atMs: f.atMs };
  }
  if (f.goaway && f.goaway.code !== NGHTTP2_NO_ERROR) {
    return {
      kind: 'error',
      failure: 'goaway',
      detail: `session went away with error code ${f.goaway.code} (last stream ${f.goaway.lastStreamId}) while stream ${id} was open`,
      http2Code: f.goaway.code,
      ...cause,
      atMs: f.atMs,
    };
  }
  if (f.sessionDestroyed) {
    return {
      kind: 'error',
      failure: 'session-closed',
      detail: `connection lost while stream ${id} was open${f.error ? `: ${f.error.message}` : ''}`,
      ...cause,
      atMs: f.atMs,
    };
  }
  return {
    kind: 'error',
    failure: 'stream-reset',
    detail:
      f.rstCode === NGHTTP2_NO_ERROR || f.rstCode === undefined
        ? `stream ${id} closed without a complete response`
        : `stream ${id} reset by the server with code ${f.rstCode}`,
    http2Code: f.rstCode ?? NGHTTP2_NO_ERROR,
    ...cause,
    atMs: f.atMs,
  };
}
