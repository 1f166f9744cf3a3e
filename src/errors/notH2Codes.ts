/**
 * The `causeCode` of a TLS session whose server did not select `h2` by ALPN
 * (RFC 9113 §3.2): it selected none or another protocol (Node has no code of
 * its own for that: it speaks HTTP/2 regardless and reports the peer's reply
 * as `ERR_HTTP2_ERROR`), or refused the handshake with alert 120.
 */
export const alpnNotH2Code = 'H2FLOW_ALPN_NOT_H2';

/**
 * The `causeCode` of a cleartext session whose server answered the h2c
 * preface with something other than SETTINGS (RFC 9113 §3.4): an HTTP/1.x
 * server replies `400 Bad Request`, which Node reports as a bare
 * `ERR_HTTP2_ERROR` ("Protocol error").
 */
export const notH2Code = 'H2FLOW_NOT_H2';
