/** One session's capacity as the transport sees it. */
export interface SessionCapacity {
  /** Transport-local id of the session. */
  readonly id: number;
  /** `connecting` (before the first SETTINGS), `ready`, `draining` (no new streams), or `closed`. */
  readonly state: 'connecting' | 'ready' | 'draining' | 'closed';
  /** Streams in flight on it. */
  readonly streamsInFlight: number;
  /** The peer's SETTINGS_MAX_CONCURRENT_STREAMS. */
  readonly maxConcurrentStreams: number;
  /** Bytes the peer lets us send on the connection right now (connection-level window). */
  readonly remoteWindowBytes: number;
  /** Bytes queued in the session's output that have not left yet. */
  readonly outboundQueueBytes: number;
}

/** Capacity across the transport's sessions at one moment. */
export interface CapacitySnapshot {
  /** When it was taken, ms. */
  readonly atMs: number;
  /** Every open session. */
  readonly sessions: readonly SessionCapacity[];
  /** Ready sessions. */
  readonly readySessions: number;
  /** Stream slots across ready sessions (sum of their MAX_CONCURRENT_STREAMS). */
  readonly slotsTotal: number;
  /** Streams in flight across all sessions. */
  readonly slotsInUse: number;
  /** Slots free for new streams on ready sessions right now. */
  readonly slotsAvailable: number;
}
