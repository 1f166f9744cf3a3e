import type { Duplex } from 'node:stream';

/**
 * Bytes nghttp2 has produced on `socket` (a session's, as its `'connect'`
 * event gives it) that the kernel has not taken yet: write backpressure.
 * Node's http2 writes through the socket's native handle, so the public
 * `socket.writableLength` stays 0; libuv's queue size is exposed as the
 * handle's `writeQueueSize` (for TLS, only the part not yet encrypted). It is
 * not public API, so anything unexpected reads as 0. Read it from the socket
 * itself, not `session.socket`: that is a Proxy, whose every property read
 * runs a trap (measurable per request on the hot path).
 */
export function socketWriteQueueBytes(socket: Duplex | undefined): number {
  const size = (socket as { _handle?: { writeQueueSize?: unknown } } | undefined)?._handle
    ?.writeQueueSize;
  return typeof size === 'number' ? size : 0;
}
