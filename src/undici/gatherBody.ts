import { replayLimitBytes } from '../core/replayLimit.js';

/**
 * The most of a streamed request body gathered before the request is queued,
 * bytes: what the client keeps of a streamed body for a replay, so a body
 * small enough to gather is one a streamed retry could also have resent.
 */
export const gatherLimitBytes = replayLimitBytes;

/**
 * Reads a streamed request body (fetch sends every body, a string's too, as
 * an async generator) before its request is queued, up to
 * {@link gatherLimitBytes}. A body that ends within the limit comes back as
 * bytes, so it leaves with its HEADERS when a stream slot is granted, as a
 * fixed body does, instead of a tick or more later: under load that tick is
 * event-loop lag, and the server holds the stream slot (its latency starts
 * at the body's end) for all of it. A longer body comes back as a source
 * that yields what was read, then the rest.
 */
export async function gatherBody(
  source: AsyncIterable<Uint8Array>,
): Promise<Uint8Array | AsyncIterable<Uint8Array>> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
    chunks.push(next.value);
    bytes += next.value.byteLength;
    if (bytes > gatherLimitBytes) return rest(chunks, iterator);
  }
}

async function* rest(
  read: readonly Uint8Array[],
  iterator: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield* read;
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
