/**
 * The fetch-overhead bench's floor, bench/lib/bareDispatcher.ts, must carry
 * fetch correctly, or the floor it measures is not a dispatcher's: a POST
 * and its body reach the server and the answer reaches fetch whole, many at
 * once on one session, and an abort reaches fetch as its error and the
 * server as RST_STREAM.
 */
import { expect, test } from '@jest/globals';
import { bareDispatcher } from '../../bench/lib/bareDispatcher.js';
import { waitUntil } from '../h2/helpers/waitUntil.js';
import { serverFixture } from '../server/serverFixture.js';

const startServer = serverFixture();

test('POSTs through the bare dispatcher reach the server and come back whole', async () => {
  const server = await startServer({ tls: true, latencyMs: 5 });
  const bare = await bareDispatcher(server.url, 1, server.caPem!);
  // @types/node types `dispatcher` as undici's full class; fetch needs only `dispatch`.
  const dispatcher = bare as unknown;
  try {
    const sent = JSON.stringify({ n: 1, pad: 'x'.repeat(64) });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${server.url}/echo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: sent,
          dispatcher,
        } as unknown as RequestInit),
      ),
    );
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    expect(bodies.every((b) => b.length > 0)).toBe(true);
    expect(server.stats().streamsCompleted).toBe(50);
    expect(server.stats().maxConcurrentSeen).toBeGreaterThan(1);
  } finally {
    await bare.close();
  }
});

test("the caller's abort reaches fetch as its AbortError and the server as RST_STREAM", async () => {
  const server = await startServer({ tls: true, latencyMs: 2000 });
  const bare = await bareDispatcher(server.url, 1, server.caPem!);
  const dispatcher = bare as unknown;
  try {
    const pending = fetch(`${server.url}/slow`, {
      dispatcher,
      signal: AbortSignal.timeout(50),
    } as unknown as RequestInit);
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    // The stream was cancelled on the wire, not left to run out.
    await waitUntil(() => Object.values(server.stats().rstReceived).some((n) => n > 0));
  } finally {
    await bare.close();
  }
});
