/**
 * The client-overhead bench's `transport` row, bench/lib/transportClosedLoop.ts,
 * must be the closed loop it claims: exactly `sessions × streamsPerSession`
 * POSTs in flight, each answered one replaced at once, nothing lost, and a
 * stop that lets the last ones finish before the sessions close.
 */
import { expect, test } from '@jest/globals';
import { startTransportClosedLoop } from '../../bench/lib/transportClosedLoop.js';
import { waitUntil } from '../h2/helpers/waitUntil.js';
import { serverFixture } from '../server/serverFixture.js';

const startServer = serverFixture();

test('keeps every slot busy on h2flow transport alone, and stops without losing a request', async () => {
  const server = await startServer({ latencyMs: 5 });
  const loop = await startTransportClosedLoop(server.url, 2, 10, Buffer.from('{"n":1}'));
  let stopped = false;
  try {
    await waitUntil(() => loop.completed >= 400, 10_000);
    expect(server.stats().maxConcurrentSeen).toBe(10);
    await loop.stop();
    stopped = true;
    expect(loop.failed).toBe(0);
    // Every stream the server finished was counted once, and none was left in flight.
    expect(server.stats().streamsCompleted).toBe(loop.completed);
    expect(server.stats().sessionsAccepted).toBe(2);
  } finally {
    if (!stopped) await loop.stop();
  }
});
