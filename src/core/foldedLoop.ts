/**
 * Runs `body` so that calls made while it runs (a callback re-entering the
 * caller) fold into the running call, which repeats `body` once more instead
 * of nesting. The limiter's pump and the session pool's upkeep use it: both
 * are re-entered from the callbacks they make.
 */
export class FoldedLoop {
  readonly #body: () => void;
  #running = false;
  #again = false;

  /** @param body the work; it is run once per {@link run}, plus once per batch of re-entrant calls. */
  constructor(body: () => void) {
    this.#body = body;
  }

  /** Runs the body now, or, when called from inside it, once more after it returns. */
  run(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    try {
      do {
        this.#again = false;
        this.#body();
      } while (this.#again);
    } finally {
      this.#running = false;
    }
  }
}
