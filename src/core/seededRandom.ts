/**
 * A small, fast, seeded pseudo-random generator: xoshiro128** (Blackman and
 * Vigna, 2018), seeded through splitmix32 so that nearby seeds give
 * unrelated streams. 128 bits of state, period 2^128 − 1; plenty for the
 * few million draws of a simulation, and it keeps runs deterministic:
 * nothing in the simulator reads `Math.random`.
 */
export class SeededRandom {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** @param seed any 32-bit integer (other numbers are truncated to one). */
  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      // splitmix32: spreads a single 32-bit seed over the four state words.
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    if ((this.#a | this.#b | this.#c | this.#d) === 0) this.#a = 1;
  }

  /** A generator started from an explicit xoshiro128 state (for checking against reference vectors). */
  static fromState(a: number, b: number, c: number, d: number): SeededRandom {
    const r = new SeededRandom(0);
    r.#a = a | 0;
    r.#b = b | 0;
    r.#c = c | 0;
    r.#d = d | 0;
    return r;
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }

  /** A uniform draw in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform draw in (0, 1]: safe under `Math.log`. */
  nextOpen(): number {
    return (this.nextUint32() + 1) / 4294967296;
  }

  /** A standard normal draw (Box–Muller; the second value is discarded to keep the stream simple). */
  nextNormal(): number {
    const u = this.nextOpen();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An exponential draw with the given mean. */
  nextExponential(mean: number): number {
    return -Math.log(this.nextOpen()) * mean;
  }

  /** A new generator whose stream is independent of this one's (for per-client streams). */
  fork(): SeededRandom {
    return new SeededRandom(this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
