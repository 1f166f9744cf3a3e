import { expect, test } from '@jest/globals';
import { createClient } from '../../src/createClient.js';
import { cleanupAfterEach } from './helpers/cleanup.js';
import { expectInvariantsHeld, runFaultScenario } from './helpers/faultScenario.js';
import { startRawTcpServer } from './helpers/rawTcpServer.js';

const cleanup = cleanupAfterEach();

// RFC 9113 §3.4: the server's connection preface is a SETTINGS frame, and the
// client must not rely on the peer's limits before it. h2flow dispatches only
// after the first SETTINGS, so against a server that never sends one nothing
// leaves: each deadline fires in the `queued` phase with no RST_STREAM. The
// session is abandoned after connectTimeoutMs and another tried; once one has
// been abandoned, a request whose deadline fires while no session is up fails
// as H2FLOW_TRANSPORT (`connect`), naming the missing SETTINGS.
test('a server that never sends SETTINGS: nothing is sent, every deadline fires in the queued phase', async () => {
  const timeoutMs = 500;
  const server = await startRawTcpServer('silent');
  cleanup(() => server.close());
  const client = createClient(server.url, { timeoutMs, connectTimeoutMs: 700 });
  cleanup(() => client.close());
  const result = await runFaultScenario({
    scenario: 'no-settings',
    client,
    closeWith: () => server.close(),
    extra: () => ({ connections: server.connections }),
    plan: { rateTps: 50, durationMs: 2500 },
  });
  const { run, counts } = result;

  expectInvariantsHeld(result);
  expect(counts.succeeded).toBe(0);
  expect(counts.timedOut).toBeGreaterThan(0);
  expect(counts.cancelledOnWire).toBe(0);
  expect(counts.retried).toBe(0);
  expect(Object.keys(counts.failures).sort()).toEqual(
    counts.failed > 0
      ? ['H2FLOW_DEADLINE/queued', 'H2FLOW_TRANSPORT/connect']
      : ['H2FLOW_DEADLINE/queued'],
  );
  for (const r of run.records.values()) {
    expect(r.error!.breakdown.phase).toBe('queued');
    if (r.error!.code === 'H2FLOW_DEADLINE') {
      expect(r.error!.message).toMatch(/^deadline 500 ms exceeded: queued \d+ ms$/);
    }
    if (r.error!.code === 'H2FLOW_TRANSPORT') expect(r.error!.message).toContain('SETTINGS');
  }
  // The server saw the client's preface and SETTINGS, and not one HEADERS frame.
  expect(server.framesRead.get(0x4) ?? 0).toBeGreaterThan(0);
  expect(server.framesRead.get(0x1) ?? 0).toBe(0);
  // The stuck session was given up after connectTimeoutMs and another tried.
  expect(server.connections).toBeGreaterThanOrEqual(2);
});
