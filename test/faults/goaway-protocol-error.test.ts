import { constants } from 'node:http2';
import { expect, test } from '@jest/globals';
import { createClient } from '../../src/createClient.js';
import { cleanupAfterEach } from './helpers/cleanup.js';
import { driveLoad } from './helpers/driveLoad.js';
import { checkInvariants } from './helpers/invariants.js';
import { startLedgerServer } from './helpers/ledgerServer.js';
import { watchProcessFaults } from './helpers/processFaults.js';

const cleanup = cleanupAfterEach();

// RFC 9113 §5.4.1: a connection error is a GOAWAY with the error code, then
// the connection closes. Streams at or below its last-stream-id may have been
// processed, so they fail (never retried); streams above it were not (§6.8).
test('GOAWAY(PROTOCOL_ERROR) mid-load: processed streams fail without retry, unprocessed ones are retried once', async () => {
  const server = await startLedgerServer({ serviceMs: 40, commitDelayMs: 20 });
  cleanup(() => server.close());
  const client = createClient(server.url, { timeoutMs: 3000 });
  cleanup(() => client.close());
  const watch = watchProcessFaults();

  const run = await driveLoad(client, {
    rateTps: 400,
    durationMs: 3000,
    faults: [{ atMs: 1500, run: () => server.goawayAll(constants.NGHTTP2_PROTOCOL_ERROR) }],
  });
  await client.close();
  const { violations, counts } = checkInvariants(run, client.stats(), {
    scenario: 'goaway-protocol-error',
    ledger: server,
  });

  expect(watch.stop()).toEqual([]);
  expect(violations).toEqual([]);
  expect(server.goawaysSent).toBe(1);
  // Streams in service when the connection closed were processed and lost: failed, not retried.
  const lost = server.attempts.filter((a) => a.processed && a.fate === 'lost').length;
  expect(lost).toBeGreaterThan(0);
  expect(counts.failures['H2FLOW_TRANSPORT/goaway'] ?? 0).toBe(lost);
  for (const r of run.records.values()) {
    if (r.error?.code === 'H2FLOW_TRANSPORT') expect(r.sample?.retries).toBe(0);
  }
  // Streams in the accept queue above the last-stream-id were retried.
  expect(server.attempts.filter((a) => a.fate === 'abandoned').length).toBeGreaterThan(0);
  expect(counts.retried).toBeGreaterThan(0);
  // The rate is cut on the error GOAWAY, and the client reconnects and carries on.
  expect(run.decisions.some((d) => d.decision.reason === 'goaway-error')).toBe(true);
  expect(server.sessions.length).toBeGreaterThanOrEqual(2);
  const after = [...run.records.values()].filter((r) => r.submittedAtMs > 2500);
  expect(after.filter((r) => r.response?.status === 200).length).toBeGreaterThan(0);
});
