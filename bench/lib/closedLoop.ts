/** A closed-loop load running against a server: a fixed number of requests always in flight. */
export interface ClosedLoop {
  /** Requests answered 200 so far. */
  readonly completed: number;
  /** Requests that ended any other way so far. */
  readonly failed: number;
  /** Stops starting requests, waits for those in flight, and closes the sessions. */
  stop(): Promise<void>;
}

/** What a loop counts as it runs: the two figures a {@link ClosedLoop} reports. */
export interface LoopCounts {
  completed: number;
  failed: number;
}

/** The {@link ClosedLoop} of a loop that keeps `counts` and stops with `stop`. */
export function closedLoop(counts: LoopCounts, stop: () => Promise<void>): ClosedLoop {
  return {
    get completed() {
      return counts.completed;
    },
    get failed() {
      return counts.failed;
    },
    stop,
  };
}
