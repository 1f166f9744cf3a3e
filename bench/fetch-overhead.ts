/**
 * Fetch overhead (issue 16): Node's global `fetch` over TLS through h2flow's
 * agent, through undici's own HTTP/2, and through a dispatcher that answers
 * at once (fetch's own cost), beside raw `node:http2` over the same TLS,
 * all against one bench/lib/rawServer.ts `--tls` in its own process.
 *
 * Targets, per session count (1 and 4):
 * - fetch through the agent ≥ 1.5 × fetch through undici's HTTP/2, req/s;
 * - the agent's own cost — its CPU per request minus the no-op
 *   dispatcher's — ≤ 1.2 × raw node:http2's CPU per request.
 *
 * Method, as bench/client-overhead.ts: every client keeps
 * `sessions × streamsPerSession` (100) requests outstanding, each a 75-byte
 * JSON POST (or `--method GET`) whose response body is read to the end.
 * Clients: `raw-tls` (bench/lib/rawClosedLoop.ts), `fetch-agent`,
 * `fetch-undici`, `fetch-noop` and `fetch-bare` (bench/lib/fetchClosedLoop.ts):
 * the last is node:http2 with nothing around it, the floor any dispatcher on
 * node:http2 pays under fetch, so the report also splits the agent's own cost
 * into that floor and h2flow's share beyond it. After one
 * untimed pass, each round runs every client once, fresh, in an order
 * rotated per round: `warmupMs` unmeasured, then `measureMs` counted. The
 * ratios are taken within each round and reported as medians over rounds
 * with their spread; CPU per request is this process's (process.cpuUsage),
 * and the server's CPU share (/proc) tells whether the server was the limit.
 *
 * Build and run: `tsc -p tsconfig.bench.json && node .build/bench/fetch-overhead.js` (no dist/ needed).
 * Flags: `--rounds N` (5), `--sessions 1,4`, `--warmup-ms` (1500),
 * `--measure-ms` (2000), `--method POST|GET` (POST), `--only <client>` (that
 * client alone, nothing recorded: for `node --cpu-prof`). Appends one JSON
 * line per (sessions, client) and one of the targets per session count to
 * bench/results/latest.jsonl.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  benchArgs,
  choiceFlag,
  countFlag,
  countsFlag,
  positiveFlag,
  runBench,
} from './lib/benchArgs.js';
import { startFetchClosedLoop } from './lib/fetchClosedLoop.js';
import {
  type FetchBenchClient,
  type FetchBenchMeta,
  fetchBenchClients,
  reportFetchOverhead,
} from './lib/fetchOverheadReport.js';
import { type LoopRun, measureLoop, type RoundFigure } from './lib/measureLoop.js';
import { startRawClosedLoop } from './lib/rawClosedLoop.js';
import { median } from './lib/results.js';
import { seedBody } from './lib/seedBody.js';
import { type ServerProcess, startServerProcess } from './lib/serverProcess.js';

/** Streams in flight per session for every client: the server's SETTINGS_MAX_CONCURRENT_STREAMS. */
const streamsPerSession = 100;

/** The TLS raw server and the CA that signed its certificate. */
interface TlsServer {
  readonly process: ServerProcess;
  readonly caPem: string;
  /** Removes the CA's temporary file. */
  cleanUp(): void;
}

/** Starts rawServer.js `--tls` and reads the CA it wrote before printing its URL. */
async function startTlsServer(): Promise<TlsServer> {
  const tmp = mkdtempSync(join(tmpdir(), 'h2flow-fetch-bench-'));
  const caPath = join(tmp, 'ca.pem');
  const script = join(dirname(fileURLToPath(import.meta.url)), 'lib', 'rawServer.js');
  try {
    const server = await startServerProcess(script, [
      String(streamsPerSession),
      '--tls',
      '--ca-out',
      caPath,
    ]);
    return {
      process: server,
      caPem: readFileSync(caPath, 'utf8'),
      cleanUp: () => rmSync(tmp, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** Requests every loop in this process completed, warm-up included (for a CPU profile's per-request cost). */
let totalCompleted = 0;

/** Runs `client` once on `sessions` sessions: warm-up, then the measured stretch. */
async function runClient(
  client: FetchBenchClient,
  server: TlsServer,
  sessions: number,
  method: 'GET' | 'POST',
  warmupMs: number,
  measureMs: number,
): Promise<LoopRun> {
  const { url } = server.process;
  const ca = server.caPem;
  const start = () =>
    client === 'raw-tls'
      ? startRawClosedLoop(url, sessions, streamsPerSession, seedBody, { ca, method })
      : startFetchClosedLoop(`${url}/`, client, sessions, streamsPerSession, {
          ca,
          method,
          body: seedBody,
        });
  const run = await measureLoop(start, server.process.pid, warmupMs, measureMs);
  totalCompleted += run.totalCompleted;
  return run;
}

/** The command line, checked. */
const usage = `
usage: node .build/bench/fetch-overhead.js [--rounds 5] [--sessions 1,4] [--warmup-ms 1500]
         [--measure-ms 2000] [--method POST|GET] [--only raw-tls|fetch-agent|fetch-undici|fetch-noop|fetch-bare]

Node's global fetch over TLS through h2flow's agent, through undici's own
HTTP/2, through a dispatcher that answers at once (fetch's own cost) and
through a bare node:http2 dispatcher (the floor any dispatcher on node:http2
pays), beside raw node:http2: closed loops of 100 requests per session, rotated per
round. Targets (issue 16): agent ≥ 1.5 × undici's req/s; the agent's own CPU
(minus the no-op's) ≤ 1.2 × raw's.

  --rounds N         rounds per session count (5)
  --sessions LIST    session counts, comma-separated (1,4)
  --warmup-ms N      unmeasured time per client and round (1500)
  --measure-ms N     measured time per client and round (2000)
  --method M         POST (a 75-byte JSON body) or GET
  --only CLIENT      that client alone, nothing recorded (for node --cpu-prof)
`;

function options() {
  const values = benchArgs(usage, {
    options: {
      rounds: { type: 'string', default: '5' },
      sessions: { type: 'string', default: '1,4' },
      'warmup-ms': { type: 'string', default: '1500' },
      'measure-ms': { type: 'string', default: '2000' },
      method: { type: 'string', default: 'POST' },
      only: { type: 'string' },
    },
  });
  const only =
    values.only === undefined ? undefined : choiceFlag('only', values.only, fetchBenchClients);
  return {
    only,
    method: choiceFlag('method', values.method.toUpperCase(), ['GET', 'POST']),
    rounds: countFlag('rounds', values.rounds),
    sessionCounts: countsFlag('sessions', values.sessions),
    warmupMs: positiveFlag('warmup-ms', values['warmup-ms']),
    measureMs: positiveFlag('measure-ms', values['measure-ms']),
  };
}

async function main(): Promise<void> {
  const o = options();
  const clients: readonly FetchBenchClient[] = o.only === undefined ? fetchBenchClients : [o.only];
  const server = await startTlsServer();
  console.log(
    `fetch overhead: closed loop, ${streamsPerSession} streams/session, ` +
      `${o.method === 'POST' ? `${seedBody.length}-byte POST` : 'GET'}, TLS raw server ` +
      `(pid ${server.process.pid}) at ${server.process.url}; ${o.rounds} rounds of ${o.warmupMs} ms ` +
      `warm-up + ${o.measureMs} ms measured per client; node ${process.version} (fetch's undici ` +
      `${process.versions.undici})`,
  );
  const meta: FetchBenchMeta = {
    method: o.method,
    rounds: o.rounds,
    warmupMs: o.warmupMs,
    measureMs: o.measureMs,
    streamsPerSession,
    bodyBytes: o.method === 'POST' ? seedBody.length : 0,
  };
  try {
    for (const sessions of o.sessionCounts) {
      const run = (c: FetchBenchClient) =>
        runClient(c, server, sessions, o.method, o.warmupMs, o.measureMs);
      const figures: Record<FetchBenchClient, RoundFigure[]> = {
        'raw-tls': [],
        'fetch-agent': [],
        'fetch-undici': [],
        'fetch-noop': [],
        'fetch-bare': [],
      };
      // One untimed pass: JIT, fetch's lazily loaded undici, the server's first sessions.
      for (const c of clients) await run(c);
      for (let r = 0; r < o.rounds; r++) {
        for (let k = 0; k < clients.length; k++) {
          const c = clients[(r + k) % clients.length]!;
          figures[c].push(await run(c));
        }
      }
      if (o.only === undefined) {
        reportFetchOverhead(sessions, figures, meta);
        continue;
      }
      const f = figures[o.only];
      console.log(
        `${o.only}, ${sessions} session(s): ${Math.round(median(f.map((x) => x.reqPerS)))} req/s, ` +
          `${median(f.map((x) => x.cpuUsPerReq)).toFixed(1)} µs CPU/request, ` +
          `${f.reduce((s, x) => s + x.failed, 0)} failed (medians of ${o.rounds} rounds); ` +
          `${totalCompleted} requests completed in this process`,
      );
    }
  } finally {
    await server.process.stop();
    server.cleanUp();
  }
}

runBench('fetch-overhead', main);
