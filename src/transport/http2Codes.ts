/**
 * HTTP/2 error codes (RFC 9113 §7) that the pool, the stream classifier and
 * the simulator name. Plain numbers, so nothing here loads `node:http2`:
 * the simulator shares this code and never opens a socket.
 */
export const http2Codes = Object.freeze({
  NO_ERROR: 0,
  PROTOCOL_ERROR: 1,
  INTERNAL_ERROR: 2,
  REFUSED_STREAM: 7,
  CANCEL: 8,
  ENHANCE_YOUR_CALM: 11,
});

/** The names of the codes in {@link http2Codes}, by number (for details and counters). */
export const http2ErrorNames: Readonly<Record<number, string>> = Object.freeze(
  Object.fromEntries(Object.entries(http2Codes).map(([name, code]) => [code, name])),
);
