/**
 * `h2flow/undici` under Node's own global `fetch` (the undici bundled in
 * Node, which drives the legacy handler contract), against the embedded
 * test server and a raw node:http2 server on 127.0.0.1:0: GET and POST, a
 * streamed POST body, a 10 MiB body read intact, and an abort mid-body.
 * Error shapes and `setGlobalDispatcher` need a plain Node process (fetch
 * checks `instanceof Error` and reads the process's global dispatcher, and
 * a test runner's realm has its own of both): fetchAgent.spawn.test.ts.
 */
import { constants } from 'node:http2';
import { afterEach, expect, test } from '@jest/globals';
import { generateTestCertificate } from '../../src/server/testCertificate.js';
import { createAgent, type H2flowAgent } from '../../src/undici/index.js';
import { type RawServer, respond, startRawServer } from '../h2/helpers/rawServer.js';
import { waitUntil } from '../h2/helpers/waitUntil.js';
import { serverFixture } from '../server/serverFixture.js';

const startServer = serverFixture();
let agent: H2flowAgent | undefined;
let raw: RawServer | undefined;

afterEach(async () => {
  await agent?.close();
  await raw?.close();
  agent = undefined;
  raw = undefined;
});

/** `fetch` with the agent as its dispatcher (@types/node types `dispatcher` as undici's full class). */
function fetchVia(dispatcher: unknown, url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, dispatcher } as RequestInit);
}

test('GET and POST through global fetch reach the embedded server over h2c, counted by the origin client', async () => {
  const server = await startServer({ responseBytes: 64 });
  agent = createAgent({ timeoutMs: 2000 });
  const get = await fetchVia(agent, `${server.url}/get?x=1`);
  expect(get.status).toBe(200);
  expect(get.headers.get('content-type')).toBe('application/json');
  expect((await get.arrayBuffer()).byteLength).toBe(64);
  const post = await fetchVia(agent, `${server.url}/post`, {
    method: 'POST',
    body: JSON.stringify({ units: 1 }),
    headers: { 'content-type': 'application/json' },
  });
  expect(post.status).toBe(200);
  await post.arrayBuffer();
  const client = agent.client(server.url)!;
  expect(client.stats()).toMatchObject({ submitted: 2, succeeded: 2, inFlight: 0, queued: 0 });
  expect(server.stats().responsesByStatus['200']).toBe(2);
});

test('a POST body from fetch (a stream underneath) reaches the server byte for byte', async () => {
  raw = await startRawServer({
    onStream: (stream, headers) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () =>
        respond(stream, 200, `${headers[':method']} ${Buffer.concat(parts).toString()}`),
      );
    },
  });
  agent = createAgent();
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('chunk-1;'));
      controller.enqueue(new TextEncoder().encode('chunk-2'));
      controller.close();
    },
  });
  const res = await fetchVia(agent, `${raw.url}/echo`, {
    method: 'POST',
    body,
    duplex: 'half',
  } as RequestInit);
  expect(await res.text()).toBe('POST chunk-1;chunk-2');
});

test('a 10 MiB response streams through fetch and is read intact', async () => {
  const big = Buffer.alloc(10 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4) big.writeUInt32BE(i, i);
  raw = await startRawServer({ onStream: (stream) => respond(stream, 200, big) });
  agent = createAgent({ timeoutMs: 10_000 });
  const res = await fetchVia(agent, `${raw.url}/big`);
  let chunks = 0;
  const parts: Uint8Array[] = [];
  for await (const chunk of res.body!) {
    chunks++;
    parts.push(chunk);
  }
  expect(chunks).toBeGreaterThan(1);
  expect(Buffer.concat(parts).equals(big)).toBe(true);
  expect(agent.client(raw.url)!.stats()).toMatchObject({ succeeded: 1, inFlight: 0 });
});

test('an abort mid-body sends RST_STREAM(CANCEL) and counts as an abort, not a timeout', async () => {
  raw = await startRawServer({
    onStream: (stream) => {
      stream.respond({ ':status': 200 });
      stream.write(Buffer.alloc(32 * 1024, 1));
      // ...and never ends.
    },
  });
  agent = createAgent({ timeoutMs: 5000 });
  const abort = new AbortController();
  const res = await fetchVia(agent, `${raw.url}/endless`, { signal: abort.signal });
  const reader = res.body!.getReader();
  expect((await reader.read()).done).toBe(false);
  abort.abort();
  await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
  await waitUntil(() => raw!.resetsReceived.get(constants.NGHTTP2_CANCEL) === 1);
  await waitUntil(() => agent!.client(raw!.url)!.stats().inFlight === 0);
  expect(agent.client(raw.url)!.stats()).toMatchObject({
    failed: 1,
    timedOut: 0,
    cancelledOnWire: 1,
  });
});

test('a thousand POSTs at once over TLS on one connection all succeed', async () => {
  // Under an open loop of 3,000/s through fetch (bench/fetch-seed.ts), node:http2's 'response'
  // (emitted on the tick after its HEADERS were read) came after DATA read with it for ~1% of
  // requests, and fetch failed them ("Cannot read properties of null (reading 'push')"). The
  // transport now holds such DATA for the headers. This burst has not reproduced the ordering
  // here; it keeps the path of many small concurrent responses through fetch honest.
  const cert = await generateTestCertificate('127.0.0.1');
  raw = await startRawServer({
    tls: { keyPem: cert.keyPem, certPem: cert.certPem },
    settings: { maxConcurrentStreams: 1000 },
    onStream: (stream) => {
      stream.on('data', () => {});
      stream.on('end', () => respond(stream, 200, '{"ok":true}'));
    },
  });
  agent = createAgent({ ca: cert.caPem, policy: 'fixed', connections: 1, timeoutMs: 20_000 });
  // The session first, so the burst meets a thousand free stream slots rather than a cold queue.
  await (await fetchVia(agent, `${raw.url}/warm`)).text();
  const results = await Promise.allSettled(
    Array.from({ length: 1000 }, () =>
      fetchVia(agent, `${raw!.url}/seed`, { method: 'POST', body: '{"units":1}' }).then((r) =>
        r.text(),
      ),
    ),
  );
  const failures = results.filter((r) => r.status === 'rejected');
  expect(failures.map((f) => String((f as PromiseRejectedResult).reason?.cause))).toEqual([]);
  expect(agent.client(raw.url)!.stats()).toMatchObject({ succeeded: 1001, failed: 0 });
});
