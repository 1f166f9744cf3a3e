/** A closed-loop load running against a server: a fixed number of requests always in flight. */
export interface ClosedLoop {
  /** Requests answered 200 so far. */
  readonly completed: number;
  /** Requests that ended any other way so far. */
  readonly failed: number;
  /** Stops starting requests, waits for those in flight, and closes the sessions. */
  stop(): Promise<void>;
}
