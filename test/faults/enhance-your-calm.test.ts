import { expect, test } from '@jest/globals';
import { createClient } from '../../src/createClient.js';
import { startTestServer } from '../../src/server/testServer.js';
import { cleanupAfterEach } from './helpers/cleanup.js';
import { expectInvariantsHeld, runFaultScenario } from './helpers/faultScenario.js';
import { startLedgerServer } from './helpers/ledgerServer.js';

const cleanup = cleanupAfterEach();

// RFC 9113 §7: ENHANCE_YOUR_CALM is the peer shedding load. As RST_STREAM
// before any processing it is treated like REFUSED_STREAM (retried once),
// but only after a jittered backoff (retryBackoffMs × 0.5–1.5).
test('RST_STREAM(ENHANCE_YOUR_CALM) on every third stream for 1.5 s: retried once after the backoff, never processed twice', async () => {
  const retryBackoffMs = 50;
  const start = performance.now();
  let arrivals = 0;
  const server = await startLedgerServer({
    serviceMs: 20,
    admit: () => {
      const t = performance.now() - start;
      arrivals++;
      return t >= 1000 && t < 2500 && arrivals % 3 === 0 ? 'calm' : 'serve';
    },
  });
  cleanup(() => server.close());
  const client = createClient(server.url, { timeoutMs: 2000, retryBackoffMs });
  cleanup(() => client.close());
  const result = await runFaultScenario({
    scenario: 'enhance-your-calm-rst',
    client,
    ledger: server,
    plan: { rateTps: 300, durationMs: 4000 },
  });
  const { run, counts } = result;

  expectInvariantsHeld(result);
  const calmed = server.attempts.filter((a) => a.fate === 'calmed').length;
  expect(calmed).toBeGreaterThan(20);
  const exhausted = counts.failures['H2FLOW_TRANSPORT/retry-exhausted'] ?? 0;
  expect(counts.retried).toBe(calmed - exhausted);
  // Each retry waited out the backoff: at least half of retryBackoffMs after the refusal.
  for (const attempts of server.byKey.values()) {
    for (let i = 1; i < attempts.length; i++) {
      if (attempts[i - 1]!.fate !== 'calmed') continue;
      const gapMs = attempts[i]!.receivedAtMs - attempts[i - 1]!.receivedAtMs;
      expect(gapMs).toBeGreaterThanOrEqual(0.5 * retryBackoffMs - 1);
    }
  }
  expect(run.decisions.some((d) => d.decision.reason === 'enhance-your-calm')).toBe(true);
});

// The reset-flood defence of nghttp2 and Netty (CVE-2023-44487): too many
// RST_STREAM per second earn GOAWAY(ENHANCE_YOUR_CALM) and a closed
// connection. The naive `fixed` policy cancels every request on the wire
// when the server is slower than the deadline, which provokes it.
test('GOAWAY(ENHANCE_YOUR_CALM) after a reset flood (naive policy, deadline below latency): streams the server took fail unretried', async () => {
  const server = await startTestServer({ latencyMs: 200, maxResetsPerS: 20 });
  cleanup(() => server.close());
  const client = createClient(server.url, {
    policy: 'fixed',
    connections: 1,
    timeoutMs: 100,
    reconnectBaseMs: 50,
  });
  cleanup(() => client.close());
  const result = await runFaultScenario({
    scenario: 'enhance-your-calm-goaway',
    client,
    witness: () => server.stats(),
    plan: { rateTps: 150, durationMs: 2000, settleTimeoutMs: 5000 },
  });
  const { run, counts } = result;
  const witness = result.witness!;

  expectInvariantsHeld(result);
  expect(witness.goawaySent).toBeGreaterThan(0);
  expect(counts.succeeded).toBe(0);
  // Every wire cancellation the client counted reached the server, or its connection died first.
  expect(witness.rstReceived.CANCEL ?? 0).toBeLessThanOrEqual(counts.cancelledOnWire);
  // Streams in flight when the server gave up are lost: failed, never retried.
  for (const r of run.records.values()) {
    if (r.error?.code === 'H2FLOW_TRANSPORT' && (r.sample?.retries ?? 0) > 0) {
      expect(r.error.message).toContain('retry-exhausted');
    }
  }
});
