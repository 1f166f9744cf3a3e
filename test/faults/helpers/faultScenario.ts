import { expect } from '@jest/globals';
import type { AdaptiveClient } from '../../../src/client/AdaptiveClient.js';
import type { TestServerStats } from '../../../src/server/serverCounters.js';
import { driveLoad, type LoadPlan, type LoadRun } from './driveLoad.js';
import {
  checkInvariants,
  type FaultCounts,
  serverCounts,
  serverWitnessViolations,
} from './invariants.js';
import type { LedgerServer } from './ledgerServer.js';
import { watchProcessFaults } from './processFaults.js';

/** One fault scenario: the client, the load and faults, and the server-side truth to check against. */
export interface FaultScenario {
  /** Name of the counts file (docs/reliability.md). */
  readonly scenario: string;
  readonly client: AdaptiveClient;
  readonly plan: LoadPlan;
  /** The scripted server's per-request ledger, when the peer is one. */
  readonly ledger?: LedgerServer;
  /** The embedded server's counters, read after the client has closed, when the peer is one. */
  readonly witness?: () => TestServerStats | Promise<TestServerStats>;
  /** With `witness`: every client retry must match a server refusal. */
  readonly refusalsOnly?: boolean;
  /** Closed together with the client, for a peer that must go before the client's close() can finish. */
  readonly closeWith?: () => Promise<unknown>;
  /** Scenario-specific measurements to record with the counts. */
  readonly extra?: (run: LoadRun) => Readonly<Record<string, number>>;
}

/** What a {@link FaultScenario} observed. */
export interface FaultResult {
  readonly run: LoadRun;
  readonly counts: FaultCounts;
  /** Broken invariants (client and server side), one line each. */
  readonly violations: readonly string[];
  /** Unhandled rejections and uncaught exceptions seen while it ran. */
  readonly processFaults: readonly string[];
  /** The embedded server's counters, when `witness` was given. */
  readonly witness: TestServerStats | undefined;
}

/**
 * Drives the scenario's load through its client with the process listeners
 * on, closes the client, and checks every invariant (helpers/invariants.ts)
 * against the ledger or the server's counters.
 */
export async function runFaultScenario(s: FaultScenario): Promise<FaultResult> {
  const watch = watchProcessFaults();
  let run: LoadRun;
  try {
    run = await driveLoad(s.client, s.plan);
    await Promise.all([s.client.close(), s.closeWith?.()]);
  } finally {
    watch.stop();
  }
  const witness = await s.witness?.();
  const { violations, counts } = checkInvariants(run, s.client.stats(), {
    scenario: s.scenario,
    ...(s.ledger === undefined ? {} : { ledger: s.ledger }),
    ...(witness === undefined ? {} : { server: serverCounts(witness) }),
    ...(s.extra === undefined ? {} : { extra: s.extra(run) }),
  });
  const witnessViolations =
    witness === undefined
      ? []
      : serverWitnessViolations(witness, counts, { refusalsOnly: s.refusalsOnly ?? false });
  return {
    run,
    counts,
    violations: [...violations, ...witnessViolations],
    processFaults: watch.seen,
    witness,
  };
}

/** Asserts the scenario kept every invariant and the process saw no unhandled error. */
export function expectInvariantsHeld(result: FaultResult): void {
  expect(result.processFaults).toEqual([]);
  expect(result.violations).toEqual([]);
}
