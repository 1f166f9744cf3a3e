/**
 * `bytes` as a Buffer without copying them: itself when it already is one
 * (node:http2's chunks and the client's encoded bodies are), else a Buffer
 * view of the same memory (the simulator's shared body).
 */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
