import { isAbortedError } from '../errors/AbortedError.js';
import { phaseLabel } from '../errors/budgetBreakdown.js';
import { isClosedError } from '../errors/ClosedError.js';
import { isDeadlineError } from '../errors/DeadlineError.js';
import { alpnNotH2Code, notH2Code } from '../errors/notH2Codes.js';
import { isOverloadError } from '../errors/OverloadError.js';
import { isTransportError, type TransportError } from '../errors/TransportError.js';
import { alpnAlertCode, isCertificateCode } from '../h2/H2Session.js';
import { h2ErrorCodeName } from '../server/h2ErrorCodeName.js';

/**
 * Why one request did not succeed, as a short stable key: its class, then
 * what within it, e.g. `connect ECONNREFUSED`, `tls certificate
 * DEPTH_ZERO_SELF_SIGNED_CERT`, `protocol not HTTP/2`, `protocol GOAWAY
 * ENHANCE_YOUR_CALM`, `deadline queued`, `overload rate-limit`, `http 404`.
 * Reports count failures by this key (`failuresByCause`).
 */
export type FailureCause = string;

/**
 * The cause of a connection that never came up. Node's code says which
 * stage failed; two of them need reading: `ERR_HTTP2_ERROR` before the first
 * SETTINGS means the peer's first bytes were not an HTTP/2 SETTINGS frame,
 * which every HTTP/2 server sends first (RFC 9113 §3.4) — an HTTP/1.x
 * server answering the preface with `HTTP/1.1 400` fails exactly so.
 */
function connectCause(code: string | undefined): FailureCause {
  if (code === undefined) return 'connect';
  if (code === alpnAlertCode || code === alpnNotH2Code) return 'tls ALPN without h2';
  if (isCertificateCode(code)) return `tls certificate ${code}`;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return `tls ${code}`;
  if (code === 'ERR_HTTP2_ERROR' || code === notH2Code) return 'protocol not HTTP/2';
  return `connect ${code}`;
}

function transportCause(error: TransportError): FailureCause {
  const name = error.http2Code === undefined ? undefined : h2ErrorCodeName(error.http2Code);
  switch (error.failure) {
    case 'connect':
      return connectCause(error.causeCode);
    case 'stream-reset':
      return `protocol RST_STREAM ${name ?? 'unknown'}`;
    case 'goaway':
      return `protocol GOAWAY ${name ?? 'unknown'}`;
    case 'session-closed':
      return `protocol connection lost${error.causeCode ? ` ${error.causeCode}` : ''}`;
    case 'response-too-large':
      return 'response too large';
    case 'request-body':
      return 'request body source failed';
    case 'retry-exhausted':
      return `protocol retry exhausted${name ? ` ${name}` : ''}`;
    case 'protocol':
      return `protocol ${error.causeCode ?? 'error'}`;
  }
}

/**
 * Classifies why a request failed, from the typed error it settled with
 * (their stable `code`s and fields carry the cause; nothing is parsed from
 * messages): a deadline by the phase it fired in, a shed request by its
 * overload reason, a transport failure by its failure kind and Node or
 * HTTP/2 code. Anything else is `error <name>`.
 */
export function failureCause(error: unknown): FailureCause {
  if (isDeadlineError(error)) return `deadline ${phaseLabel(error.breakdown.phase)}`;
  if (isOverloadError(error)) return `overload ${error.reason}`;
  if (isTransportError(error)) return transportCause(error);
  if (isClosedError(error)) return 'closed';
  if (isAbortedError(error)) return 'aborted';
  return `error ${error instanceof Error ? error.name : typeof error}`;
}

/** The cause of a response whose status was not expected (`--expect-status`): `http 404`. */
export function httpStatusCause(status: number): FailureCause {
  return `http ${status}`;
}

const explanations: ReadonlyArray<readonly [RegExp, string]> = [
  [/^connect ECONNREFUSED$/, 'connection refused: nothing listens on that port'],
  [/^connect (ENOTFOUND|EAI_AGAIN)$/, 'the host name did not resolve (DNS)'],
  [/^connect ETIMEDOUT$/, 'the connection or the server SETTINGS did not come in time'],
  [/^connect (ECONNRESET|EPIPE)$/, 'the peer closed the connection while it was set up'],
  [/^connect EHOSTUNREACH|^connect ENETUNREACH/, 'no route to the host'],
  [/^tls certificate /, 'the server certificate is not trusted (see --ca, --insecure)'],
  [/^tls ALPN without h2$/, 'the TLS server does not offer HTTP/2 (no h2 by ALPN)'],
  [
    /^protocol not HTTP\/2$/,
    'the peer is not an HTTP/2 server: its first bytes were no SETTINGS frame (HTTP/1.x?)',
  ],
  [/^protocol GOAWAY /, 'the server closed the connection with GOAWAY'],
  [/^protocol RST_STREAM /, 'the server reset the stream'],
  [/^response too large$/, 'the response passed the client maxResponseBytes'],
  [/^http /, 'the server answered with a status outside --expect-status'],
  [/^deadline /, 'the request budget (--timeout) ran out'],
  [/^overload /, 'shed before sending by the client admission'],
];

/**
 * One line on a cause for people, as curl prints its error, e.g.
 * `connect ECONNREFUSED (connection refused: nothing listens on that port)`.
 */
export function describeFailureCause(cause: FailureCause): string {
  const text = explanations.find(([pattern]) => pattern.test(cause))?.[1];
  return text === undefined ? cause : `${cause} (${text})`;
}
