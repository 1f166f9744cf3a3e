import type { GoawayRecord } from './classifyStreamClose.js';

/**
 * What the pool hears from one session `S` (generic so this file does not
 * import the session class, which imports it).
 */
export interface SessionHooks<S> {
  /** The peer's first SETTINGS arrived: the session may take streams. */
  ready(session: S): void;
  /** The stream limit or the state changed (SETTINGS mid-session, draining). */
  changed(session: S): void;
  /** A GOAWAY arrived (may fire several times per session, RFC 9113 §6.8). */
  goaway(session: S, record: GoawayRecord): void;
  /** The session closed; `failure` is set when we did not close it ourselves and no GOAWAY explained it. */
  closed(session: S, failure: SessionFailure | undefined): void;
}

/** Why a session closed unexpectedly. */
export interface SessionFailure {
  /** Node's error code and message, or what was seen (closed by the server). */
  readonly detail: string;
  /** Node's error code (e.g. `ECONNREFUSED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`), if there was one. */
  readonly causeCode: string | undefined;
  /** True when connecting again will not help soon: the server does not speak HTTP/2, or its certificate is refused. */
  readonly lasting: boolean;
}
