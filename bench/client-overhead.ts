/**
 * Client overhead: h2flow's throughput as a ratio of a minimal raw
 * `node:http2` client's, on the same number of sessions, against the same
 * loopback server in a separate process, CPU-bound (the server answers at
 * once) with a 75-byte JSON POST.
 *
 * Issue 8's goal: h2flow req/s ÷ raw req/s ≥ 0.9 for 1 and 4 sessions.
 *
 * Method. Every client runs the same closed loop: `streamsPerSession` (100)
 * requests in flight per session, each answered one replaced at once, so
 * each is as fast as its own CPU lets it be. Clients:
 * - `raw`: bench/lib/rawClosedLoop.ts, node:http2 and nothing else;
 * - `fixed`: `createClient` with policy `fixed`, `connections` = sessions;
 * - `adaptive`: `createClient` with policy `adaptive`, `maxConnections` =
 *   sessions (it starts on one and opens more when slots are the bottleneck);
 * - `h2load` (when installed): nghttp2's C client, same sessions and streams.
 * Each round runs every client once, in an order rotated per round, with a
 * fresh client each time: `warmupMs` unmeasured (connect, JIT, the adaptive
 * client's slow start), then `measureMs` counted. A client's figure in a
 * round is its ratio to the raw client's in that same round; the bench
 * reports the median ratio over rounds and its spread (min–max), because
 * the 2 cores are shared and absolute rates drift from minute to minute.
 * The client's CPU per request (process.cpuUsage) and the server's CPU
 * share (/proc) are printed too: a server near 100% of its core would mean
 * the server, not the client, limited the round.
 *
 * The server is bench/lib/rawServer.ts (default), node:http2 answering at
 * once, or `--server h2flow` for `h2flow serve --latency 0ms --max-streams 100`,
 * whose counters and capacity model cost more per request.
 *
 * `--isolate` runs every round of raw, fixed and adaptive in a fresh process
 * (bench/lib/isolatedLoop.ts), still rotated per round against the one
 * server: node:http2's own cost depends on what ran before it in a process
 * (h2flow's transport allocates ~1 KiB a request more once a raw loop has
 * run beside it), so a shared process measures h2flow as part of a larger
 * program and `--isolate` measures it alone.
 *
 * Build and run: `tsc -p tsconfig.bench.json && node .build/bench/client-overhead.js`
 * (or `make bench`). Flags: `--rounds N` (5), `--sessions 1,4`, `--isolate`,
 * `--server raw|h2flow`, `--warmup-ms`, `--measure-ms`, and `--only <client>`
 * (that client alone, nothing recorded: for `node --cpu-prof`, summarised by
 * bench/lib/profileAreas.ts). Appends one JSON line per (sessions, client)
 * to bench/results/latest.jsonl.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import type { ClosedLoop } from './lib/closedLoop.js';
import { h2loadInstalled, runH2load } from './lib/h2load.js';
import { childRound, measureInChild } from './lib/isolatedLoop.js';
import { measureLoop, type RoundFigure } from './lib/measureLoop.js';
import { processCpuMs } from './lib/processCpu.js';
import { appendResult, formatSpread, median, repoRoot, round, spread } from './lib/results.js';
import { seedBody } from './lib/seedBody.js';
import { type ServerProcess, startServerProcess } from './lib/serverProcess.js';
import { type LoopClient, startClosedLoop } from './lib/startClosedLoop.js';

/** The issue's goal for h2flow req/s ÷ raw req/s. */
const goalRatio = 0.9;
/** Streams in flight per session for every client: the server's SETTINGS_MAX_CONCURRENT_STREAMS. */
const streamsPerSession = 100;

type ClientName = LoopClient | 'h2load';

/** Requests every closed loop in this process completed, warm-up included (for a CPU profile's per-request cost). */
let totalCompleted = 0;

/** {@link measureLoop} against `server`, adding to {@link totalCompleted}. */
async function measureLoopOn(
  start: () => Promise<ClosedLoop> | ClosedLoop,
  server: ServerProcess,
  warmupMs: number,
  measureMs: number,
): Promise<RoundFigure> {
  const run = await measureLoop(start, server.pid, warmupMs, measureMs);
  totalCompleted += run.totalCompleted;
  return run;
}

async function measureH2load(
  server: ServerProcess,
  sessions: number,
  bodyPath: string,
  warmupMs: number,
  measureMs: number,
): Promise<RoundFigure> {
  const srv0 = processCpuMs(server.pid);
  const t0 = performance.now();
  const r = await runH2load(
    server.url,
    sessions,
    streamsPerSession,
    bodyPath,
    warmupMs / 1000,
    measureMs / 1000,
  );
  const srv1 = processCpuMs(server.pid);
  const elapsed = performance.now() - t0;
  return {
    reqPerS: r.reqPerS,
    cpuUsPerReq: Number.NaN,
    // Over warm-up and measurement together: h2load reports only its own rate.
    serverCore: srv0 === undefined || srv1 === undefined ? Number.NaN : (srv1 - srv0) / elapsed,
    failed: r.failed,
    // h2load is another process: nothing of this one's heap to report.
    allocatedBytesPerReq: Number.NaN,
    promotedBytesPerReq: Number.NaN,
  };
}

const usage = `
usage: node .build/bench/client-overhead.js [--rounds 5] [--sessions 1,4] [--server raw|h2flow]
         [--warmup-ms 1500] [--measure-ms 2000] [--isolate]
         [--only raw|transport|fixed|adaptive|h2load]

h2flow's CPU per request and throughput as ratios of a raw node:http2 client's:
closed loops of 100 streams per session, 75-byte POSTs, one server in its own
process, clients rotated per round. Goal (issue 15): CPU ≤ 1.15 × raw and
req/s ≥ 0.9 × raw, for fixed and adaptive. The transport row is h2flow's
node:http2 transport alone (no limiter, no client), to split the cost; it has
no goal. Each row also gives the KiB the process allocated per request, which
repeats to a tenth where CPU moves by ±10%. h2load rows appear when
nghttp2-client is installed.

  --rounds N         rounds per session count (5); 15 steadies the medians here
  --sessions LIST    session counts, comma-separated (1,4)
  --server S         raw (node:http2 answering at once) or h2flow (h2flow serve)
  --warmup-ms N      unmeasured time per client and round (1500)
  --measure-ms N     measured time per client and round (2000)
  --isolate          each round of every client in a fresh process
  --only CLIENT      that client alone, nothing recorded (for node --cpu-prof)
`;

async function main(): Promise<void> {
  const values = benchArgs(usage, {
    options: {
      rounds: { type: 'string', default: '5' },
      sessions: { type: 'string', default: '1,4' },
      server: { type: 'string', default: 'raw' },
      'warmup-ms': { type: 'string', default: '1500' },
      'measure-ms': { type: 'string', default: '2000' },
      only: { type: 'string' },
      isolate: { type: 'boolean', default: false },
      child: { type: 'string' },
      url: { type: 'string' },
      'server-pid': { type: 'string' },
    },
  });
  if (values.child !== undefined) return runChild(values);
  const only =
    values.only === undefined
      ? undefined
      : choiceFlag<ClientName>('only', values.only, [
          'raw',
          'transport',
          'fixed',
          'adaptive',
          'h2load',
        ]);
  const rounds = countFlag('rounds', values.rounds);
  const sessionCounts = countsFlag('sessions', values.sessions);
  const warmupMs = positiveFlag('warmup-ms', values['warmup-ms']);
  const measureMs = positiveFlag('measure-ms', values['measure-ms']);
  const serverKind = choiceFlag('server', values.server, ['raw', 'h2flow']);

  const here = dirname(fileURLToPath(import.meta.url));
  const server =
    serverKind === 'raw'
      ? await startServerProcess(join(here, 'lib', 'rawServer.js'), [String(streamsPerSession)])
      : await startServerProcess(join(repoRoot(), 'dist', 'cli', 'bin.js'), [
          'serve',
          '--latency',
          '0ms',
          '--max-streams',
          String(streamsPerSession),
        ]);
  const tmp = mkdtempSync(join(tmpdir(), 'h2flow-bench-'));
  const bodyPath = join(tmp, 'body.json');
  writeFileSync(bodyPath, seedBody);
  const withH2load = h2loadInstalled();
  const clients: ClientName[] =
    only !== undefined
      ? [only]
      : ['raw', 'transport', 'fixed', 'adaptive', ...(withH2load ? ['h2load' as const] : [])];
  console.log(
    `client overhead: closed loop, ${streamsPerSession} streams/session, ${seedBody.length}-byte POST, ` +
      `${serverKind} server (pid ${server.pid}) at ${server.url}; ${rounds} rounds of ` +
      `${warmupMs} ms warm-up + ${measureMs} ms measured per client, ` +
      `${values.isolate ? 'each round in a process of its own' : 'all in this process'}; node ${process.version}` +
      (withH2load ? '' : '; h2load not installed (apt-get install nghttp2-client)'),
  );

  try {
    for (const sessions of sessionCounts) {
      const figures: Record<ClientName, RoundFigure[]> = {
        raw: [],
        transport: [],
        fixed: [],
        adaptive: [],
        h2load: [],
      };
      const run = (c: ClientName): Promise<RoundFigure> => {
        if (c === 'h2load') return measureH2load(server, sessions, bodyPath, warmupMs, measureMs);
        if (values.isolate) {
          return measureInChild(fileURLToPath(import.meta.url), {
            client: c,
            url: server.url,
            serverPid: server.pid,
            sessions,
            warmupMs,
            measureMs,
          });
        }
        return measureLoopOn(
          () => startClosedLoop(c, server.url, sessions, streamsPerSession, seedBody),
          server,
          warmupMs,
          measureMs,
        );
      };
      // One untimed pass, so JIT and the server's first sessions are out of the way (a child warms its own).
      if (!values.isolate) for (const c of clients) if (c !== 'h2load') await run(c);
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < clients.length; k++) {
          const c = clients[(r + k) % clients.length]!;
          figures[c].push(await run(c));
        }
      }
      if (only === undefined) {
        report(sessions, clients, figures, {
          rounds,
          warmupMs,
          measureMs,
          serverKind,
          method: values.isolate ? 'process-per-round' : 'one-process',
        });
        continue;
      }
      // One client alone, for a profile: its own figures, no ratio, nothing recorded.
      const f = figures[only];
      console.log(
        `${only}, ${sessions} session(s): ${Math.round(median(f.map((x) => x.reqPerS)))} req/s, ` +
          `${median(f.map((x) => x.cpuUsPerReq)).toFixed(1)} µs CPU/request (medians of ${rounds} rounds); ` +
          `${totalCompleted} requests completed in this process`,
      );
    }
  } finally {
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `--child`: one round of one client in this process, its figure printed as a JSON line (bench/lib/isolatedLoop.ts). */
async function runChild(values: Record<string, string | boolean | undefined>): Promise<void> {
  const r = childRound(values);
  const client = choiceFlag<LoopClient>('child', r.client, [
    'raw',
    'transport',
    'fixed',
    'adaptive',
  ]);
  const figure = await measureLoop(
    () => startClosedLoop(client, r.url, r.sessions, streamsPerSession, seedBody),
    r.serverPid,
    r.warmupMs,
    r.measureMs,
  );
  console.log(JSON.stringify(figure));
}

/** Prints one session count's table and appends its JSON lines. */
function report(
  sessions: number,
  clients: readonly ClientName[],
  figures: Record<ClientName, RoundFigure[]>,
  meta: {
    rounds: number;
    warmupMs: number;
    measureMs: number;
    serverKind: string;
    method: string;
  },
): void {
  const raw = figures.raw;
  console.log(`\n${sessions} session${sessions === 1 ? '' : 's'}:`);
  console.log(
    '  client     req/s (median)  ÷ raw, median (min–max)  CPU µs/req  ÷ raw CPU  server core  KiB/req allocated, promoted',
  );
  for (const c of clients) {
    const f = figures[c];
    const ratio = spread(f.map((x, i) => x.reqPerS / raw[i]!.reqPerS));
    const cpu = median(f.map((x) => x.cpuUsPerReq));
    const cpuRatio = median(f.map((x, i) => x.cpuUsPerReq / raw[i]!.cpuUsPerReq));
    const core = median(f.map((x) => x.serverCore));
    const allocatedKiB = median(f.map((x) => x.allocatedBytesPerReq)) / 1024;
    const promotedKiB = median(f.map((x) => x.promotedBytesPerReq)) / 1024;
    const failed = f.reduce((s, x) => s + x.failed, 0);
    const dash = (v: number, digits: number, width: number): string =>
      (Number.isNaN(v) ? '—' : v.toFixed(digits)).padStart(width);
    console.log(
      `  ${c.padEnd(10)}${Math.round(median(f.map((x) => x.reqPerS)))
        .toLocaleString('en')
        .padStart(
          14,
        )}  ${formatSpread(ratio).padStart(23)}  ${dash(cpu, 1, 10)}  ${dash(cpuRatio, 2, 9)}  ` +
        `${(Number.isNaN(core) ? '—' : `${Math.round(core * 100)}%`).padStart(11)}  ` +
        `${dash(allocatedKiB, 1, 8)}, ${Number.isNaN(promotedKiB) ? '—' : promotedKiB.toFixed(1)}` +
        (failed > 0 ? `  (${failed} failed)` : ''),
    );
    if (c === 'raw') continue;
    const goal = c === 'h2load' || c === 'transport' ? undefined : goalRatio;
    appendResult('client-overhead', {
      sessions,
      client: c,
      ratio: round(ratio.median),
      ratioMin: round(ratio.min),
      ratioMax: round(ratio.max),
      ...(goal !== undefined
        ? { goalRatio: goal }
        : c === 'h2load'
          ? { note: 'h2flow-fixed ÷ h2load is in h2flowOverH2load' }
          : { note: "h2flow's transport alone, no limiter: no goal" }),
      ...(c === 'h2load'
        ? {
            h2flowOverH2load: round(median(figures.fixed.map((x, i) => x.reqPerS / f[i]!.reqPerS))),
            adaptiveOverH2load: round(
              median(figures.adaptive.map((x, i) => x.reqPerS / f[i]!.reqPerS)),
            ),
          }
        : { cpuRatio: round(cpuRatio) }),
      reqPerS: Math.round(median(f.map((x) => x.reqPerS))),
      rawReqPerS: Math.round(median(raw.map((x) => x.reqPerS))),
      ...(Number.isNaN(allocatedKiB)
        ? {}
        : {
            allocatedKiBPerReq: round(allocatedKiB, 1),
            rawAllocatedKiBPerReq: round(median(raw.map((x) => x.allocatedBytesPerReq)) / 1024, 1),
          }),
      serverCore: round(core, 2),
      server: meta.serverKind,
      method: meta.method,
      streamsPerSession,
      bodyBytes: seedBody.length,
      rounds: meta.rounds,
      warmupMs: meta.warmupMs,
      measureMs: meta.measureMs,
    });
  }
  if (clients.includes('h2load')) {
    const h = figures.h2load;
    const fixed = spread(figures.fixed.map((x, i) => x.reqPerS / h[i]!.reqPerS));
    const adaptive = spread(figures.adaptive.map((x, i) => x.reqPerS / h[i]!.reqPerS));
    console.log(
      `  distance to the C ceiling: h2flow fixed ÷ h2load ${formatSpread(fixed)}, ` +
        `adaptive ÷ h2load ${formatSpread(adaptive)}`,
    );
  }
}

runBench('client-overhead', main);
