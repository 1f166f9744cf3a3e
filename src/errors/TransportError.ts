import { type BudgetBreakdown, formatPhases } from './budgetBreakdown.js';
import { H2flowError } from './H2flowError.js';

/**
 * What went wrong below the request:
 * - `connect`: the session could not be established (DNS, TCP, TLS, ALPN);
 * - `stream-reset`: the server reset the stream (`rstCode` says how);
 * - `goaway`: the session went away and the stream cannot be retried;
 * - `session-closed`: the connection was lost mid-stream;
 * - `response-too-large`: the response passed `maxResponseBytes`;
 * - `request-body`: the streamed request body's source failed, so the
 *   stream was reset (RST_STREAM(CANCEL)) rather than ended short;
 * - `protocol`: anything else the HTTP/2 layer reported;
 * - `retry-exhausted`: a retryable failure happened again after its one retry.
 */
export type TransportFailure =
  | 'connect'
  | 'stream-reset'
  | 'goaway'
  | 'session-closed'
  | 'response-too-large'
  | 'request-body'
  | 'protocol'
  | 'retry-exhausted';

/** Context fields of a {@link TransportError}. */
export interface TransportErrorDetails {
  /** What went wrong. */
  readonly failure: TransportFailure;
  /** Human detail from the layer below (e.g. the TLS error text). */
  readonly detail: string;
  /** HTTP/2 error code of the RST_STREAM or GOAWAY, when there was one. */
  readonly http2Code?: number;
  /**
   * Node's error code (e.g. `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`), when there was one, or
   * h2flow's reading of one: `H2FLOW_ALPN_NOT_H2` when a TLS server did not select h2 by ALPN.
   */
  readonly causeCode?: string;
}

const brand = Symbol.for('h2flow.TransportError');

/** The HTTP/2 connection or stream failed. */
export class TransportError extends H2flowError {
  override readonly code = 'H2FLOW_TRANSPORT' as const;
  override readonly name = 'TransportError';
  /** What went wrong. */
  readonly failure: TransportFailure;
  /** HTTP/2 error code of the RST_STREAM or GOAWAY, when there was one. */
  readonly http2Code: number | undefined;
  /** Node's error code, when there was one. */
  readonly causeCode: string | undefined;
  readonly [brand] = true;

  constructor(details: TransportErrorDetails, breakdown: BudgetBreakdown, options?: ErrorOptions) {
    const codes = [
      details.http2Code === undefined ? '' : `http2 code ${details.http2Code}`,
      details.causeCode ?? '',
    ].filter(Boolean);
    super(
      `transport failed (${details.failure}${codes.length ? `, ${codes.join(', ')}` : ''}): ${details.detail}; ${formatPhases(breakdown)}`,
      breakdown,
      options,
    );
    this.failure = details.failure;
    this.http2Code = details.http2Code;
    this.causeCode = details.causeCode;
  }
}

/** True when `value` is a {@link TransportError}. */
export function isTransportError(value: unknown): value is TransportError {
  return (
    typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true
  );
}
