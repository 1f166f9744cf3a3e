import { isExpectedStatus, type StatusRange } from './expectedStatuses.js';
import { type FailureCause, failureCause, httpStatusCause } from './failureCause.js';

/**
 * Causes that explain themselves: what the connection, TLS, the peer or the
 * response did. Shed requests and deadlines are often their consequence (the
 * client sheds while it cannot connect), so the first of these is reported
 * first even when a shed came earlier.
 */
const rootCause = /^(connect|tls|protocol|response|http)\b/;

/**
 * The first request of a run that did not succeed — the first with a root
 * cause (connection, TLS, protocol, response, status) if any — which `load`
 * prints when nothing succeeded.
 */
export interface FirstFailure {
  /** Its cause key, e.g. `connect ECONNREFUSED`. */
  readonly cause: FailureCause;
  /** The first line of its error message (or `HTTP 404` for a status). */
  readonly message: string;
}

/** What a {@link OutcomeTally} counted. */
export interface OutcomeCounts {
  /** Requests judged. */
  readonly settled: number;
  /** Requests answered with an expected status. */
  readonly succeeded: number;
  /** Responses by HTTP status, e.g. `{ "200": 480, "404": 20 }`. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Every request that did not succeed, by {@link FailureCause}. */
  readonly failuresByCause: Readonly<Record<string, number>>;
  /** Responses whose status was outside the expected ranges. */
  readonly httpErrors: number;
  /** The first request that did not succeed, preferring a root cause; see {@link FirstFailure}. */
  readonly firstFailure: FirstFailure | undefined;
}

/**
 * Judges each settled request against the expected statuses and counts it:
 * responses by status, everything that did not succeed by cause. A response
 * succeeds when its status is expected, whatever the client's own counters
 * say (they treat 5xx and 429 as failures, and every other status as a
 * success); any other request keeps the client's outcome, with the cause
 * its typed error carries.
 */
export class OutcomeTally {
  readonly #expected: readonly StatusRange[];
  readonly #statuses = new Map<number, number>();
  readonly #causes = new Map<FailureCause, number>();
  #httpErrors = 0;
  #settled = 0;
  #succeeded = 0;
  #first: FirstFailure | undefined;
  #firstRoot: FirstFailure | undefined;

  constructor(expected: readonly StatusRange[]) {
    this.#expected = expected;
  }

  /**
   * Counts one settled request: its response `status`, or the `error` it
   * failed with. Returns the outcome its status earns (`succeeded` when
   * expected, else `failed`), or undefined without a response, when the
   * client's own outcome stands.
   */
  judge(status: number | undefined, error: unknown): 'succeeded' | 'failed' | undefined {
    this.#settled++;
    if (status !== undefined) {
      this.#statuses.set(status, (this.#statuses.get(status) ?? 0) + 1);
      if (isExpectedStatus(status, this.#expected)) {
        this.#succeeded++;
        return 'succeeded';
      }
      this.#httpErrors++;
      this.#fail(httpStatusCause(status), `HTTP ${status}`);
      return 'failed';
    }
    if (error !== undefined) this.#fail(failureCause(error), firstLine(error));
    return undefined;
  }

  /** The counts so far, statuses in numeric order and causes most frequent first. */
  counts(): OutcomeCounts {
    const statuses: Record<string, number> = {};
    for (const [s, n] of [...this.#statuses].sort((a, b) => a[0] - b[0])) statuses[String(s)] = n;
    const failuresByCause: Record<string, number> = {};
    for (const [c, n] of [...this.#causes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      failuresByCause[c] = n;
    }
    return {
      settled: this.#settled,
      succeeded: this.#succeeded,
      statuses,
      failuresByCause,
      httpErrors: this.#httpErrors,
      firstFailure: this.#firstRoot ?? this.#first,
    };
  }

  #fail(cause: FailureCause, message: string): void {
    this.#causes.set(cause, (this.#causes.get(cause) ?? 0) + 1);
    this.#first ??= { cause, message };
    if (this.#firstRoot === undefined && rootCause.test(cause))
      this.#firstRoot = { cause, message };
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0]!.trim();
}
