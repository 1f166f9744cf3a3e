/**
 * The transport's streaming mode (what `h2flow/undici` drives): a listener
 * with `onData` takes the response as DATA arrives, and pausing it stops the
 * server's sending at the flow-control windows; a `bodySource` is written as
 * it yields; a source that throws resets the stream with CANCEL.
 */
import { constants } from 'node:http2';
import { afterEach, expect, test } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
import type { DispatchListener, DispatchOutcome } from '../../src/transport/Transport.js';
import { makeRequest } from './helpers/driveRequests.js';
import { type RawServer, respond, startRawServer } from './helpers/rawServer.js';
import { waitUntil } from './helpers/waitUntil.js';

let server: RawServer | undefined;
let transport: H2Transport | undefined;

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

async function readyTransport(url: string): Promise<H2Transport> {
  const t = createH2Transport(url, { initialConnections: 0 });
  const ready = firstValueFrom(t.events$.pipe(filter((e) => e.kind === 'session-ready')));
  t.resize(1);
  await ready;
  return t;
}

/** A streaming listener that keeps the chunks and can refuse them (pause) while `paused()` says so. */
function streamingListener(paused: () => boolean = () => false) {
  const chunks: Buffer[] = [];
  const headers: unknown[] = [];
  let resolve!: (o: DispatchOutcome) => void;
  const done = new Promise<DispatchOutcome>((r) => {
    resolve = r;
  });
  const listener: DispatchListener = {
    onSent() {},
    onHeaders(_atMs, status, h) {
      headers.push({ status, h });
    },
    onData(chunk) {
      chunks.push(Buffer.from(chunk));
      return !paused();
    },
    onDone: resolve,
  };
  return { listener, chunks, headers, done, bytes: () => chunks.reduce((n, c) => n + c.length, 0) };
}

const sixteenMiB = 16 * 1024 * 1024;

test('a streaming listener gets the body as DATA arrives, beyond maxResponseBytes, with trailers, and an empty body at the end', async () => {
  const body = Buffer.alloc(3 * 1024 * 1024);
  for (let i = 0; i < body.length; i++) body[i] = i % 251;
  server = await startRawServer({
    onStream: (stream) => {
      stream.respond({ ':status': 200, 'x-kind': 'big' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'x-digest': 'done' }));
      stream.end(body);
    },
  });
  transport = await readyTransport(server.url);
  const l = streamingListener();
  transport.dispatch(makeRequest(1, { maxResponseBytes: 1024 }), l.listener);
  const outcome = await l.done;
  expect(outcome).toMatchObject({
    kind: 'response',
    status: 200,
    trailers: { 'x-digest': 'done' },
  });
  expect(outcome.kind === 'response' && outcome.body.byteLength).toBe(0);
  expect(l.headers).toEqual([{ status: 200, h: expect.objectContaining({ 'x-kind': 'big' }) }]);
  expect(l.chunks.length).toBeGreaterThan(1);
  expect(Buffer.concat(l.chunks).equals(body)).toBe(true);
});

test('onData returning false pauses the stream: the server stalls at the windows until resume()', async () => {
  let serverWrote = 0;
  server = await startRawServer({
    onStream: (stream) => {
      stream.respond({ ':status': 200 });
      const piece = Buffer.alloc(16 * 1024, 7);
      // Writes as fast as the stream takes it, counting what nghttp2 accepted.
      const pump = () => {
        while (serverWrote < sixteenMiB) {
          serverWrote += piece.length;
          if (!stream.write(piece)) return void stream.once('drain', pump);
        }
        stream.end();
      };
      pump();
    },
  });
  transport = await readyTransport(server.url);
  let pause = true;
  const l = streamingListener(() => pause);
  const handle = transport.dispatch(makeRequest(1), l.listener)!;
  await waitUntil(() => l.chunks.length > 0);
  await new Promise((r) => setTimeout(r, 300));
  // Paused: what arrived is bounded by the windows and the stream's buffer, nowhere near the body.
  const heldBytes = l.bytes();
  expect(heldBytes).toBeLessThan(1024 * 1024);
  expect(serverWrote).toBeLessThan(sixteenMiB);
  pause = false;
  handle.resume!();
  const outcome = await l.done;
  expect(outcome.kind).toBe('response');
  expect(l.bytes()).toBe(sixteenMiB);
});

test('a bodySource is written as it yields, and the server reads it whole', async () => {
  server = await startRawServer({
    onStream: (stream) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () => respond(stream, 200, `got ${Buffer.concat(parts).toString()}`));
    },
  });
  transport = await readyTransport(server.url);
  async function* source() {
    for (const part of ['one,', 'two,', 'three']) {
      await new Promise((r) => setTimeout(r, 10));
      yield Buffer.from(part);
    }
  }
  const l = streamingListener();
  transport.dispatch({ ...makeRequest(1, { method: 'POST' }), bodySource: source() }, l.listener);
  expect(await l.done).toMatchObject({ kind: 'response', status: 200 });
  expect(Buffer.concat(l.chunks).toString()).toBe('got one,two,three');
});

test('a bodySource that throws resets the stream with CANCEL and fails as request-body', async () => {
  server = await startRawServer({ onStream: (stream) => stream.on('data', () => {}) });
  transport = await readyTransport(server.url);
  let finalized = false;
  async function* source() {
    try {
      yield Buffer.from('partial');
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('disk went away');
    } finally {
      finalized = true;
    }
  }
  const l = streamingListener();
  transport.dispatch({ ...makeRequest(1, { method: 'POST' }), bodySource: source() }, l.listener);
  const outcome = await l.done;
  expect(outcome).toMatchObject({
    kind: 'error',
    failure: 'request-body',
    http2Code: constants.NGHTTP2_CANCEL,
  });
  expect(outcome.kind === 'error' && outcome.detail).toContain('disk went away');
  // The server learns the body was cut short: RST_STREAM(CANCEL), never END_STREAM.
  await waitUntil(() => server!.resetsReceived.get(constants.NGHTTP2_CANCEL) === 1);
  expect(finalized).toBe(true);
});

test('cancel() mid-upload stops reading the source and runs its finally', async () => {
  server = await startRawServer({ onStream: (stream) => stream.on('data', () => {}) });
  transport = await readyTransport(server.url);
  let finalized = false;
  let yielded = 0;
  async function* endless() {
    try {
      for (;;) {
        yielded++;
        yield Buffer.alloc(1024);
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      finalized = true;
    }
  }
  const l = streamingListener();
  const handle = transport.dispatch(
    { ...makeRequest(1, { method: 'POST' }), bodySource: endless() },
    l.listener,
  )!;
  await waitUntil(() => yielded >= 3);
  handle.cancel();
  expect(await l.done).toMatchObject({ kind: 'cancelled', onWire: true });
  await waitUntil(() => finalized);
  const after = yielded;
  await new Promise((r) => setTimeout(r, 50));
  expect(yielded).toBe(after);
});

test('chunks held for a listener paused at the headers arrive on resume, before the end', async () => {
  server = await startRawServer({ onStream: (stream) => respond(stream, 200, 'tiny body') });
  transport = await readyTransport(server.url);
  const events: string[] = [];
  let resolve!: (o: DispatchOutcome) => void;
  const done = new Promise<DispatchOutcome>((r) => {
    resolve = r;
  });
  let handle: ReturnType<H2Transport['dispatch']>;
  handle = transport.dispatch(makeRequest(1), {
    onSent() {},
    onHeaders() {
      events.push('headers');
      handle!.pause!();
    },
    onData(chunk) {
      events.push(`data ${Buffer.from(chunk).toString()}`);
      return true;
    },
    onDone: (o) => {
      events.push(`done ${o.kind}`);
      resolve(o);
    },
  });
  await new Promise((r) => setTimeout(r, 100));
  expect(events).toEqual(['headers']);
  handle!.resume!();
  await done;
  expect(events).toEqual(['headers', 'data tiny body', 'done response']);
});
