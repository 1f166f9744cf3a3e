import { afterEach, expect, test } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import type { CapacitySnapshot } from '../../src/core/capacity.js';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
import { driveRequests, makeRequest, makeRequests } from './helpers/driveRequests.js';
import { type RawServer, respondAfter, startRawServer } from './helpers/rawServer.js';

let server: RawServer | undefined;
let transport: H2Transport | undefined;

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

test('MAX_CONCURRENT_STREAMS = 0: nothing is dispatched until the server raises it', async () => {
  server = await startRawServer({
    settings: { maxConcurrentStreams: 0 },
    onStream: (stream) => respondAfter(stream, 5, 200, 'ok'),
  });
  transport = createH2Transport(server.url, { initialConnections: 0 });
  const snapshots: CapacitySnapshot[] = [];
  const sub = transport.capacity$.subscribe((c) => snapshots.push(c));
  const ready = firstValueFrom(transport.events$.pipe(filter((e) => e.kind === 'session-ready')));
  transport.resize(1);
  await ready;

  // Ready, but with zero slots: the session is usable and carries nothing.
  const atReady = snapshots.at(-1)!;
  expect(atReady.readySessions).toBe(1);
  expect(atReady.slotsTotal).toBe(0);
  expect(atReady.slotsAvailable).toBe(0);
  expect(transport.freeSlots()).toBe(0);
  expect(transport.dispatch(makeRequest(999), { onSent() {}, onHeaders() {}, onDone() {} })).toBe(
    undefined,
  );

  const run = driveRequests(transport, makeRequests(30));
  await new Promise((resolve) => setTimeout(resolve, 100));
  // Nothing reached the server while the limit was 0.
  expect(server.streamsSeen).toBe(0);
  server.sessions[0]!.settings({ maxConcurrentStreams: 3 });
  const report = await run;
  sub.unsubscribe();

  expect(report.refusedDispatches).toBeGreaterThan(0);
  expect(report.settled.every((s) => s.final.kind === 'response' && s.attempts.length === 1)).toBe(
    true,
  );
  expect(server.streamsSeen).toBe(30);
  expect(server.maxInFlightPerSession).toBeLessThanOrEqual(3);
  // The raise reached capacity$ as free slots, which is what resumed the driver.
  expect(snapshots.some((c) => c.slotsTotal === 3 && c.slotsAvailable > 0)).toBe(true);
});
