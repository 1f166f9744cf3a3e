/**
 * Both of undici's handler contracts, driven by undici 7 itself against
 * node:http2 servers on 127.0.0.1:0:
 * - the legacy one, as `undici.request` sends it (bodies, trailers);
 * - the new one (`onRequestStart` … `onResponseEnd`), as undici's own
 *   interceptors send it through `agent.compose(...)`: retry, decompress;
 * - and a hand-written new-contract handler steering with its controller
 *   (pause, resume, abort).
 */
import { constants } from 'node:http2';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, expect, test } from '@jest/globals';
import { interceptors, request } from 'undici';
import type { H2flowError } from '../../src/errors/H2flowError.js';
import { createAgent, type DispatchController, type H2flowAgent } from '../../src/undici/index.js';
import { type RawServer, respond, startRawServer } from '../h2/helpers/rawServer.js';
import { waitUntil } from '../h2/helpers/waitUntil.js';

let agent: H2flowAgent | undefined;
let raw: RawServer | undefined;

afterEach(async () => {
  await agent?.close();
  await raw?.close();
  agent = undefined;
  raw = undefined;
});

/** undici.request's `dispatcher` is typed as undici's full class; the agent implements what it calls. */
const asDispatcher = (d: unknown) =>
  d as Parameters<typeof request>[1] extends infer O
    ? O extends { dispatcher?: infer D }
      ? D
      : never
    : never;

/** A server that echoes method and body, and sends a trailer. */
async function echoServer(): Promise<RawServer> {
  return startRawServer({
    onStream: (stream, headers) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () => {
        stream.respond(
          { ':status': 200, 'x-method': String(headers[':method']) },
          {
            waitForTrailers: true,
          },
        );
        stream.on('wantTrailers', () =>
          stream.sendTrailers({ 'x-bytes': String(Buffer.concat(parts).length) }),
        );
        stream.end(Buffer.concat(parts));
      });
    },
  });
}

test('undici.request (legacy contract): GET, a POST from a Readable, headers and trailers', async () => {
  raw = await echoServer();
  agent = createAgent();
  const get = await request(`${raw.url}/get`, { dispatcher: asDispatcher(agent) });
  expect(get.statusCode).toBe(200);
  expect(get.headers['x-method']).toBe('GET');
  expect(await get.body.text()).toBe('');
  const post = await request(`${raw.url}/post`, {
    method: 'POST',
    body: Readable.from([Buffer.from('from '), Buffer.from('a stream')]),
    dispatcher: asDispatcher(agent),
  });
  expect(post.headers['x-method']).toBe('POST');
  expect(await post.body.text()).toBe('from a stream');
  expect(post.trailers).toEqual({ 'x-bytes': '13' });
  expect(agent.client(raw.url)!.stats()).toMatchObject({ submitted: 2, succeeded: 2 });
});

test("agent.compose(interceptors.retry()): undici's own interceptor drives the new contract, and h2flow counts each attempt", async () => {
  let attempts = 0;
  raw = await startRawServer({
    onStream: (stream) => {
      attempts++;
      if (attempts === 1) respond(stream, 503, 'busy');
      else respond(stream, 200, 'ok');
    },
  });
  agent = createAgent();
  const composed = agent.compose(
    interceptors.retry({ maxRetries: 1, minTimeout: 10, statusCodes: [503] }) as never,
  );
  const res = await request(`${raw.url}/flaky`, { dispatcher: asDispatcher(composed) });
  expect(res.statusCode).toBe(200);
  expect(await res.body.text()).toBe('ok');
  expect(attempts).toBe(2);
  expect(agent.client(raw.url)!.stats()).toMatchObject({
    submitted: 2,
    succeeded: 1,
    httpErrors: 1,
  });
});

test('agent.compose(interceptors.decompress()): the response body passes through the new contract intact', async () => {
  const text = 'h2flow '.repeat(20_000);
  raw = await startRawServer({
    onStream: (stream) => {
      stream.respond({ ':status': 200, 'content-encoding': 'gzip' });
      stream.end(gzipSync(text));
    },
  });
  agent = createAgent();
  const composed = agent.compose([interceptors.decompress() as never]);
  const res = await request(`${raw.url}/gz`, { dispatcher: asDispatcher(composed) });
  expect(await res.body.text()).toBe(text);
});

test('a new-contract handler pauses at the headers, resumes, and hears one onResponseEnd', async () => {
  const body = Buffer.alloc(2 * 1024 * 1024, 3);
  raw = await startRawServer({ onStream: (stream) => respond(stream, 200, body) });
  agent = createAgent();
  const events: string[] = [];
  let received = 0;
  let controller: DispatchController | undefined;
  const ended = new Promise<void>((resolve, reject) => {
    agent!.dispatch(
      { origin: raw!.url, path: '/paused', method: 'GET' },
      {
        onRequestStart(c) {
          controller = c;
          events.push('start');
        },
        onResponseStart(c, status) {
          events.push(`headers ${status}`);
          c.pause();
        },
        onResponseData(_c, chunk) {
          received += chunk.length;
        },
        onResponseEnd() {
          events.push('end');
          resolve();
        },
        onResponseError(_c, error) {
          reject(error);
        },
      },
    );
  });
  await waitUntil(() => events.includes('headers 200'));
  await new Promise((r) => setTimeout(r, 100));
  // Paused at the headers: no DATA handed on.
  expect(received).toBe(0);
  controller!.resume();
  await ended;
  expect(received).toBe(body.length);
  expect(events).toEqual(['start', 'headers 200', 'end']);
});

test("a new-contract handler's controller.abort() mid-body cancels on the wire and settles once as H2FLOW_ABORTED", async () => {
  raw = await startRawServer({
    onStream: (stream) => {
      stream.respond({ ':status': 200 });
      stream.write(Buffer.alloc(1024));
    },
  });
  agent = createAgent();
  const errors: H2flowError[] = [];
  agent.dispatch(
    { origin: raw.url, path: '/endless', method: 'GET' },
    {
      onResponseData(c) {
        c.abort(new Error('caller gave up'));
      },
      onResponseError(_c, error) {
        errors.push(error as H2flowError);
      },
    },
  );
  await waitUntil(() => errors.length === 1);
  expect(errors[0]).toMatchObject({ code: 'H2FLOW_ABORTED', cancelledOnWire: true });
  await waitUntil(() => raw!.resetsReceived.get(constants.NGHTTP2_CANCEL) === 1);
  await new Promise((r) => setTimeout(r, 20));
  expect(errors).toHaveLength(1);
});

test('a dispatch to an origin h2flow does not carry fails through onError, naming the origin', async () => {
  agent = createAgent();
  const errors: Error[] = [];
  agent.dispatch(
    { origin: 'ftp://127.0.0.1', path: '/x', method: 'GET' },
    { onError: (e) => errors.push(e) },
  );
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ code: 'H2FLOW_INVALID_OPTION' });
  expect(errors[0]!.message).toContain('ftp://');
});

test('per-origin options apply to an origin written with a trailing slash; one written with its default port is refused, named', async () => {
  raw = await startRawServer({
    onStream: (stream) => setTimeout(() => respond(stream, 200, 'late'), 400),
  });
  agent = createAgent({ timeoutMs: 5000, origins: { [`${raw.url}/`]: { timeoutMs: 150 } } });
  const errors: Error[] = [];
  await new Promise<void>((resolve) => {
    agent!.dispatch(
      { origin: raw!.url, path: '/late', method: 'GET' },
      {
        onError: (e) => {
          errors.push(e);
          resolve();
        },
        onComplete: () => resolve(),
      },
    );
  });
  expect(errors[0]).toMatchObject({ code: 'H2FLOW_DEADLINE', breakdown: { budgetMs: 150 } });
  expect(() => createAgent({ origins: { 'https://example.com:443': {} } })).toThrow(/origin/);
});
