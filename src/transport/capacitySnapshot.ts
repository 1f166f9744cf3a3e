import type { CapacitySnapshot, SessionCapacity } from '../core/capacity.js';

/** What a capacity snapshot reads from one session. */
export interface CapacitySource {
  /** The session's capacity now. */
  capacity(): SessionCapacity;
  /** Stream slots it may still open now (0 unless ready). */
  readonly freeSlots: number;
}

/**
 * The capacity of a pool's sessions at `atMs`: each session's own figures,
 * and the totals the controller reads (ready sessions, their slots, the
 * slots in use and free). One function for both transports, so the
 * simulator's controller sees capacity exactly as production's does.
 */
export function capacitySnapshot(
  sessions: Iterable<CapacitySource>,
  atMs: number,
): CapacitySnapshot {
  const all: SessionCapacity[] = [];
  let readySessions = 0;
  let slotsTotal = 0;
  let slotsInUse = 0;
  let slotsAvailable = 0;
  for (const s of sessions) {
    const c = s.capacity();
    all.push(c);
    slotsInUse += c.streamsInFlight;
    if (c.state === 'ready') {
      readySessions++;
      slotsTotal += c.maxConcurrentStreams;
      slotsAvailable += s.freeSlots;
    }
  }
  return { atMs, sessions: all, readySessions, slotsTotal, slotsInUse, slotsAvailable };
}
