import type { ServerHttp2Stream } from 'node:http2';
import { afterEach, expect, test } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { filter, take, toArray } from 'rxjs/operators';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
import type { DispatchOutcome, TransportEvent } from '../../src/transport/Transport.js';
import { makeRequest } from './helpers/driveRequests.js';
import { type RawServer, respond, startRawServer } from './helpers/rawServer.js';
import { recordingListener } from './helpers/recordingListener.js';
import { waitUntil } from './helpers/waitUntil.js';

let server: RawServer | undefined;
let transport: H2Transport | undefined;

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

/** A server that holds every stream until `release()`. */
async function holdingServer(): Promise<{ held: ServerHttp2Stream[]; release(): void }> {
  const held: ServerHttp2Stream[] = [];
  server = await startRawServer({
    settings: { maxConcurrentStreams: 10 },
    onStream: (stream) => held.push(stream),
  });
  return {
    held,
    release() {
      for (const s of held.splice(0)) respond(s, 200, 'ok');
    },
  };
}

function sessionsReady(t: H2Transport, n: number): Promise<TransportEvent[]> {
  return firstValueFrom(
    t.events$.pipe(
      filter((e) => e.kind === 'session-ready'),
      take(n),
      toArray(),
    ),
  );
}

test('resize opens sessions up to the target, clamped to maxConnections', async () => {
  await holdingServer();
  transport = createH2Transport(server!.url, { initialConnections: 0, maxConnections: 2 });
  const ready = sessionsReady(transport, 2);
  transport.resize(5);
  await ready;
  expect(transport.capacity().sessions.map((s) => s.state)).toEqual(['ready', 'ready']);
  expect(transport.capacity().slotsTotal).toBe(20);
  expect(server!.sessions).toHaveLength(2);
});

test('shrinking drains extra sessions gracefully: no new streams on them, in-flight ones complete, then they close', async () => {
  const { held, release } = await holdingServer();
  transport = createH2Transport(server!.url, { initialConnections: 0 });
  const events: TransportEvent[] = [];
  transport.events$.subscribe((e) => events.push(e));
  const ready = sessionsReady(transport, 3);
  transport.resize(3);
  await ready;
  // Six streams, spread two per session by the least-loaded policy.
  const first = [1, 2, 3, 4, 5, 6].map((id) => {
    const l = recordingListener();
    expect(transport!.dispatch(makeRequest(id), l)).toBeDefined();
    return l;
  });
  expect(transport.capacity().sessions.map((s) => s.streamsInFlight)).toEqual([2, 2, 2]);
  await waitUntil(() => held.length === 6);

  transport.resize(1);
  const states = transport.capacity().sessions.map((s) => s.state);
  expect(states.filter((s) => s === 'draining')).toHaveLength(2);
  expect(states.filter((s) => s === 'ready')).toHaveLength(1);
  expect(transport.freeSlots()).toBe(8);
  // New streams go only to the session that stays.
  const stays = transport.capacity().sessions.find((s) => s.state === 'ready')!.id;
  const later = recordingListener();
  transport.dispatch(makeRequest(7), later);
  expect(transport.capacity().sessions.find((s) => s.id === stays)!.streamsInFlight).toBe(3);
  await waitUntil(() => held.length === 7);

  release();
  const outcomes: DispatchOutcome[] = await Promise.all([...first, later].map((l) => l.done));
  expect(outcomes.map((o) => o.kind)).toEqual(Array(7).fill('response'));
  await waitUntil(() => transport!.capacity().sessions.length === 1);
  expect(events.filter((e) => e.kind === 'session-closed')).toHaveLength(2);
  expect(events.some((e) => e.kind === 'connection-error')).toBe(false);
  // Draining replaced nothing: the target is one session.
  expect(server!.sessions).toHaveLength(3);
});

test('close() stops dispatch, lets in-flight streams finish, then closes every session', async () => {
  const { held, release } = await holdingServer();
  transport = createH2Transport(server!.url, { initialConnections: 0 });
  const ready = sessionsReady(transport, 2);
  transport.resize(2);
  await ready;
  const listener = recordingListener();
  transport.dispatch(makeRequest(1), listener);
  await waitUntil(() => held.length === 1);

  let closed = false;
  let completed = false;
  transport.capacity$.subscribe({ complete: () => (completed = true) });
  const closing = transport.close().then(() => (closed = true));
  expect(transport.dispatch(makeRequest(2), recordingListener())).toBeUndefined();
  expect(transport.freeSlots()).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(closed).toBe(false);

  release();
  expect(await listener.done).toMatchObject({ kind: 'response', status: 200 });
  await closing;
  expect(completed).toBe(true);
  expect(transport.capacity().sessions).toEqual([]);
  await waitUntil(() => server!.sessions.every((s) => s.closed || s.destroyed));
  // close() is idempotent.
  await transport.close();
});
