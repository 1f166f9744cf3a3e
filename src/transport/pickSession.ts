/** What the session-pick policy needs to know about one session. */
export interface PickCandidate {
  /** Streams in flight on it now. */
  readonly streamsInFlight: number;
  /** Its usable stream limit now (0 when it is not ready or not accepting). */
  readonly streamLimit: number;
  /**
   * Whether a body of `bodyBytes` would wait on this session now (flow-control
   * window too small, or output not draining). It may be costly (it reads
   * `session.state` from nghttp2), so the policy calls it on few candidates.
   */
  sendStalled(bodyBytes: number): boolean;
}

/**
 * How many of the least-loaded sessions are checked for a send stall before
 * the policy settles for the least-loaded one anyway. Each check reads
 * `session.state`, a call into nghttp2 that allocates; four bounds the cost
 * per dispatch while still finding an unstalled session in a pool where a few
 * are stalled.
 */
export const stallProbeLimit = 4;

/**
 * The session-pick policy: least loaded by utilization (streams in flight ÷
 * stream limit), skipping sessions that would stall the body.
 *
 * Why least-loaded rather than pack-then-spread:
 * - Each session is its own TCP connection with its own flow-control windows
 *   and congestion window. Spreading streams puts fewer of them behind each
 *   connection's windows and losses (TCP head-of-line blocking), which keeps
 *   the per-stream latency the controller measures low.
 * - The controller adds a connection when slots are the bottleneck and then
 *   judges whether it raised throughput; least-loaded puts the new session to
 *   work at once, so that judgement sees its effect within a window.
 * - Draining is explicit (`resize`), so pack-then-spread's one benefit, idle
 *   sessions that can be closed, is not needed.
 * - Dividing by each session's own limit treats sessions fairly when peers
 *   (or one peer over time, via SETTINGS) give them different limits.
 *
 * Why skip stalled sessions: a body on a session whose window cannot take it,
 * or whose output queue is not draining, waits there while another session
 * could send it now; that wait would be `sending` time the caller pays for.
 * When every probed session is stalled the least loaded one still takes the
 * stream: the slot is free, and the stall is then reported in `onSent`.
 *
 * Ties go to the earlier session in `candidates` (the oldest), so the choice
 * is deterministic. Returns `undefined` when no session has a free slot.
 */
export function pickSession<T extends PickCandidate>(
  candidates: readonly T[],
  bodyBytes: number,
): T | undefined {
  let best: T | undefined;
  let bestLoad = Infinity;
  let free = 0;
  for (const c of candidates) {
    if (c.streamsInFlight >= c.streamLimit) continue;
    free++;
    const load = c.streamsInFlight / c.streamLimit;
    if (load < bestLoad) {
      best = c;
      bestLoad = load;
    }
  }
  if (best === undefined || free === 1 || !best.sendStalled(bodyBytes)) return best;
  // Rare path: the least-loaded session is stalled; probe the next few.
  const ranked = candidates
    .filter((c) => c !== best && c.streamsInFlight < c.streamLimit)
    .sort((a, b) => a.streamsInFlight / a.streamLimit - b.streamsInFlight / b.streamLimit);
  for (const c of ranked.slice(0, stallProbeLimit - 1)) {
    if (!c.sendStalled(bodyBytes)) return c;
  }
  return best;
}
