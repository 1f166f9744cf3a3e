/**
 * Why a stream can be retried: the server provably did not process it.
 * - `refused-stream`: RST_STREAM(REFUSED_STREAM) (RFC 9113 §8.7);
 * - `goaway-unprocessed`: its id was above the GOAWAY's last-stream-id (RFC 9113 §6.8);
 * - `enhance-your-calm`: RST_STREAM(ENHANCE_YOUR_CALM); retried once after a backoff;
 * - `session-not-ready`: the session died before the stream was opened on it.
 */
export type RetryReason =
  | 'refused-stream'
  | 'goaway-unprocessed'
  | 'enhance-your-calm'
  | 'session-not-ready';
