import { describe, expect, it } from '@jest/globals';
import { probeConnectionCapacity } from '../../src/load/probeConnectionCapacity.js';
import { runLoad } from '../../src/load/runLoad.js';
import { expectReconciled } from '../load/expectReconciled.js';
import { serverFixture } from '../server/serverFixture.js';

const startServer = serverFixture();

/**
 * Issue 4, "Overload": 3× more than the server can carry for at least 10 s, over real loopback
 * sockets, the adaptive client, then the fixed one. 20 streams ÷ 100 ms = 200 req/s on the one
 * connection allowed; the server's own counters witness every reset. The runs are sequential and
 * the capacity is probed right before the adaptive run: client and server share this process,
 * so a second client running alongside would take capacity the probe did not see.
 */
describe('overload at 3× capacity for 10 s', () => {
  const shape = { maxConcurrentStreams: 20, latencyMs: 100 };
  const offeredTps = 600;
  const durationMs = 10_000;

  it('adaptive sheds the excess as H2FLOW_OVERLOAD, never cancels on the wire, and carries ≥ 0.9 × capacity; fixed times out', async () => {
    const [adaptiveServer, fixedServer] = await Promise.all([
      startServer(shape),
      startServer(shape),
    ]);
    // What one connection carries from this host, saturated (the model says 400 req/s).
    const probe = await probeConnectionCapacity(adaptiveServer.url, { durationMs: 1500 });
    const capacityTps = Math.min(400, probe.completedTps);
    const before = adaptiveServer.stats();
    const [adaptive, fixed] = await Promise.all([
      runLoad({
        url: adaptiveServer.url,
        rateTps: offeredTps,
        durationMs,
        timeoutMs: 5000,
        policy: 'adaptive',
        maxConnections: 1,
      }),
      runLoad({
        url: fixedServer.url,
        rateTps: offeredTps,
        durationMs,
        timeoutMs: 5000,
        policy: 'naive',
        connections: 1,
      }),
    ]);
    expectReconciled(adaptive, offeredTps * (durationMs / 1000));
    expectReconciled(fixed, offeredTps * (durationMs / 1000));

    const a = adaptive.result;
    expect(a.timedOut).toBe(0);
    expect(a.cancelledOnWire).toBe(0);
    expect(a.rejected).toBeGreaterThan(0.5 * a.submitted);
    expect(a.goodputTps).toBeGreaterThanOrEqual(0.9 * capacityTps);
    const after = adaptiveServer.stats();
    expect(after.rstReceived.CANCEL ?? 0).toBe(before.rstReceived.CANCEL ?? 0);

    const f = fixed.result;
    expect(f.timedOut).toBeGreaterThan(0.2 * f.submitted);
    expect(f.rejected).toBe(0);
    expect(fixed.serverStats?.rstReceived.CANCEL ?? 0).toBeGreaterThan(0);
  }, 90_000);
});
