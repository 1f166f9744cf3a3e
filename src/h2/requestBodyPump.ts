import type { ClientHttp2Stream } from 'node:http2';
import { Readable } from 'node:stream';

/**
 * Writes a streamed request body into its HTTP/2 stream with the stream's
 * backpressure (Node's `pipe`: a full stream buffer stops the reads until
 * `'drain'`, and the buffer drains only as flow-control credit allows), and
 * ends the stream after the last chunk. `failed` hears the source's error;
 * the caller then resets the stream, since a body cut short must not look
 * complete to the server. Returns `stop`, which detaches the source and
 * returns its iterator (so an abandoned generator runs its `finally`).
 */
export function pumpRequestBody(
  source: AsyncIterable<Uint8Array>,
  stream: ClientHttp2Stream,
  failed: (error: Error) => void,
): () => void {
  const readable = Readable.from(source, { objectMode: false });
  readable.once('error', failed);
  readable.pipe(stream);
  return () => {
    readable.unpipe(stream);
    readable.destroy();
  };
}
