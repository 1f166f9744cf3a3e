import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientStats } from '../../../src/core/clientStats.js';
import { isTransportError } from '../../../src/errors/TransportError.js';
import type { TestServerStats } from '../../../src/server/serverCounters.js';
import type { LoadRun, RequestRecord } from './driveLoad.js';
import type { LedgerServer } from './ledgerServer.js';

/** The counts one fault scenario observed, as docs/reliability.md tabulates them. */
export interface FaultCounts {
  readonly scenario: string;
  readonly submitted: number;
  readonly succeeded: number;
  readonly rejected: number;
  readonly timedOut: number;
  readonly failed: number;
  /** Requests that were retried (at most once each). */
  readonly retried: number;
  readonly cancelledOnWire: number;
  readonly httpErrors: number;
  /** Requests the server processed more than once (must be 0). */
  readonly duplicates: number;
  /** Failed requests by error code, or by `H2FLOW_TRANSPORT/<failure>`, or `http <status>`. */
  readonly failures: Readonly<Record<string, number>>;
  /** Server-side: attempts it saw, processed, completed (when the server can tell). */
  readonly server?: Readonly<Record<string, number>> | undefined;
  /** Scenario-specific measurements (e.g. how fast the rate fell), ms or req/s as named. */
  readonly extra?: Readonly<Record<string, number>> | undefined;
}

/** Options of {@link checkInvariants}. */
export interface InvariantOptions {
  /** The scenario's name (the counts file is named after it). */
  readonly scenario: string;
  /** The server's per-request ledger, when the scenario has one. */
  readonly ledger?: LedgerServer;
  /** Extra server-side counts to record. */
  readonly server?: Readonly<Record<string, number>>;
  /** Scenario-specific measurements to record. */
  readonly extra?: Readonly<Record<string, number>>;
  /** Whether to write the counts file. Default true. */
  readonly record?: boolean;
}

/** What {@link checkInvariants} found. */
export interface InvariantReport {
  /** Each broken invariant, one line each; the test expects none. */
  readonly violations: string[];
  readonly counts: FaultCounts;
}

/**
 * Checks the invariants every fault scenario must keep:
 * - every submitted request settled exactly once, with an error or a response, and its sample;
 * - `stats()` reconciles with what the callbacks saw, and nothing is left queued or in flight;
 * - with a ledger: no request was processed twice (duplicates = 0); a retried
 *   request's earlier attempts were all unprocessed (refused, calmed, or above a
 *   GOAWAY's last-stream-id); a success came from the server's last attempt,
 *   and that attempt completed.
 * Writes the counts to the OS temp dir (see {@link countsDir}) for docs/reliability.md.
 */
export function checkInvariants(
  run: LoadRun,
  stats: ClientStats,
  options: InvariantOptions,
): InvariantReport {
  const violations: string[] = [];
  const tally = {
    succeeded: 0,
    rejected: 0,
    timedOut: 0,
    failed: 0,
    retried: 0,
    retries: 0,
    cancelled: 0,
  };
  const failures: Record<string, number> = {};
  if (run.unsettled > 0) violations.push(`${run.unsettled} requests never settled`);
  if (run.unpairedCallbacks > 0)
    violations.push(`${run.unpairedCallbacks} callbacks had no sample`);
  for (const e of run.faultErrors) violations.push(`fault step failed: ${e}`);
  for (const r of run.records.values()) {
    if (r.callbacks !== 1) violations.push(`request ${r.id}: ${r.callbacks} callbacks`);
    if (r.callbacks === 0) continue;
    if ((r.error === undefined) === (r.response === undefined)) {
      violations.push(`request ${r.id}: settled with both or neither of error and response`);
    }
    const outcome = outcomeOf(r);
    tally[outcome]++;
    if (r.sample !== undefined && r.sample.outcome !== outcome) {
      violations.push(`request ${r.id}: sample says ${r.sample.outcome}, callback says ${outcome}`);
    }
    if ((r.sample?.retries ?? 0) > 0) tally.retried++;
    tally.retries += r.sample?.retries ?? 0;
    if (r.sample?.cancelledOnWire) tally.cancelled++;
    if (outcome === 'failed' || outcome === 'timedOut') {
      const key = failureKey(r);
      failures[key] = (failures[key] ?? 0) + 1;
    }
  }
  const expected: Partial<ClientStats> = {
    submitted: run.records.size,
    succeeded: tally.succeeded,
    rejected: tally.rejected,
    timedOut: tally.timedOut,
    failed: tally.failed,
    inFlight: 0,
    queued: 0,
    retries: tally.retries,
    cancelledOnWire: tally.cancelled,
  };
  for (const [field, value] of Object.entries(expected)) {
    const actual = stats[field as keyof ClientStats];
    if (actual !== value)
      violations.push(`stats().${field} is ${actual}, the callbacks say ${value}`);
  }
  const settledSum =
    stats.succeeded +
    stats.rejected +
    stats.timedOut +
    stats.failed +
    stats.inFlight +
    stats.queued;
  if (settledSum !== stats.submitted) {
    violations.push(`stats() does not reconcile: ${settledSum} != submitted ${stats.submitted}`);
  }
  const duplicates = options.ledger ? checkLedger(run, options.ledger, violations) : 0;
  const counts: FaultCounts = {
    scenario: options.scenario,
    submitted: run.records.size,
    succeeded: tally.succeeded,
    rejected: tally.rejected,
    timedOut: tally.timedOut,
    failed: tally.failed,
    retried: tally.retried,
    cancelledOnWire: tally.cancelled,
    httpErrors: stats.httpErrors,
    duplicates,
    failures,
    server: options.server ?? (options.ledger ? ledgerCounts(options.ledger) : undefined),
    extra: options.extra,
  };
  if (options.record !== false) writeCounts(counts);
  return { violations, counts };
}

/** Checks every request against the server's own record of its attempts; returns the duplicates. */
function checkLedger(run: LoadRun, ledger: LedgerServer, violations: string[]): number {
  let duplicates = 0;
  const keys = new Set<string>();
  for (const r of run.records.values()) {
    const key = `/f/${r.id}`;
    keys.add(key);
    const attempts = ledger.byKey.get(key) ?? [];
    const processed = attempts.filter((a) => a.processed);
    if (processed.length > 1) {
      duplicates += processed.length - 1;
      violations.push(`request ${r.id}: processed ${processed.length} times by the server`);
    }
    const retries = r.sample?.retries ?? 0;
    if (attempts.length > 1 + retries) {
      violations.push(
        `request ${r.id}: server saw ${attempts.length} attempts, client retried ${retries}`,
      );
    }
    // Every attempt before the server's last must have been provably unprocessed.
    const early = attempts.slice(0, -1).find((a) => a.processed);
    if (early !== undefined) {
      violations.push(
        `request ${r.id}: retried after the server processed attempt ${early.seq} (${early.fate})`,
      );
    }
    if (
      isTransportError(r.error) &&
      r.error.failure === 'retry-exhausted' &&
      processed.length > 0
    ) {
      violations.push(
        `request ${r.id}: reported retry-exhausted (never processed) but the server processed it`,
      );
    }
    if (r.response !== undefined && r.response.status === 200) {
      const last = attempts.at(-1);
      let seq: number | undefined;
      try {
        seq = (JSON.parse(r.response.body.toString()) as { seq?: number }).seq;
      } catch {
        seq = undefined;
      }
      if (last === undefined || !last.processed || (seq !== undefined && seq !== last.seq)) {
        violations.push(`request ${r.id}: success not matched by the server's last attempt`);
      }
    }
  }
  for (const key of ledger.byKey.keys()) {
    if (!keys.has(key)) violations.push(`server saw ${key}, which was never submitted`);
  }
  return duplicates;
}

/** The ledger's attempts by fate, plus totals. */
export function ledgerCounts(ledger: LedgerServer): Record<string, number> {
  const counts: Record<string, number> = {
    attempts: ledger.attempts.length,
    processed: 0,
    goawaysSent: ledger.goawaysSent,
  };
  for (const a of ledger.attempts) {
    if (a.processed) counts.processed = (counts.processed ?? 0) + 1;
    counts[a.fate] = (counts[a.fate] ?? 0) + 1;
  }
  return counts;
}

function outcomeOf(r: RequestRecord): 'succeeded' | 'rejected' | 'timedOut' | 'failed' {
  if (r.response !== undefined) {
    const s = r.response.status;
    return s < 500 && s !== 429 ? 'succeeded' : 'failed';
  }
  const code = r.error?.code;
  if (code === 'H2FLOW_OVERLOAD') return 'rejected';
  if (code === 'H2FLOW_DEADLINE') return 'timedOut';
  return 'failed';
}

function failureKey(r: RequestRecord): string {
  if (r.response !== undefined) return `http ${r.response.status}`;
  const e = r.error;
  if (isTransportError(e)) return `${e.code}/${e.failure}`;
  if (e?.code === 'H2FLOW_DEADLINE') return `${e.code}/${e.breakdown.phase}`;
  return e?.code ?? 'unknown';
}

/**
 * Where scenarios write their counts: `<os tmpdir>/h2flow-fault-counts/`, one
 * JSON file per scenario, overwritten by each run. docs/reliability.md is
 * copied from these files.
 */
export function countsDir(): string {
  return join(tmpdir(), 'h2flow-fault-counts');
}

function writeCounts(counts: FaultCounts): void {
  const dir = countsDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${counts.scenario}.json`), `${JSON.stringify(counts)}\n`);
}

/**
 * Checks the embedded test server's own counters (docs/server.md) against the
 * client's counts, where the server cannot name requests one by one:
 * - its streams reconcile and none is left open;
 * - streams it accepted (started − refused) are at most the requests the client
 *   sent (submitted − rejected): a request processed twice would need two;
 * - the client's successes are at most the server's completions;
 * - with `refusalsOnly`, every client retry is explained by a server refusal.
 */
export function serverWitnessViolations(
  server: TestServerStats,
  counts: FaultCounts,
  options: { readonly refusalsOnly?: boolean } = {},
): string[] {
  const violations: string[] = [];
  const resets = Object.values(server.rstReceived).reduce((a, b) => a + b, 0);
  const closed = server.streamsCompleted + resets + server.refused + server.streamsLost;
  if (closed + server.streamsInFlight !== server.streamsStarted) {
    violations.push(`server streams do not reconcile: ${JSON.stringify(server)}`);
  }
  if (server.streamsInFlight !== 0)
    violations.push(`server still has ${server.streamsInFlight} streams open`);
  const accepted = server.streamsStarted - server.refused;
  if (accepted > counts.submitted - counts.rejected) {
    violations.push(
      `server accepted ${accepted} streams for ${counts.submitted - counts.rejected} requests sent`,
    );
  }
  if (counts.succeeded > server.streamsCompleted) {
    violations.push(
      `client succeeded ${counts.succeeded} > server completed ${server.streamsCompleted}`,
    );
  }
  if (options.refusalsOnly && counts.retried > server.refused) {
    violations.push(
      `client retried ${counts.retried} requests, server refused only ${server.refused}`,
    );
  }
  return violations;
}

/** The server counters a counts file records. */
export function serverCounts(server: TestServerStats): Record<string, number> {
  return {
    started: server.streamsStarted,
    completed: server.streamsCompleted,
    refused: server.refused,
    lost: server.streamsLost,
    goawaySent: server.goawaySent,
    sessions: server.sessionsAccepted,
    ...Object.fromEntries(Object.entries(server.rstReceived).map(([k, v]) => [`rst ${k}`, v])),
    ...Object.fromEntries(
      Object.entries(server.responsesByStatus).map(([k, v]) => [`status ${k}`, v]),
    ),
  };
}
