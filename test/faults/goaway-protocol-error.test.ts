import { constants } from 'node:http2';
import { expect, test } from '@jest/globals';
import { createClient } from '../../src/createClient.js';
import { isTransportError } from '../../src/errors/TransportError.js';
import { cleanupAfterEach } from './helpers/cleanup.js';
import { expectInvariantsHeld, runFaultScenario } from './helpers/faultScenario.js';
import { startLedgerServer } from './helpers/ledgerServer.js';

const cleanup = cleanupAfterEach();

// RFC 9113 §5.4.1: a connection error is a GOAWAY with the error code, then
// the connection closes. Streams at or below its last-stream-id may have been
// processed, so they fail (never retried); streams above it were not (§6.8).
test('GOAWAY(PROTOCOL_ERROR) mid-load: processed streams fail without retry, unprocessed ones are retried once', async () => {
  const server = await startLedgerServer({ serviceMs: 40, commitDelayMs: 20 });
  cleanup(() => server.close());
  const client = createClient(server.url, { timeoutMs: 3000 });
  cleanup(() => client.close());
  const result = await runFaultScenario({
    scenario: 'goaway-protocol-error',
    client,
    ledger: server,
    plan: {
      rateTps: 400,
      durationMs: 3000,
      faults: [{ atMs: 1500, run: () => server.goawayAll(constants.NGHTTP2_PROTOCOL_ERROR) }],
    },
  });
  const { run, counts } = result;

  expectInvariantsHeld(result);
  expect(server.goawaysSent).toBe(1);
  // Streams at or below the last-stream-id were processed: the server may
  // even have finished its answer before the client dropped the connection.
  // They fail as `goaway` and are never retried.
  const goawayFailed = [...run.records.values()].filter(
    (r) => isTransportError(r.error) && r.error.failure === 'goaway',
  );
  expect(goawayFailed.length).toBeGreaterThan(0);
  for (const r of goawayFailed) {
    expect(r.sample?.retries).toBe(0);
    expect(server.byKey.get(`/f/${r.id}`)?.map((a) => a.processed)).toEqual([true]);
  }
  expect(Object.keys(counts.failures)).toEqual(['H2FLOW_TRANSPORT/goaway']);
  // Streams in the accept queue above the last-stream-id were retried.
  expect(server.attempts.filter((a) => a.fate === 'abandoned').length).toBeGreaterThan(0);
  expect(counts.retried).toBeGreaterThan(0);
  // The rate is cut on the error GOAWAY, and the client reconnects and carries on.
  expect(run.decisions.some((d) => d.decision.reason === 'goaway-error')).toBe(true);
  expect(server.sessions.length).toBeGreaterThanOrEqual(2);
  const after = [...run.records.values()].filter((r) => r.submittedAtMs > 2500);
  expect(after.filter((r) => r.response?.status === 200).length).toBeGreaterThan(0);
});
