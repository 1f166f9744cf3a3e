import type { GoawayRecord } from '../transport/classifyStreamClose.js';

/** One stream's view of its `node:http2` session: how it learns about a GOAWAY while it is open. */
export interface SessionStream {
  /** A GOAWAY arrived while the stream was open. */
  onGoaway(record: GoawayRecord): void;
}
