import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, expect, test } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { filter, take, toArray } from 'rxjs/operators';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
import type { TransportEvent } from '../../src/transport/Transport.js';

let transport: H2Transport | undefined;
let silent: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  await transport?.close();
  for (const s of sockets.splice(0)) s.destroy();
  if (silent) await new Promise((resolve) => silent!.close(resolve));
  transport = undefined;
  silent = undefined;
});

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

function connectionErrors(t: H2Transport, n: number): Promise<TransportEvent[]> {
  return firstValueFrom(
    t.events$.pipe(
      filter((e) => e.kind === 'connection-error'),
      take(n),
      toArray(),
    ),
  );
}

test('a refused connection is reported, never thrown, and retried with growing backoff', async () => {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  const baseMs = 20;
  transport = createH2Transport(`http://127.0.0.1:${port}`, {
    initialConnections: 0,
    reconnectBaseMs: baseMs,
    reconnectMaxMs: 1000,
  });
  const errors = connectionErrors(transport, 4);
  transport.resize(1);
  const events = await errors;

  expect(events.every((e) => e.kind === 'connection-error' && e.causeCode === 'ECONNREFUSED')).toBe(
    true,
  );
  // A new session per attempt.
  expect(events.map((e) => e.sessionId)).toEqual([1, 2, 3, 4]);
  // Attempt n waits at least half of base * 2^(n-1) (equal jitter), so gaps grow.
  for (let n = 1; n < events.length; n++) {
    const gapMs = events[n]!.atMs - events[n - 1]!.atMs;
    expect(gapMs).toBeGreaterThanOrEqual((baseMs * 2 ** (n - 1)) / 2 - 1);
  }
  expect(transport.freeSlots()).toBe(0);
});

test('a server that accepts TCP but never sends SETTINGS times out as a connection error', async () => {
  silent = createServer((socket) => sockets.push(socket));
  const port = await listen(silent);
  transport = createH2Transport(`http://127.0.0.1:${port}`, {
    initialConnections: 0,
    connectTimeoutMs: 100,
    reconnectBaseMs: 1000,
  });
  const errors = connectionErrors(transport, 1);
  transport.resize(1);
  const [event] = await errors;
  expect(event).toMatchObject({ kind: 'connection-error', sessionId: 1, causeCode: 'ETIMEDOUT' });
  expect(event!.kind === 'connection-error' && event!.detail).toContain('100 ms');
});
