import { expect, test } from '@jest/globals';
import { createClient } from '../../src/createClient.js';
import { isDeadlineError } from '../../src/errors/DeadlineError.js';
import { cleanupAfterEach } from './helpers/cleanup.js';
import { sleep } from './helpers/driveLoad.js';
import { expectInvariantsHeld, runFaultScenario } from './helpers/faultScenario.js';
import { startRawTcpServer } from './helpers/rawTcpServer.js';

const cleanup = cleanupAfterEach();
const MiB = 1024 * 1024;

// Flow control (RFC 9113 §6.9) lets the client send, but the server no longer
// reads its socket: the kernel buffers fill and the client's writes block.
// Every deadline must still fire on time and name the phase it was in:
// `sending` for a body that never finished leaving, `awaiting` only for the
// first few bodies, which the kernel's socket buffers took whole.
test('a server that stops reading: writes block, every deadline fires on time and names the sending phase', async () => {
  const timeoutMs = 800;
  const server = await startRawTcpServer('stops-reading');
  cleanup(() => server.close());
  const client = createClient(server.url, { timeoutMs });
  cleanup(() => client.close());
  const body = Buffer.alloc(MiB, 0x61);

  const result = await runFaultScenario({
    scenario: 'server-stops-reading',
    client,
    // The client's close() cannot finish while the socket is stuck (see the test below); free it.
    closeWith: () => server.close(),
    plan: {
      rateTps: 20,
      durationMs: 2000,
      request: (id) => ({ method: 'POST', path: `/f/${id}`, body }),
      settleTimeoutMs: 5000,
    },
  });
  const { run, counts } = result;

  expectInvariantsHeld(result);
  expect(counts.succeeded).toBe(0);
  expect(counts.timedOut).toBe(counts.submitted - counts.rejected);
  // The server read the preface and SETTINGS only: not one HEADERS frame.
  expect(server.framesRead.get(0x1) ?? 0).toBe(0);
  const phases: Record<string, number> = {};
  for (const r of run.records.values()) {
    if (r.error?.code === 'H2FLOW_OVERLOAD') continue;
    expect(isDeadlineError(r.error)).toBe(true);
    const { elapsedMs, phase } = r.error!.breakdown;
    phases[phase] = (phases[phase] ?? 0) + 1;
    // On time: at the budget (node timers may fire a ms early against the
    // monotonic clock), within a scheduling margin on 2 shared cores.
    expect(elapsedMs).toBeGreaterThanOrEqual(timeoutMs - 5);
    expect(elapsedMs).toBeLessThan(timeoutMs + 250);
    if (phase === 'sending') expect(r.error!.message).toContain('sending');
  }
  expect(Object.keys(phases).filter((p) => p !== 'sending' && p !== 'awaiting')).toEqual([]);
  expect(phases.sending ?? 0).toBeGreaterThan(phases.awaiting ?? 0);
});

// close() drains each session with node's graceful session.close(), which
// waits for every stream to close; a stream reset while the socket is blocked
// never closes, because its RST_STREAM cannot be written. The transport now
// destroys a session still open 2 s into close() (H2Session closeGraceMs);
// before that, close() hung as long as the server kept the connection open.
test('a server that stops reading: close() still resolves within 5 s', async () => {
  const server = await startRawTcpServer('stops-reading');
  cleanup(() => server.close());
  const client = createClient(server.url, { timeoutMs: 300 });
  cleanup(() => client.close());
  const body = Buffer.alloc(4 * MiB, 0x61);
  await Promise.allSettled(
    Array.from({ length: 4 }, (_, i) => client.request({ method: 'POST', path: `/c/${i}`, body })),
  );
  const outcome = await Promise.race([
    client.close().then(() => 'closed'),
    sleep(5000).then(() => 'close() still pending after 5 s'),
  ]);
  expect(outcome).toBe('closed');
});
