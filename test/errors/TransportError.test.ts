import { describe, expect, it } from '@jest/globals';
import { H2flowError, isH2flowError } from '../../src/errors/H2flowError.js';
import { isTransportError, TransportError } from '../../src/errors/TransportError.js';
import { awaitingBreakdown, notErrors, oneOfEach, queuedBreakdown } from './fixtures.js';

describe('TransportError', () => {
  it('has the stable code and its name', () => {
    const e = new TransportError({ failure: 'connect', detail: 'x' }, queuedBreakdown);
    expect(e.code).toBe('H2FLOW_TRANSPORT');
    expect(e.name).toBe('TransportError');
  });

  it('carries the failure, the HTTP/2 code and the cause code as fields', () => {
    const e = new TransportError(
      {
        failure: 'stream-reset',
        detail: 'reset by peer',
        http2Code: 11,
        causeCode: 'ERR_HTTP2_STREAM_ERROR',
      },
      awaitingBreakdown,
    );
    expect(e.failure).toBe('stream-reset');
    expect(e.http2Code).toBe(11);
    expect(e.causeCode).toBe('ERR_HTTP2_STREAM_ERROR');
    expect(e.message).toBe(
      'transport failed (stream-reset, http2 code 11, ERR_HTTP2_STREAM_ERROR): reset by peer; queued 4890 ms, sending 2 ms, awaiting response 108 ms',
    );
  });

  it('leaves absent codes undefined and out of the message', () => {
    const e = new TransportError(
      { failure: 'connect', detail: 'ECONNREFUSED 127.0.0.1:1' },
      queuedBreakdown,
    );
    expect(e.http2Code).toBeUndefined();
    expect(e.causeCode).toBeUndefined();
    expect(e.message).toBe('transport failed (connect): ECONNREFUSED 127.0.0.1:1; queued 0 ms');
  });

  it('keeps an HTTP/2 code of 0 (NO_ERROR)', () => {
    const e = new TransportError(
      { failure: 'goaway', detail: 'gone', http2Code: 0 },
      queuedBreakdown,
    );
    expect(e.http2Code).toBe(0);
    expect(e.message).toContain('http2 code 0');
  });

  it('keeps the underlying cause', () => {
    const cause = new Error('socket hang up');
    const e = new TransportError({ failure: 'session-closed', detail: 'lost' }, queuedBreakdown, {
      cause,
    });
    expect(e.cause).toBe(cause);
  });

  it('is an H2flowError recognised by its brand guard only', () => {
    const e = new TransportError({ failure: 'protocol', detail: 'x' }, queuedBreakdown);
    expect(e).toBeInstanceOf(H2flowError);
    expect(isH2flowError(e)).toBe(true);
    expect(isTransportError(e)).toBe(true);
    const others = oneOfEach().filter((x) => !(x instanceof TransportError));
    expect(others.some(isTransportError)).toBe(false);
    expect(notErrors.some(isTransportError)).toBe(false);
    expect(isTransportError({ [Symbol.for('h2flow.TransportError')]: true })).toBe(true);
  });
});
