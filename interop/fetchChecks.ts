/**
 * `make interop`'s checks of `h2flow/undici` against nginx, through Node's
 * own global `fetch` in this plain Node process (issue 16): GET and POST
 * over h2c and TLS, a 10 MiB file read intact, an abort mid-body that nginx
 * logs as a cancel, a shed request's error shape, `setGlobalDispatcher`,
 * and undici 7's newer handler contract through its own interceptor.
 * Each check returns a line saying what it saw; one that throws fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getGlobalDispatcher, interceptors, request, setGlobalDispatcher } from 'undici';
import { createAgent, type H2flowAgent } from '../src/undici/index.js';
import type { Nginx } from './nginx.js';

/** One check's result. */
export interface FetchCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

type Check = (nginx: Nginx, ca: string) => Promise<string>;

function assert(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

/** `fetch` with a dispatcher (typed `unknown`: @types/node types it as undici's whole class). */
function fetchVia(dispatcher: unknown, url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, dispatcher } as RequestInit);
}

async function withAgent<T>(
  options: Parameters<typeof createAgent>[0],
  run: (a: H2flowAgent) => Promise<T>,
): Promise<T> {
  const agent = createAgent(options);
  try {
    return await run(agent);
  } finally {
    await agent.close();
  }
}

const getAndPost: Check = (nginx, ca) =>
  withAgent({ ca, timeoutMs: 5000 }, async (agent) => {
    const seen: string[] = [];
    for (const url of [nginx.h2cUrl, nginx.tlsUrl]) {
      const get = await fetchVia(agent, url);
      const post = await fetchVia(agent, url, { method: 'POST', body: '{"units":1}' });
      const [g, p] = [await get.text(), await post.text()];
      assert(get.status === 200 && post.status === 200, `statuses ${get.status}, ${post.status}`);
      assert(g.includes('"ok":true') && p.includes('"ok":true'), `bodies ${g} ${p}`);
      seen.push(`${new URL(url).protocol} GET ${get.status} POST ${post.status}`);
    }
    return seen.join('; ');
  });

const bigFile: Check = async (nginx, ca) => {
  const big = randomBytes(10 * 1024 * 1024);
  mkdirSync(join(nginx.dir, 'fetch'), { recursive: true });
  writeFileSync(join(nginx.dir, 'fetch', 'big.bin'), big);
  return withAgent({ ca, timeoutMs: 20_000 }, async (agent) => {
    const res = await fetchVia(agent, `${nginx.tlsUrl}fetch/big.bin`);
    let chunks = 0;
    const parts: Uint8Array[] = [];
    for await (const chunk of res.body!) {
      chunks++;
      parts.push(chunk);
    }
    const got = Buffer.concat(parts);
    assert(got.equals(big), `read ${got.length} bytes, not the file's ${big.length}`);
    return `10 MiB in ${chunks} chunks, byte for byte`;
  });
};

const abortMidBody: Check = (nginx, ca) =>
  withAgent({ ca, timeoutMs: 10_000 }, async (agent) => {
    const offset = nginx.logOffset();
    const abort = new AbortController();
    const res = await fetchVia(agent, `${nginx.tlsUrl}fetch/trickle`, { signal: abort.signal });
    const reader = res.body!.getReader();
    const first = await reader.read();
    assert(!first.done, 'no first part');
    abort.abort();
    const error = await reader.read().then(
      () => undefined,
      (e: Error) => e,
    );
    assert(error?.name === 'AbortError', `the read ended with ${error?.name ?? 'no error'}`);
    await new Promise((r) => setTimeout(r, 300));
    const stats = agent.client(nginx.tlsUrl)!.stats();
    const log = nginx.streamLogSince(offset);
    assert(stats.cancelledOnWire === 1 && stats.timedOut === 0, `stats ${JSON.stringify(stats)}`);
    assert(log.cancel === 1, `nginx logged ${log.cancel} cancels`);
    return 'AbortError; 1 RST_STREAM(CANCEL) sent, nginx logged 1 client cancel; 0 timeouts';
  });

const shedShape: Check = (nginx, ca) =>
  withAgent({ ca, policy: 'fixed', connections: 1, maxQueueLength: 10 }, async (agent) => {
    await (await fetchVia(agent, nginx.tlsUrl)).text();
    const results = await Promise.allSettled(
      Array.from({ length: 300 }, () => fetchVia(agent, nginx.tlsUrl).then((r) => r.text())),
    );
    const shed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    assert(shed.length > 0, 'nothing was shed');
    const e = shed[0]!.reason as TypeError & { cause?: Record<string, unknown> };
    assert(e instanceof TypeError && e.message === 'fetch failed', `rejected with ${e}`);
    assert(e.cause?.code === 'H2FLOW_OVERLOAD', `cause ${String(e.cause)}`);
    const breakdown = e.cause?.breakdown as { budgetMs?: number; phase?: string } | undefined;
    assert(breakdown?.phase === 'queued' && breakdown.budgetMs === 5000, 'no budget breakdown');
    const stats = agent.client(nginx.tlsUrl)!.stats();
    assert(stats.rejected === shed.length, `rejected ${stats.rejected} ≠ ${shed.length} shed`);
    return `${shed.length} of 300 shed as TypeError('fetch failed') caused by H2FLOW_OVERLOAD (${String(e.cause?.reason)}); the rest 200`;
  });

const globalDispatcher: Check = (nginx, ca) =>
  withAgent({ ca }, async (agent) => {
    const before = getGlobalDispatcher();
    setGlobalDispatcher(agent as never);
    try {
      const res = await fetch(nginx.tlsUrl);
      assert(res.status === 200, `status ${res.status}`);
      await res.text();
    } finally {
      setGlobalDispatcher(before);
    }
    const stats = agent.client(nginx.tlsUrl)!.stats();
    assert(stats.succeeded === 1, `the agent saw ${stats.submitted} requests`);
    return "Node's global fetch, with no dispatcher option, went through the agent";
  });

const newContract: Check = (nginx, ca) =>
  withAgent({ ca }, async (agent) => {
    const composed = agent.compose(interceptors.responseError() as never);
    const res = await request(nginx.tlsUrl, {
      method: 'POST',
      body: '{"units":1}',
      dispatcher: composed as never,
    });
    const text = await res.body.text();
    assert(res.statusCode === 200 && text.includes('"ok":true'), `got ${res.statusCode} ${text}`);
    return 'undici.request through agent.compose(interceptors.responseError()): the new contract, 200';
  });

const checks: readonly (readonly [string, Check])[] = [
  ['fetch GET and POST (h2c, TLS)', getAndPost],
  ['fetch 10 MiB streamed', bigFile],
  ['fetch abort mid-body', abortMidBody],
  ['fetch shed error shape', shedShape],
  ['setGlobalDispatcher', globalDispatcher],
  ['undici >= 7 handler contract', newContract],
];

/** Runs every check against `nginx` (started with fetch-server.conf.template). */
export async function runFetchChecks(nginx: Nginx): Promise<FetchCheck[]> {
  const ca = readFileSync(nginx.caPath, 'utf8');
  const results: FetchCheck[] = [];
  for (const [name, check] of checks) {
    try {
      results.push({ name, ok: true, detail: await check(nginx, ca) });
    } catch (error) {
      results.push({ name, ok: false, detail: (error as Error).message });
    }
  }
  return results;
}
