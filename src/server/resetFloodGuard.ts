/**
 * Counts RST_STREAM frames received on one connection over a sliding
 * one-second window and reports when they pass a limit: the defence against
 * reset floods (CVE-2023-44487, "rapid reset") that nghttp2 and Netty apply,
 * answered with GOAWAY(ENHANCE_YOUR_CALM) (RFC 9113 §7: the peer "might be
 * generating excessive load"). It keeps at most `maxPerS` + 1 timestamps, so
 * its memory is bounded whatever the client sends.
 */
export class ResetFloodGuard {
  readonly #maxPerS: number;
  // Ring of the latest arrival times, oldest at #start.
  readonly #times: number[] = [];
  #start = 0;

  /** @param maxPerS resets allowed within any one second; one more trips the guard. */
  constructor(maxPerS: number) {
    this.#maxPerS = maxPerS;
  }

  /**
   * Records one reset received at `nowMs` (a monotonic clock, in ms) and
   * returns true when more than `maxPerS` resets arrived within the last
   * 1000 ms, counting this one.
   */
  record(nowMs: number): boolean {
    const capacity = this.#maxPerS + 1;
    if (this.#times.length < capacity) {
      this.#times.push(nowMs);
      return this.#times.length === capacity && nowMs - this.#times[0]! < 1000;
    }
    // Full ring: overwrite the oldest; the new oldest is the next slot.
    this.#times[this.#start] = nowMs;
    this.#start = (this.#start + 1) % capacity;
    return nowMs - this.#times[this.#start]! < 1000;
  }
}
