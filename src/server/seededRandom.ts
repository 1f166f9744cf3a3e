/**
 * A seeded uniform random source in [0, 1): mulberry32, a 32-bit generator
 * that is fast, has a full 2^32 period and passes the usual statistical tests
 * well enough for modelled service times. A fixed seed makes a server's
 * latency sequence repeatable across runs.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
