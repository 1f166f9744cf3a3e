import type { Http2Session } from 'node:http2';

/**
 * Bytes nghttp2 has produced for `session` that the kernel has not taken yet
 * (write backpressure). Node's http2 writes through the socket's native
 * handle, so the public `socket.writableLength` stays 0; libuv's queue size
 * is exposed as the handle's `writeQueueSize` (for TLS, only the part not yet
 * encrypted). It is not public API, so anything unexpected reads as 0.
 */
export function socketWriteQueueBytes(session: Http2Session): number {
  const socket = session.socket as { _handle?: { writeQueueSize?: unknown } } | undefined;
  const size = socket?._handle?.writeQueueSize;
  return typeof size === 'number' ? size : 0;
}
