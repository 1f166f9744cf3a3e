import type { Observable, SchedulerLike, Subscription } from 'rxjs';
import {
  createTokenBucket,
  msUntilToken,
  retarget,
  type TokenBucket,
  takeToken,
} from '../core/tokenBucket.js';

/** Options of a {@link RateGate}. */
export interface RateGateOptions {
  /** Rate before the first decision arrives, req/s. */
  readonly initialRateTps: number;
  /** Bucket depth, in ms of the current rate (depth = max(1, rate × burstMs / 1000) tokens). Default 100. */
  readonly burstMs: number;
}

/** Defaults for {@link RateGateOptions} (initial rate comes from the controller options). */
export const defaultRateGateOptions: Pick<RateGateOptions, 'burstMs'> = Object.freeze({
  burstMs: 100,
});

/**
 * A token bucket whose rate follows `rateTps$` (the controller's decisions),
 * read on `scheduler`'s clock. It sits at admission: a request that finds no
 * token is shed at once, before it can queue or reach the wire.
 *
 * Exact under virtual time and free of drift over long runs: token counts are
 * derived from the epoch of the last rate change (see core/tokenBucket.ts),
 * never accumulated step by step.
 */
export class RateGate {
  #bucket: TokenBucket;
  readonly #burstMs: number;
  readonly #scheduler: SchedulerLike;
  readonly #subscription: Subscription;

  constructor(rateTps$: Observable<number>, options: RateGateOptions, scheduler: SchedulerLike) {
    this.#burstMs = options.burstMs;
    this.#scheduler = scheduler;
    this.#bucket = createTokenBucket(
      options.initialRateTps,
      depth(options.initialRateTps, options.burstMs),
      scheduler.now(),
    );
    this.#subscription = rateTps$.subscribe((rateTps) => {
      this.#bucket = retarget(
        this.#bucket,
        rateTps,
        depth(rateTps, this.#burstMs),
        this.#scheduler.now(),
      );
    });
  }

  /** The rate in force, req/s. */
  get rateTps(): number {
    return this.#bucket.rateTps;
  }

  /** Takes a token if one is available now. */
  tryTake(): boolean {
    const next = takeToken(this.#bucket, this.#scheduler.now());
    if (next === undefined) return false;
    this.#bucket = next;
    return true;
  }

  /** Milliseconds until the next token (0 if one is available). */
  msUntilToken(): number {
    return msUntilToken(this.#bucket, this.#scheduler.now());
  }

  /** Stops following the rate stream. */
  dispose(): void {
    this.#subscription.unsubscribe();
  }
}

function depth(rateTps: number, burstMs: number): number {
  return Math.max(1, (rateTps * burstMs) / 1000);
}
