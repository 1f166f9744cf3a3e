/**
 * `make interop`: h2flow against nginx, a server written by other people.
 *
 * nginx (with the echo module) answers every POST after 50 ms and allows
 * 100 concurrent streams per connection, so one connection carries at most
 * 100 / 0.05 s = 2,000 req/s. `h2flow load` offers 3,000 req/s open-loop
 * with 75-byte JSON bodies and a 5 s budget, the seed's set-up (golang/go
 * issue 52845). nginx's error log at `info` is the server-side witness:
 * it records every RST_STREAM it receives for a live stream and every
 * stream it refuses.
 *
 * Runs and bounds (issue 8):
 * - adaptive, at most 1 connection: 0 timeouts, 0 RST_STREAM (none written
 *   by the client, none in nginx's log), goodput ≥ 0.9 × one connection's
 *   capacity (2,000, or what the probe measured if lower);
 * - adaptive, at most 4 connections: goodput ≥ 0.95 × 3,000 (and still 0
 *   timeouts and 0 RST_STREAM);
 * - naive, 1 connection: the seed's failure must show — timeouts, and
 *   RST_STREAM(CANCEL) written (nginx logs only those that reach a stream it
 *   still serves, so its count may be 0 when every cancel came too late);
 * - the same pattern over TLS (ALPN h2, a certificate made at run time),
 *   short: adaptive at most 1 connection, and naive.
 * Each run also serves its client's Prometheus metrics (`--metrics-port`):
 * if `h2flow load` has not exited well after its duration plus one timeout,
 * the watchdog reads its counters there, then kills it, so a hung run is
 * still judged on what its client did.
 * Then nginx is stopped by its pid file, a table is printed, one JSON line
 * per run goes to bench/results/latest.jsonl, and the exit code is 1 if
 * any bound failed.
 *
 * First, the baseline (issue 13): the seed's own client, Go's x/net/http2
 * with StrictMaxConcurrentStreams (`interop/go-strict-client`, built here
 * offline), beside h2flow's naive and adaptive (max 1), at 2,500 and
 * 3,000/s over h2c, Go and naive alternating for two rounds, printed side by
 * side with how far naive's means are from Go's and what nginx's log
 * counted for each run (refusals, GOAWAYs, resets read).
 *
 * Last, `h2flow/undici` under Node's global `fetch` against the same nginx
 * (interop/fetchChecks.ts, issue 16): GET and POST, 10 MiB, an abort
 * mid-body, a shed request's error, `setGlobalDispatcher`, undici 7's
 * handler contract.
 *
 * Flags: `--short` (every run 10 s, baseline 15 s, for trying it out),
 * `--only <name>` (`--only fetch`: the fetch checks alone), `--baseline-only`.
 */
import { readFileSync } from 'node:fs';
import { benchArgs, runBench } from '../bench/lib/benchArgs.js';
import { appendResult } from '../bench/lib/results.js';
import { probeConnectionCapacity } from '../src/load/probeConnectionCapacity.js';
import { type FetchCheck, runFetchChecks } from './fetchChecks.js';
import { buildGoClient, ensureGo, type GoResult, runGoClient } from './goClient.js';
import { type LoadOutcome, type LoadResult, loadArgv, runLoadCli } from './loadCli.js';
import { ensureNginx, freePort, type Nginx, type NginxStreamLog, startNginx } from './nginx.js';

/** Little's law for one nginx connection: 100 streams / 0.05 s. */
const perConnectionTps = 2000;
const offeredTps = 3000;
const timeoutS = 5;
const bodyBytes = 75;

/** What a bound sees of one run. */
interface Observed {
  readonly outcome: LoadOutcome;
  readonly nginx: NginxStreamLog;
  /** What one connection carried just before the run, saturated by a closed loop, req/s (NaN if the probe failed). */
  readonly probeTps: number;
}

interface Bound {
  readonly label: string;
  readonly ok: (o: Observed) => boolean;
}

interface RunSpec {
  readonly name: string;
  readonly tls: boolean;
  readonly policy: 'naive' | 'adaptive';
  readonly connections: number;
  readonly durationS: number;
  /** The goodput the run should reach, req/s (for the table); 0 = none. */
  readonly goodputFloorTps: number;
  readonly bounds: readonly Bound[];
}

const result = (o: Observed) => (o.outcome.kind === 'ok' ? o.outcome.result : undefined);
/** A count from the report, or from the metrics of a run that hung (so the seed's failure is still judged). */
const counted = (o: Observed, key: 'timedOut' | 'cancelledOnWire'): number | undefined =>
  o.outcome.kind === 'ok' ? o.outcome.result[key] : o.outcome.scraped?.[key];
const timedOut = (o: Observed) => counted(o, 'timedOut');
/** RST_STREAM(CANCEL) the client wrote. */
const rstSent = (o: Observed) => counted(o, 'cancelledOnWire');
const exited: Bound = { label: 'load exited with a result', ok: (o) => o.outcome.kind === 'ok' };
const noTimeouts: Bound = { label: '0 timeouts', ok: (o) => timedOut(o) === 0 };
/**
 * No cancel on the wire, by both witnesses: nginx logs a RST_STREAM only when it reaches a stream
 * still being served, so the client's own count of those it wrote must be 0 too.
 */
const noRst: Bound = {
  label: '0 RST_STREAM (sent, and at nginx)',
  ok: (o) => o.nginx.rstReceived === 0 && rstSent(o) === 0,
};
const goodputAtLeast = (tps: number): Bound => ({
  label: `goodput ≥ ${tps.toLocaleString('en')}/s`,
  ok: (o) => (result(o)?.goodputTps ?? 0) >= tps,
});
/**
 * Goodput ≥ 0.9 × one connection's capacity: nginx's model (100 streams ÷ 50 ms = 2,000/s), or what
 * one connection demonstrably carried from this host just before the run, whichever is lower. On a
 * 2-core box shared with the client, a Node client drives one connection at ~1,500–1,900/s, so the
 * model alone would judge the host, not the controller. Both figures are printed.
 */
const goodputOfOneConnection: Bound = {
  label: 'goodput ≥ 0.9 × one connection (min of 2,000 and the probe)',
  ok: (o) => {
    const capacity = Number.isFinite(o.probeTps)
      ? Math.min(perConnectionTps, o.probeTps)
      : perConnectionTps;
    return (result(o)?.goodputTps ?? 0) >= 0.9 * capacity;
  },
};
const someTimeouts: Bound = { label: 'timeouts > 0', ok: (o) => (timedOut(o) ?? 0) > 0 };
/**
 * The seed's failure: cancels on the wire. Counted as the client wrote them, because nginx logs
 * only those that reach a stream it is still serving: CI on 7 Dec saw a TLS naive run write 100
 * whose streams nginx had all answered already (0 logged), where other runs logged 20–56 of 117–153.
 */
const someRst: Bound = {
  label: 'RST_STREAM sent > 0',
  ok: (o) => (rstSent(o) ?? 0) > 0 || o.nginx.rstReceived > 0,
};

function specs(short: boolean): RunSpec[] {
  const long = short ? 10 : 30;
  const adaptive1 = 0.9 * perConnectionTps;
  const adaptive4 = 0.95 * offeredTps;
  return [
    {
      name: 'h2c adaptive max 1',
      tls: false,
      policy: 'adaptive',
      connections: 1,
      durationS: long,
      goodputFloorTps: adaptive1,
      bounds: [exited, noTimeouts, noRst, goodputOfOneConnection],
    },
    {
      name: 'h2c adaptive max 4',
      tls: false,
      policy: 'adaptive',
      connections: 4,
      durationS: long,
      goodputFloorTps: adaptive4,
      bounds: [exited, noTimeouts, noRst, goodputAtLeast(adaptive4)],
    },
    {
      name: 'h2c naive 1 conn',
      tls: false,
      policy: 'naive',
      connections: 1,
      durationS: long,
      goodputFloorTps: 0,
      bounds: [exited, someTimeouts, someRst],
    },
    {
      name: 'tls adaptive max 1',
      tls: true,
      policy: 'adaptive',
      connections: 1,
      durationS: 10,
      goodputFloorTps: adaptive1,
      bounds: [exited, noTimeouts, noRst, goodputOfOneConnection],
    },
    {
      // The naive queue passes the 5 s budget only after ~10 s at 3,000/s
      // into 2,000/s (it grows 1,000/s, drained at 2,000/s), so 15 s.
      name: 'tls naive 1 conn',
      tls: true,
      policy: 'naive',
      connections: 1,
      durationS: 15,
      goodputFloorTps: 0,
      bounds: [exited, someTimeouts, someRst],
    },
  ];
}

interface Row {
  readonly spec: RunSpec;
  readonly observed: Observed;
  readonly failed: readonly string[];
}

const usage = `
usage: make interop   (or: node .build/interop/run.js [--short] [--only NAME] [--baseline-only])

h2flow against nginx (installed here with its echo module, h2c and TLS):
the seed's 3,000/s against one connection of 100 streams × 50 ms, with
nginx's own log as the witness of resets and refusals; first the baseline,
Go's strict client beside h2flow's naive and adaptive; last, h2flow/undici
under Node's global fetch. Exits 1 if a bound fails.

  --short           every run 10 s, the baseline 15 s, for trying it out
  --only NAME       runs whose name contains NAME (--only fetch: the fetch checks)
  --baseline-only   the Go baseline alone
`;

async function main(): Promise<void> {
  const values = benchArgs(usage, {
    options: {
      short: { type: 'boolean', default: false },
      only: { type: 'string' },
      'baseline-only': { type: 'boolean', default: false },
    },
  });
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const started = performance.now();
  const bin = ensureNginx(log);
  const nginx = await startNginx(bin, { serverTemplate: 'fetch-server.conf.template' });
  log(
    `interop: ${nginx.version}, h2c ${nginx.h2cUrl}, TLS ${nginx.tlsUrl}, config in ${nginx.dir}`,
  );
  const rows: Row[] = [];
  let fetchChecks: FetchCheck[] = [];
  const fetchOnly = values.only === 'fetch';
  try {
    if (!fetchOnly) log(`\n${await baseline(nginx, values.short ? 15 : 30, log)}`);
    for (const spec of values['baseline-only'] || fetchOnly ? [] : specs(values.short)) {
      if (values.only !== undefined && values.only !== spec.name) continue;
      const args = {
        url: spec.tls ? nginx.tlsUrl : nginx.h2cUrl,
        policy: spec.policy,
        connections: spec.connections,
        rateTps: offeredTps,
        durationS: spec.durationS,
        timeoutS,
        bodyBytes,
        caPath: spec.tls ? nginx.caPath : undefined,
        metricsPort: await freePort(),
      };
      log(`\n${spec.name}: h2flow ${loadArgv(args).join(' ')}`);
      const probeTps = await probe(args.url, args.caPath);
      const offset = nginx.logOffset();
      const outcome = await runLoadCli(args);
      // nginx writes a line as it handles each frame; a moment lets the last ones land.
      await new Promise((r) => setTimeout(r, 300));
      const observed: Observed = { outcome, nginx: nginx.streamLogSince(offset), probeTps };
      const failed = spec.bounds.filter((b) => !b.ok(observed)).map((b) => b.label);
      rows.push({ spec, observed, failed });
      log(describe(observed, failed));
      record(spec, observed, failed, nginx.version);
    }
    if (!values['baseline-only'] && (values.only === undefined || fetchOnly)) {
      log("\nh2flow/undici under Node's global fetch, against the same nginx:");
      fetchChecks = await runFetchChecks(nginx);
      for (const c of fetchChecks) log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
    }
  } finally {
    await nginx.stop();
  }
  log(`\n${table(rows)}`);
  const wallS = (performance.now() - started) / 1000;
  const failures = [
    ...rows.filter((r) => r.failed.length > 0).map((r) => `${r.spec.name}: ${r.failed.join(', ')}`),
    ...fetchChecks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`),
  ];
  log(
    failures.length === 0
      ? `\ninterop: every bound held (${Math.round(wallS)} s)`
      : `\ninterop: FAILED — ${failures.join('; ')} (${Math.round(wallS)} s)`,
  );
  if (failures.length > 0) process.exitCode = 1;
}

/**
 * One connection's capacity as a client on this machine sees it right now:
 * the load engine's probe keeps every stream slot busy for 2 s. nginx's
 * model says 2,000 req/s; on a busy 2-core box the client's own event-loop
 * delay lengthens every slot's hold and the figure comes out lower. It is
 * context for the goodput bounds, not a bound itself. Its streams end
 * cleanly, so it adds nothing to the RST counts read after it.
 */
async function probe(url: string, caPath: string | undefined): Promise<number> {
  try {
    const p = await probeConnectionCapacity(url, {
      durationMs: 2000,
      warmupMs: 500,
      ...(caPath === undefined ? {} : { ca: readFileSync(caPath) }),
    });
    return p.completedTps;
  } catch {
    return Number.NaN;
  }
}

function describe(o: Observed, failed: readonly string[]): string {
  const n = o.nginx;
  const probeLine = `one connection, probed just before: ${Math.round(o.probeTps).toLocaleString('en')} req/s`;
  const nginxLine = `nginx: ${n.rstReceived} RST_STREAM (${n.cancel} CANCEL), ${n.refused} refused, ${n.goawayTooManyRefused} GOAWAY for too many refusals, ${n.errors} error lines`;
  const verdict = failed.length === 0 ? 'bounds held' : `FAILED: ${failed.join(', ')}`;
  if (o.outcome.kind !== 'ok') {
    const m = o.outcome.scraped;
    const metricsLine =
      m === undefined
        ? 'its metrics could not be read'
        : `its metrics before the kill: succeeded ${m.succeeded}, timed out ${m.timedOut}, shed ${m.rejected}, failed ${m.failed}, RST sent ${m.cancelledOnWire}; sessions ready ${m.sessionsReady}, draining ${m.sessionsDraining}`;
    return `  ${o.outcome.detail}\n  ${metricsLine}\n  ${probeLine}\n  ${nginxLine}\n  ${verdict}`;
  }
  const r = o.outcome.result;
  return (
    `  goodput ${Math.round(r.goodputTps).toLocaleString('en')}/s; submitted ${r.submitted}, succeeded ${r.succeeded}, ` +
    `timed out ${r.timedOut}, shed ${r.rejected}, failed ${r.failed}, RST sent ${r.cancelledOnWire}, retries ${r.retries}; ` +
    `connections max ${r.connectionsMax}, queue-wait p99 ${Math.round(r.queueWaitP99Ms)} ms\n  ${probeLine}\n  ${nginxLine}\n  ${verdict}`
  );
}

function table(rows: readonly Row[]): string {
  const header = [
    'run',
    'goodput/s',
    'floor',
    'probe/conn',
    'timed out',
    'shed',
    'RST sent',
    'nginx RST',
    'refused',
    'result',
  ];
  const lines = rows.map((row) => {
    const out = row.observed.outcome;
    const r = out.kind === 'ok' ? out.result : undefined;
    const m = out.kind === 'ok' ? undefined : out.scraped;
    const n = row.observed.nginx;
    const num = (x: number | undefined): string =>
      x === undefined ? '—' : Math.round(x).toLocaleString('en');
    return [
      row.spec.name,
      num(r?.goodputTps),
      row.spec.goodputFloorTps > 0 ? num(row.spec.goodputFloorTps) : 'fails',
      Number.isNaN(row.observed.probeTps) ? '—' : num(row.observed.probeTps),
      num(r?.timedOut ?? m?.timedOut),
      num(r?.rejected ?? m?.rejected),
      num(r?.cancelledOnWire ?? m?.cancelledOnWire),
      num(n.rstReceived),
      num(n.refused),
      row.failed.length === 0
        ? 'ok'
        : row.observed.outcome.kind === 'ok'
          ? 'FAIL'
          : row.observed.outcome.kind.toUpperCase(),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}

function record(spec: RunSpec, o: Observed, failed: readonly string[], version: string): void {
  const r = o.outcome.kind === 'ok' ? o.outcome.result : undefined;
  const m = o.outcome.kind === 'ok' ? undefined : o.outcome.scraped;
  appendResult('interop', {
    run: spec.name,
    server: version,
    offeredTps,
    durationS: spec.durationS,
    outcome: o.outcome.kind,
    goodputTps: r === undefined ? null : Math.round(r.goodputTps),
    goodputFloorTps: spec.goodputFloorTps,
    timedOut: r?.timedOut ?? m?.timedOut ?? null,
    rejected: r?.rejected ?? m?.rejected ?? null,
    cancelledOnWire: r?.cancelledOnWire ?? m?.cancelledOnWire ?? null,
    ...(m === undefined ? {} : { scrapedBeforeKill: m }),
    connectionsMax: r?.connectionsMax ?? null,
    probeTps: Number.isNaN(o.probeTps) ? null : Math.round(o.probeTps),
    nginxRst: o.nginx.rstReceived,
    nginxRefused: o.nginx.refused,
    nginxGoawayTooManyRefused: o.nginx.goawayTooManyRefused,
    pass: failed.length === 0,
    failed,
  });
}

/** The rates golang/go#52845 reported against: 2,500/s (7-8% timed out) and 3,000/s (21-25%). */
const baselineRatesTps = [2500, 3000];
/**
 * Go and naive alternate this many times per rate: Go's own timed-out share
 * at 3,000/s spreads over 8 points between runs (docs/load.md), so one run
 * is a weak reference.
 */
const baselineRounds = 2;

/**
 * The seed's own client beside h2flow's naive and adaptive (max 1) runs, at
 * each baseline rate over h2c with the same body, budget and duration, and
 * whether the naive run is within 10% of Go's goodput and timeout fraction,
 * with what nginx's log says each client's run made it do: streams refused
 * over its limit (it still counts a cancelled stream until its handler
 * ends), connections it ended for "too many refused streams", and resets it
 * read. Measured and printed, not a bound: docs/benchmarks.md keeps the
 * figures.
 */
async function baseline(
  nginx: Nginx,
  durationS: number,
  log: (line: string) => void,
): Promise<string> {
  const url = nginx.h2cUrl;
  ensureGo(log);
  const bin = buildGoClient();
  const rows: string[][] = [
    [
      'rate/s',
      'client',
      'goodput/s',
      'timed out',
      'failed',
      'nginx refused',
      'nginx GOAWAYs',
      'nginx read RST',
      'naive vs Go',
    ],
  ];
  /** Runs `run` and returns its result with what nginx logged meanwhile. */
  const witnessed = async <T>(run: () => T | Promise<T>): Promise<[T, NginxStreamLog]> => {
    const offset = nginx.logOffset();
    const result = await run();
    // nginx writes a line as it handles each frame; a moment lets the last ones land.
    await new Promise((r) => setTimeout(r, 300));
    return [result, nginx.streamLogSince(offset)];
  };
  for (const rateTps of baselineRatesTps) {
    log(
      `baseline ${rateTps}/s: Go strict and h2flow naive alternately (${baselineRounds} rounds), then h2flow adaptive (max 1), ${durationS} s each`,
    );
    const h2flow = async (policy: 'naive' | 'adaptive'): Promise<LoadResult | undefined> => {
      const args = { url, policy, connections: 1, rateTps, durationS, timeoutS, bodyBytes };
      const out = await runLoadCli(args);
      return out.kind === 'ok' ? out.result : undefined;
    };
    const goRuns: [GoResult, NginxStreamLog][] = [];
    const naiveRuns: [LoadResult | undefined, NginxStreamLog][] = [];
    for (let round = 0; round < baselineRounds; round++) {
      goRuns.push(await witnessed(() => runGoClient(bin, url, rateTps, durationS)));
      naiveRuns.push(await witnessed(() => h2flow('naive')));
    }
    const [adaptive, adaptiveLog] = await witnessed(() => h2flow('adaptive'));
    const row = (
      name: string,
      r: GoResult | LoadResult | undefined,
      n: NginxStreamLog,
      note = '',
    ): string[] => [
      String(rateTps),
      name,
      r === undefined ? '—' : Math.round(r.goodputTps).toLocaleString('en'),
      r === undefined ? '—' : `${((100 * r.timedOut) / r.submitted).toFixed(1)}%`,
      r === undefined ? '—' : `${((100 * r.failed) / r.submitted).toFixed(1)}%`,
      n.refused.toLocaleString('en'),
      n.goawayTooManyRefused.toLocaleString('en'),
      n.rstReceived.toLocaleString('en'),
      note,
    ];
    const naives = naiveRuns.map(([r]) => r).filter((r): r is LoadResult => r !== undefined);
    const verdict =
      naives.length === baselineRounds
        ? withinTenPercent(
            naives,
            goRuns.map(([r]) => r),
          )
        : '';
    goRuns.forEach(([go, goLog], i) => {
      rows.push(row(`Go strict (${go.goVersion}), round ${i + 1}`, go, goLog));
      const [naive, naiveLog] = naiveRuns[i]!;
      const last = i === baselineRounds - 1;
      rows.push(row(`h2flow naive, round ${i + 1}`, naive, naiveLog, last ? verdict : ''));
    });
    rows.push(row('h2flow adaptive (max 1)', adaptive, adaptiveLog));
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

/**
 * Goodput and timeout fraction of naive against Go's, each the mean over
 * the alternating rounds: goodput within 10% (relative), and the timed-out
 * share within 10% of Go's or, when Go's is near 0, within one percentage
 * point; else how far off.
 */
function withinTenPercent(naives: readonly LoadResult[], gos: readonly GoResult[]): string {
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const goodput = mean(naives.map((r) => r.goodputTps)) / mean(gos.map((r) => r.goodputTps)) - 1;
  const naiveShare = mean(naives.map((r) => r.timedOut / r.submitted));
  const goShare = mean(gos.map((r) => r.timedOut / r.submitted));
  const sharesClose = Math.abs(naiveShare - goShare) <= Math.max(0.1 * goShare, 0.01);
  const ok = Math.abs(goodput) <= 0.1 && sharesClose;
  const signed = (x: number, unit: string): string =>
    `${x >= 0 ? '+' : ''}${(Math.round(1000 * x) / 10).toFixed(1)}${unit}`;
  return `means of ${naives.length} rounds ${ok ? 'within 10%' : 'OFF'}: goodput ${signed(goodput, '%')}, timed out ${signed(naiveShare - goShare, ' pts')}`;
}

runBench('interop', main);
