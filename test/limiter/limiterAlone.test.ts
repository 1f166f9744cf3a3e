import { connect } from 'node:http2';
import { expect, test } from '@jest/globals';
import { isOverloadError } from '../../src/limiter/index.js';
import { probeConnectionCapacity } from '../../src/load/probeConnectionCapacity.js';
import { serverFixture } from '../server/serverFixture.js';
import { limitedSession } from './example/limitedRequest.js';

const startServer = serverFixture();

/** How long the load is offered, ms; the first second (the queue filling) is left out of the goodput. */
const loadMs = 4000;
const steadyFromMs = 1000;

/**
 * Issue 15's "the limiter alone": h2flow's limiter around a hand-written
 * node:http2 loop (docs/embedding.md's example, test/limiter/example), no
 * h2flow transport, against the embedded server offered 3 × what its one
 * connection carries. 20 streams of 50 ms make a 400 req/s connection,
 * small enough that the box's CPU is not what limits it. It must carry
 * ≥ 0.95 × what a saturated connection carries (the closed-loop probe, the
 * mean of one just before and one just after), shed the excess before sending, and cancel nothing on the wire.
 */
test('the limiter around a plain node:http2 session carries the connection at 3x its capacity with no wire cancel', async () => {
  const server = await startServer({ maxConcurrentStreams: 20, latencyMs: 50 });
  const probeOnce = () => probeConnectionCapacity(server.url, { durationMs: 2000, warmupMs: 500 });
  const probeBefore = await probeOnce();
  const before = server.stats();
  const session = connect(server.url);
  try {
    const { limiter, get } = limitedSession(session);
    const offeredTps = 3 * probeBefore.completedTps;
    const startMs = performance.now();
    let steady = 0;
    let shed = 0;
    const all: Promise<void>[] = [];
    await new Promise<void>((resolve) => {
      let sent = 0;
      const total = Math.round((offeredTps * loadMs) / 1000);
      const timer = setInterval(() => {
        // Open loop: catch up to the schedule every tick.
        const due = Math.min(
          total,
          Math.round(((performance.now() - startMs) * offeredTps) / 1000),
        );
        for (; sent < due; sent++) {
          all.push(
            get('/').then(
              (status) => {
                expect(status).toBe(200);
                const atMs = performance.now() - startMs;
                if (atMs >= steadyFromMs && atMs < loadMs) steady++;
              },
              (error: unknown) => {
                if (isOverloadError(error)) shed++;
                else throw error;
              },
            ),
          );
        }
        if (sent >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    await Promise.all(all);
    await limiter.close();
    const after = server.stats();
    // The mean of a probe just before and one just after: a shared box's speed drifts between
    // them by more than the bound's 5% (CI on 7 Dec: 0.921 × a probe taken before, alone).
    const probeAfter = await probeOnce();
    const probe = { completedTps: (probeBefore.completedTps + probeAfter.completedTps) / 2 };
    const stats = limiter.stats();
    const carriedTps = (steady * 1000) / (loadMs - steadyFromMs);
    expect({
      cancelledOnWire: stats.cancelledOnWire,
      timedOut: stats.timedOut,
      failed: stats.failed,
      cancelsAtServer: (after.rstReceived.CANCEL ?? 0) - (before.rstReceived.CANCEL ?? 0),
    }).toEqual({ cancelledOnWire: 0, timedOut: 0, failed: 0, cancelsAtServer: 0 });
    expect(shed).toBe(stats.rejected);
    expect(shed).toBeGreaterThan(0);
    expect(stats.submitted).toBe(stats.succeeded + stats.rejected);
    console.log(
      `limiter alone: carried ${carriedTps.toFixed(0)} req/s = ${(carriedTps / probe.completedTps).toFixed(3)} × the probe's ${probe.completedTps.toFixed(0)}; offered ${offeredTps.toFixed(0)}/s, shed ${shed} of ${stats.submitted}, ${stats.cancelledOnWire} wire cancels`,
    );
    expect(carriedTps).toBeGreaterThanOrEqual(0.95 * probe.completedTps);
  } finally {
    session.close();
  }
}, 30_000);
