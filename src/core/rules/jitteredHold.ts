/**
 * The server-bound hold, spread over ±25% by a hash of the moment and the
 * throughput. Pure and deterministic, but different for every client of a
 * fleet (their windows end at different times and carry different loads), so
 * a hundred instances that were judged server-bound together do not all
 * re-probe with new connections in the same second.
 */
export function jitteredHoldMs(baseMs: number, endMs: number, completedTps: number): number {
  let h = Math.imul(Math.round(endMs) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.round(completedTps * 1000);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  const unit = ((h ^ (h >>> 16)) >>> 0) / 4294967296;
  return baseMs * (0.75 + 0.5 * unit);
}
