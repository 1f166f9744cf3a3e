import { http2Codes } from '../transport/http2Codes.js';
import type { Scenario } from './scenario.js';

/**
 * A server's defence against RST_STREAM floods on one connection (the
 * "rapid reset" attack, CVE-2023-44487), as the scenario's knobs set it:
 * - `resetFlood`: more than `maxResets` within any `perS` seconds earns
 *   GOAWAY(ENHANCE_YOUR_CALM) (Netty's `decoderEnforceMaxRstFramesPerWindow`,
 *   200 per 30 s by default since 4.1.100);
 * - `resetRateLimit`: a token bucket of `burst` resets refilled at `perS` a
 *   second, whose exhaustion earns GOAWAY(INTERNAL_ERROR) (nghttp2 1.57's
 *   stream reset rate limit, 1,000 then 33/s, in Node's http2 server).
 * Either ends the connection at once.
 */
export class ResetGuard {
  readonly #flood: Scenario['server']['resetFlood'];
  readonly #rate: Scenario['server']['resetRateLimit'];
  readonly #timesMs: number[] = [];
  #tokens: number;
  #refilledAtMs = 0;

  constructor(server: Scenario['server']) {
    this.#flood = server.resetFlood;
    this.#rate = server.resetRateLimit;
    this.#tokens = this.#rate?.burst ?? 0;
  }

  /** An RST_STREAM arrived at `nowMs`: the GOAWAY code the server answers with, or `undefined` to carry on. */
  onReset(nowMs: number): number | undefined {
    const flood = this.#flood;
    if (flood !== undefined) {
      const times = this.#timesMs;
      times.push(nowMs);
      while (times.length > 0 && times[0]! <= nowMs - flood.perS * 1000) times.shift();
      if (times.length > flood.maxResets) return http2Codes.ENHANCE_YOUR_CALM;
    }
    const rate = this.#rate;
    if (rate !== undefined) {
      const refill = ((nowMs - this.#refilledAtMs) / 1000) * rate.perS;
      this.#tokens = Math.min(rate.burst, this.#tokens + refill);
      this.#refilledAtMs = nowMs;
      if (this.#tokens < 1) return http2Codes.INTERNAL_ERROR;
      this.#tokens -= 1;
    }
    return undefined;
  }
}
