import type { SessionCapacity } from '../core/capacity.js';

/** Where a session is in its life: `connecting` (before the peer's first SETTINGS), `ready`, `draining` (no new streams), `closed`. */
export type SessionState = SessionCapacity['state'];

/**
 * The legal moves of a session's state. A session only ever goes forward:
 * a connecting one may become ready, be drained (given up) or close; a ready
 * one may drain or close; a draining one may only close.
 */
const nextStates: Readonly<Record<SessionState, readonly SessionState[]>> = {
  connecting: ['ready', 'draining', 'closed'],
  ready: ['draining', 'closed'],
  draining: ['closed'],
  closed: [],
};

/**
 * A session's state, changed only through {@link transition}: both the
 * `node:http2` session and the simulator's connection hold one, so the two
 * follow the same state machine (after grpc-js's `transitionToState` in
 * `subchannel.ts`, which also moves only from the states it names).
 */
export class SessionLifecycle {
  #state: SessionState = 'connecting';

  /** The state now. */
  get state(): SessionState {
    return this.#state;
  }

  /**
   * Moves to `to` if that is a legal next state from the current one, and
   * returns whether it moved. A move that is not legal (a second GOAWAY on a
   * closed session, SETTINGS after a drain) leaves the state alone, so
   * callers can report events without first checking where the session is.
   */
  transition(to: SessionState): boolean {
    if (!nextStates[this.#state].includes(to)) return false;
    this.#state = to;
    return true;
  }
}
