import { constants, type ServerHttp2Stream } from 'node:http2';
import { afterEach, expect, test } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
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

const { NGHTTP2_CANCEL } = constants;

async function readyTransport(url: string): Promise<H2Transport> {
  const t = createH2Transport(url, { initialConnections: 0 });
  const ready = firstValueFrom(t.events$.pipe(filter((e) => e.kind === 'session-ready')));
  t.resize(1);
  await ready;
  return t;
}

test('cancel() of an in-flight stream sends RST_STREAM(CANCEL), reports cancelled on the wire once, and frees the slot', async () => {
  const held: ServerHttp2Stream[] = [];
  server = await startRawServer({
    settings: { maxConcurrentStreams: 4 },
    onStream: (stream) => held.push(stream),
  });
  transport = await readyTransport(server.url);
  expect(transport.freeSlots()).toBe(4);
  const listener = recordingListener();
  const handle = transport.dispatch(makeRequest(1), listener)!;
  expect(handle).toBeDefined();
  expect(transport.freeSlots()).toBe(3);
  await waitUntil(() => held.length === 1);

  handle.cancel();
  handle.cancel();
  const outcome = await listener.done;
  expect(outcome).toMatchObject({ kind: 'cancelled', onWire: true });
  expect(transport.freeSlots()).toBe(4);
  await waitUntil(() => server!.resetsReceived.get(NGHTTP2_CANCEL) === 1);
  // Nothing after onDone, and onDone once, even with cancel() called twice.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(listener.calls.filter((c) => c.name === 'onDone')).toHaveLength(1);
  expect(listener.calls.at(-1)!.name).toBe('onDone');
});

test('cancel() after the response is a no-op: no second onDone, no reset on the wire', async () => {
  server = await startRawServer({ onStream: (stream) => respond(stream, 200, 'ok') });
  transport = await readyTransport(server.url);
  const listener = recordingListener();
  const handle = transport.dispatch(makeRequest(1), listener)!;
  expect(await listener.done).toMatchObject({ kind: 'response', status: 200 });
  handle.cancel();
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(listener.calls.map((c) => c.name)).toEqual(['onSent', 'onHeaders', 'onDone']);
  expect(server.resetsReceived.size).toBe(0);
});
