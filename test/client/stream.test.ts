/**
 * `AdaptiveClient.stream()` over real node:http2: the response reaches the
 * sink as it arrives, the request settles for the controller at its last
 * byte (or on abort, deadline or error) exactly once, a streamed body is
 * replayed on REFUSED_STREAM while it is small enough to keep, and the
 * counters reconcile.
 */
import { constants } from 'node:http2';
import { afterEach, expect, test } from '@jest/globals';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import type { StreamEnd, StreamSink } from '../../src/client/streamRequest.js';
import type { H2flowError } from '../../src/errors/H2flowError.js';
import { createH2Transport } from '../../src/h2/H2Transport.js';
import type { ResponseHeaders } from '../../src/transport/Transport.js';
import { type RawServer, respond, startRawServer } from '../h2/helpers/rawServer.js';
import { waitUntil } from '../h2/helpers/waitUntil.js';

let server: RawServer | undefined;
let client: AdaptiveClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

/** A sink that records everything, and whose settlement is a promise. */
function recordingSink(pauseAfterChunks = Number.POSITIVE_INFINITY) {
  const chunks: Buffer[] = [];
  const heads: { status: number; headers: ResponseHeaders }[] = [];
  let ends = 0;
  let resolve!: (r: { error?: H2flowError; end?: StreamEnd }) => void;
  const settled = new Promise<{ error?: H2flowError; end?: StreamEnd }>((r) => {
    resolve = r;
  });
  const sink: StreamSink = {
    onHeaders(status, headers) {
      heads.push({ status, headers });
      return true;
    },
    onData(chunk) {
      chunks.push(Buffer.from(chunk));
      return chunks.length < pauseAfterChunks;
    },
    onEnd(end) {
      ends++;
      resolve({ end });
    },
    onError(error) {
      ends++;
      resolve({ error });
    },
  };
  return { sink, chunks, heads, settled, ends: () => ends, body: () => Buffer.concat(chunks) };
}

function startClient(url: string, timeoutMs = 5000): AdaptiveClient {
  return new AdaptiveClient(createH2Transport(url), { policy: 'fixed', connections: 1, timeoutMs });
}

async function* chunksOf(parts: readonly string[], gapMs = 5) {
  for (const p of parts) {
    await new Promise((r) => setTimeout(r, gapMs));
    yield Buffer.from(p);
  }
}

test('a 10 MiB response streams to the sink intact, settling once at its last byte', async () => {
  const body = Buffer.alloc(10 * 1024 * 1024);
  for (let i = 0; i < body.length; i += 4096) body.writeUInt32BE(i, i);
  server = await startRawServer({ onStream: (stream) => respond(stream, 200, body) });
  client = startClient(server.url);
  const r = recordingSink();
  client.stream({ path: '/big' }, r.sink);
  const { end, error } = await r.settled;
  expect(error).toBeUndefined();
  expect(end).toMatchObject({ status: 200, trailers: {} });
  expect(end!.timings.receivingMs).toBeGreaterThan(0);
  expect(r.heads).toHaveLength(1);
  expect(r.body().equals(body)).toBe(true);
  expect(r.chunks.length).toBeGreaterThan(10);
  await new Promise((res) => setTimeout(res, 20));
  expect(r.ends()).toBe(1);
  expect(client.stats()).toMatchObject({ submitted: 1, succeeded: 1, inFlight: 0, queued: 0 });
});

test('a streamed request body reaches the server whole; the default method with it is POST', async () => {
  let method: unknown;
  server = await startRawServer({
    onStream: (stream, headers) => {
      method = headers[':method'];
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () => respond(stream, 200, Buffer.concat(parts)));
    },
  });
  client = startClient(server.url);
  const r = recordingSink();
  client.stream({ path: '/echo', body: chunksOf(['a', 'bb', 'ccc']) }, r.sink);
  expect((await r.settled).end?.status).toBe(200);
  expect(method).toBe('POST');
  expect(r.body().toString()).toBe('abbccc');
});

test('REFUSED_STREAM on a small streamed body: it is replayed whole on the retry, and the source is read once', async () => {
  let attempts = 0;
  const bodies: string[] = [];
  server = await startRawServer({
    onStream: (stream, _headers, srv) => {
      attempts++;
      if (attempts === 1) {
        // Read some of the body first, so the retry must replay what was already sent.
        stream.once('data', () => srv.reset(stream, constants.NGHTTP2_REFUSED_STREAM));
        return;
      }
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () => {
        bodies.push(Buffer.concat(parts).toString());
        respond(stream, 200, 'ok');
      });
    },
  });
  client = startClient(server.url);
  let pulls = 0;
  async function* counted() {
    for (const p of ['first,', 'second,', 'third']) {
      pulls++;
      await new Promise((r) => setTimeout(r, 10));
      yield Buffer.from(p);
    }
  }
  const r = recordingSink();
  client.stream({ path: '/refuse-once', body: counted() }, r.sink);
  expect((await r.settled).end?.status).toBe(200);
  expect(attempts).toBe(2);
  expect(bodies).toEqual(['first,second,third']);
  expect(pulls).toBe(3);
  expect(client.stats()).toMatchObject({ succeeded: 1, retries: 1 });
});

test('REFUSED_STREAM after a streamed body outgrew the replay buffer fails as stream-reset, never sent short', async () => {
  server = await startRawServer({
    onStream: (stream, _headers, srv) => {
      let bytes = 0;
      stream.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes > 100 * 1024) srv.reset(stream, constants.NGHTTP2_REFUSED_STREAM);
      });
    },
  });
  client = startClient(server.url);
  async function* big() {
    for (let i = 0; i < 64; i++) yield Buffer.alloc(16 * 1024, i);
  }
  const r = recordingSink();
  client.stream({ path: '/refuse-big', body: big() }, r.sink);
  const { error } = await r.settled;
  expect(error).toMatchObject({ code: 'H2FLOW_TRANSPORT', failure: 'stream-reset' });
  expect(error!.message).toContain('replay');
  expect(client.stats()).toMatchObject({ failed: 1, retries: 0 });
});

test('abort() mid-body cancels on the wire and settles once as H2FLOW_ABORTED, not a timeout', async () => {
  server = await startRawServer({
    onStream: (stream) => {
      stream.respond({ ':status': 200 });
      stream.write(Buffer.alloc(1024));
      // ...and never ends.
    },
  });
  client = startClient(server.url);
  const r = recordingSink();
  const control = client.stream({ path: '/endless' }, r.sink);
  await waitUntil(() => r.chunks.length > 0);
  control.abort();
  control.abort();
  const { error } = await r.settled;
  expect(error).toMatchObject({ code: 'H2FLOW_ABORTED', cancelledOnWire: true });
  expect(error!.breakdown.phase).toBe('receiving');
  await waitUntil(() => server!.resetsReceived.get(constants.NGHTTP2_CANCEL) === 1);
  expect(r.ends()).toBe(1);
  expect(client.stats()).toMatchObject({ failed: 1, timedOut: 0, inFlight: 0 });
});

test('a reader that holds the stream paused spends the budget: H2FLOW_DEADLINE, cancelled on the wire', async () => {
  server = await startRawServer({
    onStream: (stream) => respond(stream, 200, Buffer.alloc(4 * 1024 * 1024)),
  });
  client = startClient(server.url, 300);
  const r = recordingSink(1);
  client.stream({ path: '/slow-reader' }, r.sink);
  const { error } = await r.settled;
  expect(error).toMatchObject({ code: 'H2FLOW_DEADLINE', cancelledOnWire: true });
  expect(r.chunks).toHaveLength(1);
  expect(client.stats()).toMatchObject({ timedOut: 1, inFlight: 0 });
});

test('a stream body on GET is refused with the value named', () => {
  client = startClient('http://127.0.0.1:9');
  expect(() =>
    client!.stream({ method: 'GET', body: chunksOf(['x']) }, recordingSink().sink),
  ).toThrow(/request\.body.*absent for GET/);
});
