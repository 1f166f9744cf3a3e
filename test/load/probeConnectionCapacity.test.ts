import { once } from 'node:events';
import { createServer, type Http2ServerRequest } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { probeConnectionCapacity } from '../../src/load/probeConnectionCapacity.js';
import { serverFixture } from '../server/serverFixture.js';

const startServer = serverFixture();

describe('probeConnectionCapacity', () => {
  it('fills every stream slot of one connection and finds about slots ÷ service time', async () => {
    // Little's law: 10 slots ÷ 50 ms = 200 req/s at most; event-loop time per request lowers it a little.
    const server = await startServer({ maxConcurrentStreams: 10, latencyMs: 50 });
    const probe = await probeConnectionCapacity(server.url, { durationMs: 2000, warmupMs: 300 });
    expect(probe.maxConcurrentStreams).toBe(10);
    expect(probe.meanServiceMs).toBeGreaterThanOrEqual(50);
    expect(probe.completedTps).toBeLessThanOrEqual(200 * 1.05);
    expect(probe.completedTps).toBeGreaterThan(200 * 0.6);
    // Consistent with Little's law within the noise of a two-second count: completions come in
    // waves of 10 one service time apart, so the count is off by up to a wave (~3%), and the mean
    // service time is taken over other requests than those counted (CI on 7 Dec read 1.114 with
    // a one-second count on a busy box).
    const little = (probe.maxConcurrentStreams * 1000) / probe.meanServiceMs;
    expect(probe.completedTps / little).toBeGreaterThan(0.85);
    expect(probe.completedTps / little).toBeLessThan(1.15);
    const stats = server.stats();
    expect(stats.sessionsAccepted).toBe(1);
    expect(stats.maxConcurrentSeen).toBe(10);
    expect(stats.rstReceived).toEqual({});
  });

  it('sends the request it is given, so that it loads the server as the run it judges does', async () => {
    const seen = new Set<string>();
    const server = createServer((req: Http2ServerRequest, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.byteLength;
      });
      req.on('end', () => {
        seen.add(`${req.method} ${req.url} ${req.headers['content-type']} ${bytes}`);
        res.end('ok');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const body = Buffer.alloc(75, 0x61);
      // What the server saw is the point, not the rate: a busy box may complete nothing inside a
      // short counted window (a fresh-clone make test on 7 Dec read 0 req/s over 300 ms), yet every request reached it.
      await probeConnectionCapacity(`http://127.0.0.1:${port}/charge?x=1`, {
        durationMs: 500,
        warmupMs: 100,
        request: { method: 'POST', headers: { 'content-type': 'application/json' }, body },
      });
      expect([...seen]).toEqual(['POST /charge?x=1 application/json 75']);
    } finally {
      server.close();
    }
  });
});
