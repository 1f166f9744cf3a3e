import { constants } from 'node:http2';

/** The error codes RFC 9113 §7 defines, by name. */
const rfc9113ErrorNames = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
] as const;

// Built from node's NGHTTP2_* constants rather than retyped, so the numbers
// are the ones the stack itself reports in `rstCode` and 'goaway'.
const namesByCode = new Map<number, string>();
for (const name of rfc9113ErrorNames) {
  const code = (constants as unknown as Record<string, number | undefined>)[`NGHTTP2_${name}`];
  if (code !== undefined) namesByCode.set(code, name);
}

/**
 * The RFC 9113 §7 name of an HTTP/2 error code, e.g. 8 → `CANCEL`. Codes the
 * RFC does not define (a peer may send any 32-bit value, and §7 says to treat
 * them as INTERNAL_ERROR) are named `UNKNOWN_0x…` so they stay distinct in
 * counters.
 */
export function h2ErrorCodeName(code: number): string {
  return namesByCode.get(code) ?? `UNKNOWN_0x${code.toString(16)}`;
}
