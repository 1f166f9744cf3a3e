import type { ControllerOptions } from '../core/controllerOptions.js';
import type { ControlWindow } from '../core/controlWindow.js';
import type { Decision } from '../core/decision.js';
import type { CongestionSeen, StageBound, StageEnd, StageWindow } from './tuneResult.js';
import { windowSignals } from './windowSignals.js';

/** What a stage measured, before the runner adds its counters. */
export interface StageMeasurement {
  readonly end: StageEnd;
  readonly goodputTps: number;
  readonly goodputRelStdErr: number;
  readonly measuredWindows: number;
  readonly measuredMs: number;
  readonly bound: StageBound | undefined;
  readonly serviceP50Ms: number;
  readonly queueWaitP99MaxMs: number;
  readonly baselineServiceMs: number;
  readonly congestion: CongestionSeen | undefined;
  readonly windows: readonly StageWindow[];
}

/** Options of a {@link StageJudge}. */
export interface StageJudgeOptions {
  /** The probe's rate ceiling, req/s. */
  readonly maxRateTps: number;
  /** Measured time at the knee (or at the ceiling) after which the stage is done, ms. */
  readonly plateauMs: number;
  /** Fewest measured windows, whatever their length. Default 4. */
  readonly minPlateauWindows?: number | undefined;
  /**
   * Past `plateauMs`, a knee measurement whose relative standard error is
   * still above this goes on, up to 3 × `plateauMs`, so that a noisy path
   * gets more windows rather than a wider margin. Default 0 (stop at
   * `plateauMs`).
   */
  readonly targetRelStdErr?: number | undefined;
  /** The client's controller options: the knee uses the controller's own thresholds. */
  readonly controller: ControllerOptions;
}

/** A noisy knee is measured for at most this many × `plateauMs`. */
const maxPlateauMultiple = 3;

/** Windows with fewer completions than this do not move the latency baseline (their p50 is noise). */
const minBaselineCompletions = 5;

interface Measured {
  completed: number;
  durationMs: number;
  ratesTps: number[];
  p50sMs: number[];
  bounds: StageBound[];
  seen: boolean;
}

const emptyMeasured = (): Measured => ({
  completed: 0,
  durationMs: 0,
  ratesTps: [],
  p50sMs: [],
  bounds: [],
  seen: false,
});

/**
 * Watches one stage's control windows and says when it has seen enough.
 * Pure: windows and decisions in, a verdict out; the runner owns the clock.
 *
 * A window counts toward the stage's measurement when the path is at its
 * knee ({@link windowSignals}: a queue behind full slots, or a service
 * latency rise) or when the whole window ran at `maxRateTps`. The first
 * such window is skipped, since it straddles the change. The stage is done
 * after `plateauMs` (and `minPlateauWindows`) of counted windows — longer,
 * up to 3 × `plateauMs`, while a knee's measurement is noisier than
 * `targetRelStdErr` — or at once
 * on the first congestion signal — the probe backs off at the first sign.
 * The measurement is completed requests over counted time: at the knee that
 * is what the path carries, by Little's law (busy slots ÷ latency) or the
 * server's worker rate.
 */
export class StageJudge {
  readonly #o: StageJudgeOptions;
  readonly #minWindows: number;
  readonly #windows: StageWindow[] = [];
  readonly #saturated = emptyMeasured();
  readonly #capped = emptyMeasured();
  #baselineServiceMs: number;
  #rateInForceTps: number;
  #queueWaitP99MaxMs = 0;
  #congestion: CongestionSeen | undefined;
  #end: StageEnd | undefined;

  /**
   * @param baselineServiceMs the lowest service p50 seen on the path before this stage (0 if none).
   * @param initialRateTps the rate the stage's client starts at.
   */
  constructor(options: StageJudgeOptions, baselineServiceMs: number, initialRateTps: number) {
    this.#o = options;
    this.#minWindows = options.minPlateauWindows ?? 4;
    this.#baselineServiceMs = baselineServiceMs;
    this.#rateInForceTps = initialRateTps;
  }

  /** Why the stage is done, or undefined while it should go on. */
  get end(): StageEnd | undefined {
    return this.#end;
  }

  /** The lowest service p50 seen on the path so far, ms. */
  get baselineServiceMs(): number {
    return this.#baselineServiceMs;
  }

  /** Feeds one window with the decision made on it (`atMs`: its end, ms since the probe started). */
  add(window: ControlWindow, decision: Decision, atMs: number): StageEnd | undefined {
    if (this.#end !== undefined) return this.#end;
    const s = windowSignals(window, this.#baselineServiceMs, this.#o.controller);
    const durationS = Math.max(window.durationMs, 1) / 1000;
    this.#windows.push({
      atMs,
      durationMs: window.durationMs,
      offeredTps: window.offered / durationS,
      completedTps: s.completedTps,
      rateTps: decision.rateTps,
      reason: decision.reason,
      queueWaitP99Ms: window.queueWaitP99Ms,
      serviceP50Ms: window.serviceP50Ms,
      utilization: s.utilization,
      connections: window.connections,
      bound: s.bound,
      congestion: s.congestionCount,
    });
    this.#queueWaitP99MaxMs = Math.max(this.#queueWaitP99MaxMs, window.queueWaitP99Ms);
    // The rate that governed this window is the one decided at the end of the previous one.
    const cappedWindow = this.#rateInForceTps >= this.#o.maxRateTps;
    this.#rateInForceTps = decision.rateTps;
    if (window.completed >= minBaselineCompletions && window.serviceP50Ms > 0) {
      this.#baselineServiceMs =
        this.#baselineServiceMs > 0
          ? Math.min(this.#baselineServiceMs, window.serviceP50Ms)
          : window.serviceP50Ms;
    }
    if (s.congestion !== undefined) {
      this.#congestion = {
        kind: s.congestion,
        count: s.congestionCount,
        atRateTps: decision.rateTps,
        completedTps: s.completedTps,
      };
      this.#end = 'congestion';
      return this.#end;
    }
    if (s.bound !== undefined) {
      if (
        count(this.#saturated, window, s.completedTps, s.bound) &&
        this.#enough(this.#saturated) &&
        this.#preciseEnough(this.#saturated)
      )
        this.#end = 'saturated';
    } else if (cappedWindow) {
      if (count(this.#capped, window, s.completedTps, undefined) && this.#enough(this.#capped))
        this.#end = 'max-rate';
    }
    return this.#end;
  }

  /** Marks the stage done from outside (time limit, no connection). */
  stop(end: StageEnd): void {
    this.#end ??= end;
  }

  /** What the stage measured. */
  measurement(): StageMeasurement {
    const end = this.#end ?? 'time-limit';
    // Prefer the knee; then the ceiling; then, for a stage cut short, the clean windows at its end.
    const basis =
      this.#saturated.ratesTps.length >= 2
        ? this.#saturated
        : this.#capped.ratesTps.length >= 2
          ? this.#capped
          : this.#recentClean();
    const goodputTps = basis.durationMs > 0 ? (basis.completed * 1000) / basis.durationMs : 0;
    return {
      end,
      goodputTps,
      goodputRelStdErr: relativeStdErr(basis.ratesTps),
      measuredWindows: basis.ratesTps.length,
      measuredMs: basis.durationMs,
      bound: majority(this.#saturated.bounds),
      serviceP50Ms: median(basis.p50sMs),
      queueWaitP99MaxMs: this.#queueWaitP99MaxMs,
      baselineServiceMs: this.#baselineServiceMs,
      congestion: this.#congestion,
      windows: this.#windows,
    };
  }

  #enough(m: Measured): boolean {
    return m.durationMs >= this.#o.plateauMs && m.ratesTps.length >= this.#minWindows;
  }

  /** The knee is known well enough, or has been measured for as long as the probe allows. */
  #preciseEnough(m: Measured): boolean {
    const target = this.#o.targetRelStdErr;
    return (
      target === undefined ||
      relativeStdErr(m.ratesTps) <= target ||
      m.durationMs >= maxPlateauMultiple * this.#o.plateauMs
    );
  }

  /** The windows without congestion in the last `plateauMs` before the stage stopped. */
  #recentClean(): Measured {
    const m = emptyMeasured();
    for (let i = this.#windows.length - 1; i >= 0; i--) {
      const w = this.#windows[i]!;
      if (w.congestion > 0 || w.completedTps === 0) continue;
      if (m.durationMs >= this.#o.plateauMs) break;
      m.completed += (w.completedTps * w.durationMs) / 1000;
      m.durationMs += w.durationMs;
      m.ratesTps.push(w.completedTps);
      m.p50sMs.push(w.serviceP50Ms);
    }
    return m;
  }
}

/** Adds a window to `m`, except the first one (it straddles the change). Returns whether it counted. */
function count(
  m: Measured,
  window: ControlWindow,
  completedTps: number,
  bound: StageBound | undefined,
): boolean {
  if (!m.seen) {
    m.seen = true;
    return false;
  }
  m.completed += window.completed;
  m.durationMs += window.durationMs;
  m.ratesTps.push(completedTps);
  m.p50sMs.push(window.serviceP50Ms);
  if (bound !== undefined) m.bounds.push(bound);
  return true;
}

/** Standard error of the mean of `xs`, relative to the mean (0 for fewer than two values). */
export function relativeStdErr(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (mean <= 0) return 0;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return Math.sqrt(variance / n) / mean;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function majority(bounds: readonly StageBound[]): StageBound | undefined {
  const counts = new Map<StageBound, number>();
  for (const b of bounds) counts.set(b, (counts.get(b) ?? 0) + 1);
  let best: StageBound | undefined;
  for (const [b, n] of counts) if (best === undefined || n > counts.get(best)!) best = b;
  return best;
}
