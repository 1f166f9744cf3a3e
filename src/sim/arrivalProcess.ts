import type { SeededRandom } from '../core/seededRandom.js';
import { type Scenario, scenarioDurationS } from './scenario.js';

/**
 * Open-loop request arrivals for one client: callers who do not wait for
 * earlier responses, as production traffic arrives. The rate follows the
 * scenario's load phases (constant or linear ramps).
 *
 * Poisson arrivals in a phase whose rate varies are drawn by thinning
 * (Lewis and Shedler, 1979): candidates come at the phase's highest rate
 * λmax and each is kept with probability λ(t)/λmax, which is exact for any
 * rate function below λmax. A candidate past the phase's end restarts the
 * draw at the boundary, which the exponential's memorylessness allows.
 * `uniform` arrivals are evenly spaced at 1/λ(t).
 */
export class ArrivalProcess {
  readonly #kind: 'poisson' | 'uniform';
  readonly #rng: SeededRandom;
  readonly #phases: readonly { startMs: number; endMs: number; fromTps: number; toTps: number }[];
  readonly #endMs: number;
  #tMs = 0;
  #phase = 0;

  constructor(scenario: Scenario, rng: SeededRandom) {
    this.#kind = scenario.load.arrivals;
    this.#rng = rng;
    let startMs = 0;
    this.#phases = scenario.load.phases.map((p) => {
      const phase = {
        startMs,
        endMs: startMs + p.durationS * 1000,
        fromTps: p.fromTps,
        toTps: p.toTps,
      };
      startMs = phase.endMs;
      return phase;
    });
    this.#endMs = scenarioDurationS(scenario) * 1000;
  }

  /** The next arrival time, ms; `undefined` once the load has ended. */
  next(): number | undefined {
    for (;;) {
      const phase = this.#phases[this.#phase];
      if (phase === undefined || this.#tMs >= this.#endMs) return undefined;
      if (this.#tMs >= phase.endMs) {
        this.#phase++;
        continue;
      }
      const maxTps = Math.max(phase.fromTps, phase.toTps);
      if (maxTps <= 0) {
        this.#tMs = phase.endMs;
        continue;
      }
      const rateAt = (tMs: number): number =>
        phase.fromTps +
        ((phase.toTps - phase.fromTps) * (tMs - phase.startMs)) / (phase.endMs - phase.startMs);
      if (this.#kind === 'uniform') {
        const rate = rateAt(this.#tMs);
        // At a zero rate (the start of a ramp from 0), step to where the ramp reaches one arrival's worth.
        const gapMs = rate > 0 ? 1000 / rate : 1000 / maxTps;
        this.#tMs += gapMs;
        if (this.#tMs >= phase.endMs) continue;
        return this.#tMs;
      }
      this.#tMs += this.#rng.nextExponential(1000 / maxTps);
      if (this.#tMs >= phase.endMs) {
        this.#tMs = phase.endMs;
        continue;
      }
      if (phase.fromTps === phase.toTps || this.#rng.next() * maxTps < rateAt(this.#tMs)) {
        return this.#tMs;
      }
    }
  }
}
