import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { runLoad } from '../../src/load/runLoad.js';
import { serverFixture } from '../server/serverFixture.js';
import { expectReconciled } from './expectReconciled.js';

const startServer = serverFixture();

describe('runLoad against the embedded server', () => {
  // 10 streams × 1000 / 50 ms: one connection carries at most 200 req/s (less with overhead).
  const overloaded = { maxConcurrentStreams: 10, latencyMs: 50 };

  it('naive at 3× capacity: deadlines fire in flight and the server counts the CANCELs', async () => {
    const server = await startServer(overloaded);
    const run = await runLoad({
      url: `${server.url}/charge`,
      rateTps: 600,
      durationMs: 2500,
      timeoutMs: 800,
      policy: 'naive',
    });
    expectReconciled(run, 1500);
    const r = run.result;
    expect(r.policy).toBe('naive');
    expect(r.offeredTps).toBeCloseTo(600, 6);
    expect(r.timedOut).toBeGreaterThan(0);
    expect(r.cancelledOnWire).toBeGreaterThan(0);
    expect(r.rejected).toBe(0);
    expect(r.connectionsMax).toBe(1);
    // The queue wait reaches the budget: the FIFO serves requests that are already nearly dead.
    expect(r.queueWaitP99Ms).toBeGreaterThan(0.9 * 800);
    const witness = run.serverStats!;
    expect(witness).not.toBeNull();
    const cancels = witness.rstReceived.CANCEL ?? 0;
    expect(cancels).toBeGreaterThan(0);
    // A cancel that crosses the response on the wire is the client's, not the server's.
    expect(cancels).toBeLessThanOrEqual(r.cancelledOnWire);
    expect(witness.streamsCompleted).toBeGreaterThanOrEqual(r.succeeded);
    expect(witness.maxConcurrentSeen).toBeLessThanOrEqual(10);
  });

  it('adaptive at 3× capacity: sheds the excess unsent, and the server sees no reset at all', async () => {
    const server = await startServer(overloaded);
    const run = await runLoad({
      url: server.url,
      rateTps: 600,
      durationMs: 2500,
      timeoutMs: 800,
      policy: 'adaptive',
      maxConnections: 1,
    });
    expectReconciled(run, 1500);
    const r = run.result;
    expect(r.policy).toBe('adaptive (max 1)');
    expect(r.cancelledOnWire).toBe(0);
    expect(r.timedOut).toBe(0);
    expect(r.rejected).toBeGreaterThan(0);
    // At most 200 req/s fit; a third of the offer or more must be shed, and most of what fits carried.
    expect(r.rejected).toBeGreaterThan(1500 / 3);
    expect(r.succeeded).toBeGreaterThan(0.5 * 200 * 2.5);
    const witness = run.serverStats!;
    expect(witness.rstReceived).toEqual({});
    expect(witness.streamsStarted).toBe(r.succeeded);
    expect(witness.streamsCompleted).toBe(r.succeeded);
  });

  it('measures from the intended send time: a stalled event loop counts against the requests it delayed', async () => {
    const server = await startServer({ latencyMs: 1 });
    const stallMs = 300;
    // Busy-wait half a second in: nothing, not even the arrival timer, runs meanwhile.
    const stall = setTimeout(() => {
      const until = performance.now() + stallMs;
      while (performance.now() < until);
    }, 500);
    const run = await runLoad({
      url: server.url,
      rateTps: 500,
      durationMs: 1500,
      timeoutMs: 2000,
      policy: 'naive',
    });
    clearTimeout(stall);
    // Open loop: the stall does not lower the count; the late requests go out in one burst.
    expectReconciled(run, 750);
    expect(run.result.succeeded).toBe(750);
    expect(run.generator.sendLagMaxMs).toBeGreaterThan(0.8 * stallMs);
    // ~150 of 750 requests (20%) were due during the stall, so the p99 includes their lateness;
    // measured from the client's own submit stamp, their queue wait would be near 0.
    expect(run.result.queueWaitP99Ms).toBeGreaterThan(0.5 * stallMs);
  });

  it('stops at maxRequests, and early when aborted, still settling what it sent', async () => {
    const server = await startServer({ latencyMs: 5 });
    const counted = await runLoad({
      url: server.url,
      rateTps: 1000,
      durationMs: 10_000,
      maxRequests: 50,
    });
    expectReconciled(counted, 50);
    expect(counted.result.durationS).toBeLessThan(1);
    expect(counted.serverStats!.streamsStarted).toBe(counted.result.succeeded);

    const abort = new AbortController();
    const startedMs = performance.now();
    setTimeout(() => abort.abort(), 300);
    const aborted = await runLoad(
      { url: server.url, rateTps: 200, durationMs: 10_000, policy: 'naive' },
      { signal: abort.signal },
    );
    expect(performance.now() - startedMs).toBeLessThan(5000);
    const sent = aborted.result.submitted;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(200 * 3);
    expectReconciled(aborted, sent);
    expect(aborted.result.durationS).toBeLessThan(3);
  });

  it('reports progress while offering, then once more after draining', async () => {
    const server = await startServer({ latencyMs: 5 });
    const seen: { phase: string; offered: number; elapsedMs: number }[] = [];
    const run = await runLoad(
      { url: server.url, rateTps: 400, durationMs: 1000, progressIntervalMs: 100 },
      { onProgress: (p) => seen.push(p) },
    );
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.some((p) => p.phase === 'offering')).toBe(true);
    const last = seen.at(-1)!;
    expect(last.phase).toBe('draining');
    expect(last.offered).toBe(run.result.submitted);
    const offered = seen.map((p) => p.offered);
    expect(offered).toEqual([...offered].sort((a, b) => a - b));
  });

  it('loads an https:// target trusting its CA, and reads the witness over TLS too', async () => {
    const server = await startServer({ tls: true, latencyMs: 5 });
    const run = await runLoad({
      url: server.url,
      rateTps: 200,
      durationMs: 500,
      policy: 'naive',
      ca: server.caPem,
    });
    expectReconciled(run, 100);
    expect(run.result.succeeded).toBe(100);
    expect(run.serverStats).toMatchObject({ streamsStarted: 100, streamsCompleted: 100 });
    // Without the CA nothing verifies: every request fails and no witness is read.
    const untrusted = await runLoad({
      url: server.url,
      rateTps: 100,
      durationMs: 200,
      policy: 'naive',
      timeoutMs: 2000,
    });
    expectReconciled(untrusted, 20);
    expect(untrusted.result.succeeded).toBe(0);
    expect(untrusted.serverStats).toBeNull();
  });
});

describe('runLoad against a server that is not h2flow', () => {
  let other: Http2Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (other ? other.close(() => resolve()) : resolve()));
    other = undefined;
  });

  it.each([
    ['answers 200 with text on every path', 'hello'],
    ['answers 200 with JSON of another shape', '{"status":"ok"}'],
  ])('has no server witness when the target %s', async (_what, body) => {
    other = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(body);
    });
    await new Promise<void>((resolve) => other!.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as AddressInfo;
    const run = await runLoad({
      url: `http://127.0.0.1:${port}/`,
      rateTps: 200,
      durationMs: 250,
      policy: 'naive',
    });
    expect(run.serverStats).toBeNull();
    expectReconciled(run, 50);
    expect(run.result.succeeded).toBe(50);
  });
});
