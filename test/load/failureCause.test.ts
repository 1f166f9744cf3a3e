import { describe, expect, it } from '@jest/globals';
import { AbortedError } from '../../src/errors/AbortedError.js';
import { ClosedError } from '../../src/errors/ClosedError.js';
import { DeadlineError } from '../../src/errors/DeadlineError.js';
import { alpnNotH2Code } from '../../src/errors/notH2Codes.js';
import { OverloadError } from '../../src/errors/OverloadError.js';
import { TransportError, type TransportErrorDetails } from '../../src/errors/TransportError.js';
import {
  describeFailureCause,
  failureCause,
  httpStatusCause,
} from '../../src/load/failureCause.js';
import { awaitingBreakdown, queuedBreakdown } from '../errors/fixtures.js';

const transport = (details: Omit<TransportErrorDetails, 'detail'>) =>
  new TransportError({ detail: 'x', ...details }, queuedBreakdown);

describe('failureCause: the typed error names the cause, no message is parsed', () => {
  it.each([
    [transport({ failure: 'connect', causeCode: 'ECONNREFUSED' }), 'connect ECONNREFUSED'],
    [transport({ failure: 'connect', causeCode: 'ETIMEDOUT' }), 'connect ETIMEDOUT'],
    [transport({ failure: 'connect', causeCode: 'ENOTFOUND' }), 'connect ENOTFOUND'],
    [transport({ failure: 'connect' }), 'connect'],
    [
      transport({ failure: 'connect', causeCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      'tls certificate DEPTH_ZERO_SELF_SIGNED_CERT',
    ],
    [
      transport({ failure: 'connect', causeCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
      'tls certificate UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ],
    [
      transport({ failure: 'connect', causeCode: 'ERR_TLS_CERT_ALTNAME_INVALID' }),
      'tls certificate ERR_TLS_CERT_ALTNAME_INVALID',
    ],
    [
      transport({ failure: 'connect', causeCode: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' }),
      'tls ALPN without h2',
    ],
    [transport({ failure: 'connect', causeCode: alpnNotH2Code }), 'tls ALPN without h2'],
    [
      transport({ failure: 'connect', causeCode: 'ERR_SSL_WRONG_VERSION_NUMBER' }),
      'tls ERR_SSL_WRONG_VERSION_NUMBER',
    ],
    [transport({ failure: 'connect', causeCode: 'ERR_HTTP2_ERROR' }), 'protocol not HTTP/2'],
    [transport({ failure: 'goaway', http2Code: 11 }), 'protocol GOAWAY ENHANCE_YOUR_CALM'],
    [transport({ failure: 'stream-reset', http2Code: 2 }), 'protocol RST_STREAM INTERNAL_ERROR'],
    [transport({ failure: 'stream-reset', http2Code: 0xff }), 'protocol RST_STREAM UNKNOWN_0xff'],
    [
      transport({ failure: 'session-closed', causeCode: 'ECONNRESET' }),
      'protocol connection lost ECONNRESET',
    ],
    [
      transport({ failure: 'retry-exhausted', http2Code: 7 }),
      'protocol retry exhausted REFUSED_STREAM',
    ],
    [
      transport({ failure: 'protocol', causeCode: 'ERR_HTTP2_INVALID_HEADER_VALUE' }),
      'protocol ERR_HTTP2_INVALID_HEADER_VALUE',
    ],
    [transport({ failure: 'response-too-large' }), 'response too large'],
    [new DeadlineError(awaitingBreakdown, true), 'deadline awaiting response'],
    [new DeadlineError(queuedBreakdown, false), 'deadline queued'],
    [new OverloadError('rate-limit', 0, queuedBreakdown), 'overload rate-limit'],
    [new ClosedError(queuedBreakdown), 'closed'],
    [new AbortedError(queuedBreakdown, false), 'aborted'],
    [new TypeError('boom'), 'error TypeError'],
  ])('%s → %s', (error, cause) => {
    expect(failureCause(error)).toBe(cause);
  });

  it('a status outside the expected ones is an http cause', () => {
    expect(httpStatusCause(404)).toBe('http 404');
  });
});

describe('describeFailureCause', () => {
  it('adds a plain-English reason where it knows one, as curl does', () => {
    expect(describeFailureCause('connect ECONNREFUSED')).toBe(
      'connect ECONNREFUSED (connection refused: nothing listens on that port)',
    );
    expect(describeFailureCause('connect ENOTFOUND')).toMatch(/did not resolve \(DNS\)/);
    expect(describeFailureCause('protocol not HTTP/2')).toMatch(/not an HTTP\/2 server/);
    expect(describeFailureCause('tls ALPN without h2')).toMatch(/no h2 by ALPN/);
  });

  it('leaves a cause it has no words for as it is', () => {
    expect(describeFailureCause('closed')).toBe('closed');
  });
});
