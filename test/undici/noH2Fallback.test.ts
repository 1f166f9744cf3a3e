/**
 * `createAgent({ fallback })`: an origin that does not speak HTTP/2 (an
 * HTTP/1.1 server on http://, a TLS server that selects no `h2` by ALPN)
 * is served by the fallback dispatcher — here undici's own `Agent` — through
 * Node's global `fetch` and undici's `request` (the two handler contracts),
 * with a streamed POST body intact, while an HTTP/2 origin stays with h2flow.
 * Every server listens on 127.0.0.1:0 and closes after its test.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from '@jest/globals';
import { Agent, request } from 'undici';
import { isInvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { generateTestCertificate } from '../../src/server/testCertificate.js';
import { createAgent, type H2flowAgent } from '../../src/undici/index.js';
import { serverFixture } from '../server/serverFixture.js';

const startServer = serverFixture();
let agent: H2flowAgent | undefined;
let fallback: Agent | undefined;
let http1: Server | undefined;

afterEach(async () => {
  await agent?.close();
  await fallback?.close();
  await new Promise<void>((resolve) => (http1 ? http1.close(() => resolve()) : resolve()));
  agent = undefined;
  fallback = undefined;
  http1 = undefined;
});

/** Answers `METHOD body` over HTTP/1.1, counting requests. */
function echo(counter: { requests: number }) {
  return (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    counter.requests++;
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => res.end(`${req.method} ${Buffer.concat(parts).toString()}`));
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function fetchVia(dispatcher: unknown, url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, dispatcher } as RequestInit);
}

/** An HTTP/1.1 echo server on http://127.0.0.1:0, and undici's Agent as the fallback; `seen` counts the server's requests. */
async function http1Origin(): Promise<{ url: string; seen: { requests: number } }> {
  const seen = { requests: 0 };
  http1 = createHttpServer(echo(seen));
  fallback = new Agent();
  return { url: `http://127.0.0.1:${await listen(http1)}`, seen };
}

/** A POST whose body is a stream of `chunks`, as an application's upload would be. */
function postChunks(dispatcher: unknown, url: string, chunks: string[]): Promise<Response> {
  const body = new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
  return fetchVia(dispatcher, url, { method: 'POST', body, duplex: 'half' } as RequestInit);
}

test('an HTTP/1.1 origin on http:// goes to the fallback: the first requests, waiting together, and every later one', async () => {
  const { url, seen } = await http1Origin();
  agent = createAgent({ timeoutMs: 5000, fallback });
  // Ten at once: they wait together for the origin's first session, and each is handed over.
  const first = await Promise.all(
    Array.from({ length: 10 }, (_, i) => fetchVia(agent, `${url}/get?i=${i}`)),
  );
  expect(first.map((r) => r.status)).toEqual(Array(10).fill(200));
  expect(await Promise.all(first.map((r) => r.text()))).toEqual(Array(10).fill('GET '));
  // The origin's h2flow client, which never had a session, is gone; later requests go straight there.
  expect(agent.client(url)).toBeUndefined();
  const post = await postChunks(agent, `${url}/post`, ['chunk-1;', 'chunk-2']);
  expect(await post.text()).toBe('POST chunk-1;chunk-2');
  expect(agent.client(url)).toBeUndefined();
  expect(seen.requests).toBe(11);
  // A closed agent takes nothing more, for any origin; the fallback is the caller's to close.
  await agent.close();
  // (Its cause, H2FLOW_CLOSED, is not kept by fetch across this test runner's realms.)
  await expect(fetchVia(agent, `${url}/late`)).rejects.toThrow('fetch failed');
  expect(seen.requests).toBe(11);
});

test('the request that finds it out keeps its streamed body: a POST first is answered whole', async () => {
  const { url, seen } = await http1Origin();
  agent = createAgent({ fallback });
  const post = await postChunks(agent, `${url}/post`, ['{"units":', '1}']);
  expect(post.status).toBe(200);
  expect(await post.text()).toBe('POST {"units":1}');
  expect(seen.requests).toBe(1);
});

test('a TLS origin that selects no h2 by ALPN goes to the fallback', async () => {
  const cert = await generateTestCertificate('127.0.0.1');
  const seen = { requests: 0 };
  http1 = createHttpsServer({ key: cert.keyPem, cert: cert.certPem }, echo(seen));
  const url = `https://127.0.0.1:${await listen(http1)}`;
  fallback = new Agent({ connect: { ca: cert.caPem } });
  agent = createAgent({ timeoutMs: 5000, ca: cert.caPem, fallback });
  const res = await fetchVia(agent, `${url}/tls`);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('GET ');
  expect(seen.requests).toBe(1);
});

test("undici's request (the controller contract) reaches the fallback too", async () => {
  const { url } = await http1Origin();
  agent = createAgent({ fallback });
  const res = await request(`${url}/undici`, {
    method: 'POST',
    body: 'x=1',
    dispatcher: agent as never,
  });
  expect(res.statusCode).toBe(200);
  expect(await res.body.text()).toBe('POST x=1');
});

test('an HTTP/2 origin stays with h2flow when a fallback is set', async () => {
  const server = await startServer({ responseBytes: 16 });
  let fellBack = 0;
  agent = createAgent({
    fallback: {
      dispatch: () => {
        fellBack++;
        return true;
      },
    },
  });
  const res = await fetchVia(agent, `${server.url}/h2`);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  expect(fellBack).toBe(0);
  expect(agent.client(server.url)!.stats()).toMatchObject({ submitted: 1, succeeded: 1 });
});

test('a fallback that is not a dispatcher is refused at once, naming the option', () => {
  for (const bad of [{}, 'undici', null]) {
    let error: unknown;
    try {
      createAgent({ fallback: bad as never });
    } catch (e) {
      error = e;
    }
    expect(isInvalidOptionError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^fallback must be a dispatcher/);
  }
});
