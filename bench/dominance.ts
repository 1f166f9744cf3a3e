/**
 * The dominance matrix (issue 11): does the adaptive client do no harm on
 * healthy paths, and win on congested ones?
 *
 * For every condition in bench/lib/dominance/conditions.ts the bench runs
 * h2flow's naive client (the `fixed` policy, as `h2flow load --policy
 * naive`) and the adaptive one alternately on the same server, `--rounds`
 * times each (order swapped every round), through the load runner
 * (`runLoad`), and prints per condition the median adaptive ÷ naive goodput
 * (successful responses per second over the whole run, cold start
 * included), wire cancels (client count and the server's own), timeouts,
 * sheds, sheds in the first second, and after the latency spike the time
 * until 100 ms goodput is back at 90% of its pre-spike level. Bounds:
 * - healthy: adaptive ÷ naive ≥ 0.99 and no more wire cancels than naive;
 * - congested, capped at one connection: 0 cancels, 0 timeouts, and
 *   adaptive (after warm-up) ≥ 0.99 × a saturating probe of that one
 *   connection measured just before the adaptive run;
 * - congested, up to 4 connections: 0 cancels, 0 timeouts, ≥ 1.2 × naive.
 *
 * Servers: the embedded test server in its own process (`dist/cli/bin.js
 * serve`, hence `make build`), and the private nginx of `make interop` when
 * nginx and its echo module are installed (skipped with a line otherwise).
 *
 * Flags (or environment): `--duration-s 10` (H2FLOW_DOMINANCE_DURATION_S),
 * `--rounds 3` (H2FLOW_DOMINANCE_ROUNDS), `--server all|embedded|nginx`,
 * `--only <text>` (conditions whose name contains it). One JSON line per
 * condition goes to bench/results/latest.jsonl. The bench reports; it does
 * not fail on a missed bound (the long test asserts them).
 */
import { loadavg } from 'node:os';
import { BenchUsageError, benchArgs, countFlag, positiveFlag, runBench } from './lib/benchArgs.js';
import {
  type DominanceCondition,
  defaultMatrixTiming,
  embeddedConditions,
  type MatrixTiming,
  nginxConditions,
} from './lib/dominance/conditions.js';
import { dominanceTable } from './lib/dominance/dominanceTable.js';
import { startEmbeddedProcess } from './lib/dominance/embeddedServer.js';
import { type DominanceNginx, startDominanceNginx } from './lib/dominance/nginxServer.js';
import { runCondition, type StartConditionServer } from './lib/dominance/runCondition.js';
import { type ConditionSummary, issueBounds, summarize } from './lib/dominance/summarize.js';
import { appendResult, round } from './lib/results.js';

const log = (line: string) => console.log(line);

const usage = `
usage: node .build/bench/dominance.js [--duration-s 10] [--rounds 3] [--server all|embedded|nginx] [--only <text>]

Issue 11's dominance matrix: h2flow's naive and adaptive clients alternately
on the same server, per condition (healthy, capped, uncapped), adaptive ÷
naive goodput, cancels, timeouts and sheds. Needs make build; nginx rows run
when make interop has installed nginx. About 20 minutes at the defaults.

  --duration-s N   arrival phase of each run, s (H2FLOW_DOMINANCE_DURATION_S; 10)
  --rounds N       alternating rounds per condition (H2FLOW_DOMINANCE_ROUNDS; 3)
  --server S       all, embedded or nginx (all)
  --only TEXT      conditions whose name contains TEXT, e.g. --only spike
`;

async function main(): Promise<void> {
  const values = benchArgs(usage, {
    options: {
      'duration-s': { type: 'string', default: process.env.H2FLOW_DOMINANCE_DURATION_S ?? '10' },
      rounds: { type: 'string', default: process.env.H2FLOW_DOMINANCE_ROUNDS ?? '3' },
      server: { type: 'string', default: 'all' },
      only: { type: 'string' },
    },
  });
  const durationMs = positiveFlag('duration-s', values['duration-s']) * 1000;
  const rounds = countFlag('rounds', values.rounds);
  if (!['all', 'embedded', 'nginx'].includes(values.server)) {
    throw new BenchUsageError(`--server must be all, embedded or nginx, not "${values.server}"`);
  }
  const timing: MatrixTiming = {
    ...defaultMatrixTiming,
    durationMs,
    // The spike run needs time before the spike, the spike, and time to recover.
    spikeRunMs: Math.max(durationMs, defaultMatrixTiming.spikeRunMs),
  };
  const wanted = (c: DominanceCondition) =>
    (values.server === 'all' || values.server === c.server) &&
    (values.only === undefined || c.name.includes(values.only));
  const started = performance.now();
  log(
    `dominance: naive vs adaptive, ${rounds} round(s) of ${durationMs / 1000} s per condition, ` +
      `node ${process.version}, load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} (2 shared cores)`,
  );
  const summaries: ConditionSummary[] = [];
  const embedded = embeddedConditions(timing).filter(wanted);
  const startEmbedded: StartConditionServer = async (c) => {
    const server = await startEmbeddedProcess(c.serverOptions);
    return { target: { url: `${server.origin}/` }, stop: () => server.stop() };
  };
  for (const c of embedded) summaries.push(await runOne(c, rounds, startEmbedded, 'embedded'));

  const nginxRows = nginxConditions(timing).filter(wanted);
  if (nginxRows.length > 0) {
    const started = await startDominanceNginx();
    if ('skipped' in started) {
      log(`\ndominance: nginx rows SKIPPED — ${started.skipped}`);
    } else {
      const nginx: DominanceNginx = started.nginx;
      try {
        const startNginxRow: StartConditionServer = async (c) => ({
          target: { url: nginx.url(c.nginxPath), watchCancels: () => nginx.watchCancels() },
          stop: async () => {},
        });
        for (const c of nginxRows)
          summaries.push(await runOne(c, rounds, startNginxRow, nginx.version));
      } finally {
        await nginx.stop();
      }
    }
  }
  log(`\n${dominanceTable(summaries)}`);
  const failed = summaries.filter((s) => s.failed.length > 0).length;
  log(
    `\ndominance: ${summaries.length - failed} of ${summaries.length} conditions within issue 11's bounds ` +
      `(healthy ≥ ${issueBounds.healthyRatio} × naive, capped ≥ ${issueBounds.cappedProbeRatio} × probe); ` +
      `${Math.round((performance.now() - started) / 1000)} s`,
  );
}

async function runOne(
  c: DominanceCondition,
  rounds: number,
  start: StartConditionServer,
  serverLabel: string,
): Promise<ConditionSummary> {
  log(`\n${c.server} · ${c.name} (${c.kind}): ${c.description}`);
  const results = await runCondition(c, rounds, start, log);
  const s = summarize(c, results);
  appendResult('dominance', {
    server: c.server,
    serverVersion: serverLabel,
    condition: c.name,
    kind: c.kind,
    rateTps: c.rateTps,
    timeoutMs: c.timeoutMs,
    durationS: c.durationMs / 1000,
    rounds,
    ratio: round(s.ratio.median),
    ratioMin: round(s.ratio.min),
    ratioMax: round(s.ratio.max),
    probeRatio: s.probeRatio === undefined ? null : round(s.probeRatio.median),
    probeTps: s.probeTps === undefined ? null : Math.round(s.probeTps),
    naive: roundTotals(s.naive),
    adaptive: roundTotals(s.adaptive),
    pass: s.failed.length === 0,
    failed: s.failed,
  });
  return s;
}

function roundTotals(t: ConditionSummary['naive']): Record<string, unknown> {
  return {
    ...t,
    goodputTps: Math.round(t.goodputTps),
    recoveryMs:
      t.recoveryMs === undefined ? null : Number.isFinite(t.recoveryMs) ? t.recoveryMs : 'never',
  };
}

runBench('dominance', main);
