/**
 * `h2flow/undici` under Node's global `fetch` in a plain Node process
 * (fixtures/fetchPlan.mjs, loading the built entry by its package name), for
 * what a test runner's realm would blur: the errors fetch rejects with
 * (fetch wraps only `instanceof Error` causes as they are), and
 * `setGlobalDispatcher`, which Node's fetch reads off the process's global.
 * The servers run here, on 127.0.0.1:0.
 */
import { createServer as createHttp1Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from '@jest/globals';
import type { ClientStats } from '../../src/core/clientStats.js';
import { type RawServer, respond, startRawServer } from '../h2/helpers/rawServer.js';
import { packageEntries } from '../package/packageEntries.js';
import { runNodeFixture } from '../package/runNodeFixture.js';
import { serverFixture } from '../server/serverFixture.js';

interface FetchResult {
  readonly status?: number;
  readonly bytes?: number;
  readonly ms: number;
  readonly error?: {
    readonly ctor: string;
    readonly message: string;
    readonly cause?: Record<string, unknown>;
  };
}

interface PlanOutput {
  readonly results: FetchResult[][];
  readonly stats: Record<string, ClientStats>;
}

interface Plan {
  readonly agent?: Record<string, unknown>;
  readonly timeoutMs?: number;
  readonly global?: boolean;
  readonly fallback?: boolean;
  readonly steps: readonly (readonly string[])[];
}

const runPlan = (plan: Plan) =>
  runNodeFixture<PlanOutput>('fetchPlan.mjs', [JSON.stringify(plan)], 'test/undici/fixtures');

// Needs dist/ (`make test` builds before jest runs); a bare jest run without a build skips, and says so.
const built = packageEntries().every((entry) => entry.built);
const whenBuilt = built ? test : test.skip;
if (!built) console.warn('fetchAgent.spawn.test.ts: dist/ is missing; run `make build` first');

const startServer = serverFixture();
let raw: RawServer | undefined;

afterEach(async () => {
  await raw?.close();
  raw = undefined;
});

whenBuilt(
  "a shed request rejects fetch as undici's errors do: TypeError('fetch failed') caused by H2FLOW_OVERLOAD with its budget",
  async () => {
    raw = await startRawServer({
      settings: { maxConcurrentStreams: 1 },
      onStream: (stream) => setTimeout(() => respond(stream, 200, 'slow'), 300),
    });
    const url = raw.url;
    // The first fetch opens the session; then three meet one busy slot and a queue of one.
    const out = await runPlan({
      agent: { policy: 'fixed', connections: 1, maxQueueLength: 1, timeoutMs: 5000 },
      steps: [[`${url}/warm`], [`${url}/a`, `${url}/b`, `${url}/c`]],
    });
    const second = out.results[1]!;
    const shed = second.filter((r) => r.error !== undefined);
    expect(shed).toHaveLength(1);
    expect(shed[0]!.error).toMatchObject({
      ctor: 'TypeError',
      message: 'fetch failed',
      cause: {
        ctor: 'OverloadError',
        code: 'H2FLOW_OVERLOAD',
        reason: 'queue-full',
        breakdown: { budgetMs: 5000, phase: 'queued' },
      },
    });
    expect(out.stats[url]).toMatchObject({ submitted: 4, rejected: 1, succeeded: 3, inFlight: 0 });
  },
);

whenBuilt(
  'withTimeout(ms) is the budget per request: H2FLOW_DEADLINE with that budget',
  async () => {
    raw = await startRawServer({
      onStream: (stream) => setTimeout(() => respond(stream, 200, 'late'), 500),
    });
    const out = await runPlan({
      agent: { timeoutMs: 5000 },
      timeoutMs: 150,
      steps: [[`${raw.url}/late`]],
    });
    expect(out.results[0]![0]!.error).toMatchObject({
      ctor: 'TypeError',
      cause: { code: 'H2FLOW_DEADLINE', breakdown: { budgetMs: 150, phase: 'awaiting' } },
    });
    expect(out.stats[raw.url]).toMatchObject({ timedOut: 1, cancelledOnWire: 1 });
  },
);

whenBuilt(
  "setGlobalDispatcher(agent): Node's global fetch goes through h2flow with no dispatcher option",
  async () => {
    const server = await startServer();
    const out = await runPlan({ global: true, steps: [[`${server.url}/global`]] });
    expect(out.results[0]![0]).toMatchObject({ status: 200 });
    expect(out.stats[server.url]).toMatchObject({ submitted: 1, succeeded: 1 });
  },
);

whenBuilt(
  'https:// verifies the certificate: trusted with the ca per origin, refused without it',
  async () => {
    const server = await startServer({ tls: true });
    const trusted = await runPlan({
      agent: { origins: { [server.url]: { ca: server.caPem } } },
      steps: [[`${server.url}/tls`]],
    });
    expect(trusted.results[0]![0]).toMatchObject({ status: 200 });
    const refused = await runPlan({ agent: { timeoutMs: 5000 }, steps: [[`${server.url}/tls`]] });
    const r = refused.results[0]![0]!;
    expect(r.error).toMatchObject({
      ctor: 'TypeError',
      cause: { code: 'H2FLOW_TRANSPORT', failure: 'connect' },
    });
    expect(String(r.error!.cause!.causeCode)).toMatch(/SELF_SIGNED|UNABLE_TO|CERT/);
    // A refused certificate does not wait out the budget.
    expect(r.ms).toBeLessThan(2500);
  },
);

whenBuilt('a server that does not speak HTTP/2 fails fetch at once, naming the cause', async () => {
  const http1 = createHttp1Server((_req, res) => res.end('http/1.1'));
  await new Promise<void>((resolve) => http1.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(http1.address() as AddressInfo).port}`;
    const out = await runPlan({ agent: { timeoutMs: 5000 }, steps: [[`${url}/`]] });
    const r = out.results[0]![0]!;
    expect(r.error).toMatchObject({
      ctor: 'TypeError',
      cause: { code: 'H2FLOW_TRANSPORT', failure: 'connect', causeCode: 'H2FLOW_NOT_H2' },
    });
    expect(r.error!.cause!.message).toContain('does not speak HTTP/2');
    expect(r.ms).toBeLessThan(2500);
  } finally {
    http1.close();
  }
});

whenBuilt(
  'one setGlobalDispatcher line serves every origin: HTTP/2 through h2flow, HTTP/1.1 through the fallback',
  async () => {
    const server = await startServer({ responseBytes: 16 });
    const http1 = createHttp1Server((_req, res) => res.end('http/1.1 answer'));
    await new Promise<void>((resolve) => http1.listen(0, '127.0.0.1', resolve));
    try {
      const old = `http://127.0.0.1:${(http1.address() as AddressInfo).port}`;
      const out = await runPlan({
        agent: { timeoutMs: 5000 },
        global: true,
        fallback: true,
        steps: [[`${server.url}/h2`, `${old}/one`, `${old}/two`], [`${old}/three`]],
      });
      expect(out.results.flat().map((r) => [r.status, r.bytes])).toEqual([
        [200, 16],
        [200, 15],
        [200, 15],
        [200, 15],
      ]);
      // Only the HTTP/2 origin has an h2flow client; the other's went when it failed.
      expect(Object.keys(out.stats)).toEqual([server.url]);
      expect(out.stats[server.url]).toMatchObject({ submitted: 1, succeeded: 1 });
    } finally {
      await new Promise<void>((resolve) => http1.close(() => resolve()));
    }
  },
);
