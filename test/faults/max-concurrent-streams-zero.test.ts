import { expect, test } from '@jest/globals';
import { createClient } from '../../src/createClient.js';
import { cleanupAfterEach } from './helpers/cleanup.js';
import { expectInvariantsHeld, runFaultScenario } from './helpers/faultScenario.js';
import { startLedgerServer } from './helpers/ledgerServer.js';

const cleanup = cleanupAfterEach();

// RFC 9113 §6.5.2: SETTINGS_MAX_CONCURRENT_STREAMS = 0 is legal and means
// "open no new streams for now" (a server shedding load). Requests must wait
// in the client's own queue, where a deadline settles them locally with
// nothing sent, and flow again once the limit rises.
test('maxConcurrentStreams 0 for 1.5 s mid-load: nothing is sent while it holds, requests flow again after', async () => {
  const serviceMs = 100;
  const timeoutMs = 1000;
  const server = await startLedgerServer({ serviceMs });
  cleanup(() => server.close());
  const client = createClient(server.url, { timeoutMs });
  cleanup(() => client.close());
  const at: Record<string, number> = {};
  const start = performance.now();
  let seenAtZero = 0;

  const result = await runFaultScenario({
    scenario: 'max-concurrent-streams-zero',
    client,
    ledger: server,
    plan: {
      rateTps: 200,
      durationMs: 4000,
      faults: [
        {
          atMs: 1000,
          run: () =>
            server.setMaxConcurrentStreams(0).then(() => {
              at.zero = performance.now() - start;
              seenAtZero = server.attempts.length;
            }),
        },
        {
          atMs: 2500,
          run: () => {
            // Counted before the raise goes out: what arrived while the limit was 0.
            at.arrivedWhileZero = server.attempts.length - seenAtZero;
            return server.setMaxConcurrentStreams(100).then(() => {
              at.raised = performance.now() - start;
            });
          },
        },
      ],
    },
  });
  const { run, counts } = result;

  expectInvariantsHeld(result);
  expect(at.zero).toBeDefined();
  expect(at.raised).toBeDefined();
  // Nothing reached the server while the limit was 0, and nothing was refused for it.
  expect(at.arrivedWhileZero).toBe(0);
  const lateRetries = [...run.records.values()].filter(
    (r) => (r.sample?.retries ?? 0) > 0 && r.submittedAtMs > at.zero! + 100,
  );
  expect(lateRetries).toEqual([]);
  // Requests that settled while it held settled unsent: shed up front, or
  // timed out in the queue with no RST_STREAM.
  const held = [...run.records.values()].filter(
    (r) => r.submittedAtMs > at.zero! + 100 && r.settledAtMs! < 2500,
  );
  expect(held.length).toBeGreaterThan(0);
  for (const r of held) {
    expect(['H2FLOW_OVERLOAD', 'H2FLOW_DEADLINE']).toContain(r.error?.code);
    expect(r.error?.breakdown.phase).toBe('queued');
    expect(r.sample?.cancelledOnWire).toBe(false);
  }
  // When the limit rises, requests whose remaining budget is below the known
  // service time are shed, not sent to die on the wire as RST_STREAM(CANCEL).
  // When the limit rises, a request whose remaining budget is below the known
  // service time (100 ms here) is shed, not sent to die on the wire as
  // RST_STREAM(CANCEL). (A window with no completions once made the client
  // forget the service time; see the fix in AdaptiveClient.)
  for (const r of run.records.values()) {
    const dispatchedAtMs = r.sample?.dispatchedAtMs;
    if (dispatchedAtMs === undefined) continue;
    const remainingMs = timeoutMs - (dispatchedAtMs - r.sample!.submittedAtMs);
    expect({ id: r.id, remainingMs: Math.max(remainingMs, serviceMs) }).toEqual({
      id: r.id,
      remainingMs,
    });
  }
  expect(counts.failed).toBe(0);
  const after = [...run.records.values()].filter((r) => r.submittedAtMs > at.raised! + 500);
  expect(after.filter((r) => r.response?.status === 200).length).toBeGreaterThan(0);
});

test('maxConcurrentStreams 0 for good: every request settles unsent, by its deadline or shed, none on the wire', async () => {
  const server = await startLedgerServer({ serviceMs: 20, settings: { maxConcurrentStreams: 0 } });
  cleanup(() => server.close());
  const client = createClient(server.url, { timeoutMs: 500 });
  cleanup(() => client.close());
  const result = await runFaultScenario({
    scenario: 'max-concurrent-streams-zero-for-good',
    client,
    ledger: server,
    plan: { rateTps: 100, durationMs: 2000 },
  });
  const { run, counts } = result;

  expectInvariantsHeld(result);
  expect(server.attempts).toEqual([]);
  expect(counts.succeeded).toBe(0);
  expect(counts.timedOut).toBeGreaterThan(0);
  for (const r of run.records.values()) {
    expect(r.error?.breakdown.phase).toBe('queued');
    expect(r.sample?.cancelledOnWire).toBe(false);
  }
  expect(counts.failed).toBe(0);
  expect(counts.retried).toBe(0);
});
