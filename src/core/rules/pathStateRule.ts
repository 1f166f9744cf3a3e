import type { PathState } from '../decision.js';
import type { PathSignals } from './pathSignals.js';

/**
 * Rule 5: what limits the path, read from what happened in this window. No
 * ready session is `no-connection`, never a judgement about the server. A
 * server-bound verdict stands while it holds, unless the path carried all
 * that was offered: then nobody but the callers limits it (`demand-bound`).
 * Full slots or windows with a queue name their kind. Otherwise the last
 * judgement stands.
 */
export function pathStateRule(
  previous: PathState,
  s: PathSignals,
  serverBound: boolean,
): PathState {
  if (s.readySessions === 0) return 'no-connection';
  if (s.demandServed) return 'demand-bound';
  if (serverBound) return 'server-bound';
  if (s.pathFull) return s.windowStalled && !s.slotsFull ? 'window-bound' : 'stream-bound';
  return previous === 'no-connection' || previous === 'server-bound' ? 'unknown' : previous;
}
