/**
 * Efficiency: the adaptive client's goodput as a fraction of what the path
 * can carry, against the embedded server, latency-bound, with the server's
 * own count of wire cancellations.
 *
 * Issue 8's goal: goodput ≥ 0.95 × min(offered, capacity), and 0
 * RST_STREAM(CANCEL) by the server's counter, at 100 streams and 20 ms
 * (5,000 req/s per connection by Little's law: 100 / 0.020 s), offered 1.5×
 * one connection's capacity (7,500 req/s) open-loop, up to 4 connections
 * (capacity 20,000 req/s, so the bound is the offered 7,500).
 *
 * Method: `h2flow serve --latency 20ms --max-streams 100` runs in its own
 * process; `runLoad` (the engine of `h2flow load`) offers the rate
 * open-loop for `--duration` (20 s) with 75-byte JSON POSTs and a 5 s
 * timeout, and leaves the first 20% (4 s: slow start and the first added
 * connection) out of goodput. The server's stats route is read before and
 * after, so its counters witness this run alone. A scaled configuration
 * (100 streams, 50 ms → 2,000 req/s per connection, offered 3,000) runs in
 * the same invocation: on 2 shared cores the client and the server may not
 * both keep up with 7,500 req/s, and the generator's send lag and each
 * process's CPU share say whether they did.
 *
 * Efficiency is itself a ratio of two figures from the same run (goodput
 * over the path's known capacity), so no second client is needed.
 *
 * Build and run: `tsc -p tsconfig.bench.json && node .build/bench/efficiency.js`
 * (or `make bench`). Flags: `--duration-s 20`, `--only full|scaled`.
 * Appends one JSON line per configuration to bench/results/latest.jsonl.
 */
import { join } from 'node:path';
import { runLoad } from '../src/load/runLoad.js';
import { benchArgs, choiceFlag, positiveFlag, runBench } from './lib/benchArgs.js';
import { ownCpuMs, processCpuMs } from './lib/processCpu.js';
import { appendResult, repoRoot, round } from './lib/results.js';
import { seedBody } from './lib/seedBody.js';
import { startServerProcess } from './lib/serverProcess.js';

/** The issue's goals. */
const goalEfficiency = 0.95;
const goalWireCancels = 0;
const streams = 100;
const maxConnections = 4;
const timeoutMs = 5000;
/** One configuration: server latency and the offered rate. */
interface Config {
  readonly name: 'full' | 'scaled';
  readonly latencyMs: number;
  readonly offeredTps: number;
}

const configs: readonly Config[] = [
  { name: 'full', latencyMs: 20, offeredTps: 7500 },
  { name: 'scaled', latencyMs: 50, offeredTps: 3000 },
];

async function runConfig(config: Config, durationMs: number): Promise<boolean> {
  const perConnectionTps = streams / (config.latencyMs / 1000);
  const capacityTps = maxConnections * perConnectionTps;
  const boundTps = Math.min(config.offeredTps, capacityTps);
  const server = await startServerProcess(join(repoRoot(), 'dist', 'cli', 'bin.js'), [
    'serve',
    '--latency',
    `${config.latencyMs}ms`,
    '--max-streams',
    String(streams),
  ]);
  let run: Awaited<ReturnType<typeof runLoad>>;
  const cpu0 = ownCpuMs();
  const srv0 = processCpuMs(server.pid);
  const t0 = performance.now();
  let clientCore = Number.NaN;
  let serverCore = Number.NaN;
  try {
    run = await runLoad({
      url: `${server.url}/`,
      rateTps: config.offeredTps,
      durationMs,
      timeoutMs,
      policy: 'adaptive',
      maxConnections,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: seedBody,
      capacityTps: boundTps,
    });
  } finally {
    // Over the whole run, drain included: the share of a core each process needed.
    const elapsedMs = performance.now() - t0;
    clientCore = (ownCpuMs() - cpu0) / elapsedMs;
    const srv1 = processCpuMs(server.pid);
    if (srv0 !== undefined && srv1 !== undefined) serverCore = (srv1 - srv0) / elapsedMs;
    await server.stop();
  }
  const r = run.result;
  const s = run.serverStats;
  const wireCancels = s === null ? Number.NaN : (s.rstReceived.CANCEL ?? 0);
  const rstTotal = s ? Object.values(s.rstReceived).reduce((a, b) => a + b, 0) : Number.NaN;
  const efficiency = r.goodputTps / boundTps;
  const pass = efficiency >= goalEfficiency && wireCancels === goalWireCancels;
  console.log(
    `\n${config.name}: ${streams} streams, ${config.latencyMs} ms → ${perConnectionTps.toLocaleString('en')} req/s per connection; ` +
      `offered ${config.offeredTps.toLocaleString('en')} req/s open-loop for ${durationMs / 1000} s, adaptive, max ${maxConnections} connections ` +
      `(bound min(offered, ${capacityTps.toLocaleString('en')}) = ${boundTps.toLocaleString('en')})`,
  );
  console.log(
    `  efficiency ${efficiency.toFixed(3)} (goal ≥ ${goalEfficiency}): goodput ${Math.round(r.goodputTps).toLocaleString('en')} req/s after ${Math.round(
      r.durationS * 0.2,
    )} s warm-up; server RST_STREAM(CANCEL) ${wireCancels} (goal ${goalWireCancels}), all RST ${rstTotal}; ` +
      `${pass ? 'meets' : 'MISSES'} the goal`,
  );
  console.log(
    `  submitted ${r.submitted}, succeeded ${r.succeeded}, shed ${r.rejected}, timed out ${r.timedOut}, failed ${r.failed}; ` +
      `connections max ${r.connectionsMax}, path judged ${r.pathState}; queue-wait p99 ${r.queueWaitP99Ms.toFixed(1)} ms, latency p99 ${r.latencyP99Ms.toFixed(1)} ms`,
  );
  console.log(
    `  could the box drive it? generator send lag p99 ${run.generator.sendLagP99Ms.toFixed(1)} ms (max ${run.generator.sendLagMaxMs.toFixed(0)} ms); ` +
      `CPU: client ${Math.round(clientCore * 100)}% of a core, server ${Number.isNaN(serverCore) ? '—' : `${Math.round(serverCore * 100)}%`}; ` +
      `server completed ${s?.streamsCompleted ?? '—'} of ${s?.streamsStarted ?? '—'} streams`,
  );
  // How the controller moved: ready connections and its rate decision, second by second.
  console.log(`  connections by second: ${r.timeline.map((p) => p.connections).join(' ')}`);
  console.log(
    `  rate decision by second: ${r.timeline.map((p) => Math.round(p.rateTps)).join(' ')}`,
  );
  appendResult('efficiency', {
    config: config.name,
    efficiency: round(efficiency),
    goalEfficiency,
    wireCancels,
    goalWireCancels,
    goodputTps: Math.round(r.goodputTps),
    offeredTps: config.offeredTps,
    boundTps,
    latencyMs: config.latencyMs,
    streams,
    maxConnections,
    durationS: durationMs / 1000,
    submitted: r.submitted,
    succeeded: r.succeeded,
    rejected: r.rejected,
    timedOut: r.timedOut,
    failed: r.failed,
    connectionsMax: r.connectionsMax,
    queueWaitP99Ms: round(r.queueWaitP99Ms, 1),
    sendLagP99Ms: round(run.generator.sendLagP99Ms, 1),
    clientCore: round(clientCore, 2),
    serverCore: round(serverCore, 2),
  });
  return pass;
}

const usage = `
usage: node .build/bench/efficiency.js [--duration-s 20] [--only full|scaled]

The adaptive client's goodput as a fraction of what the path can carry,
against h2flow serve in its own process, with the server's own count of
RST_STREAM(CANCEL). Goal (issue 8): ≥ 0.95 and 0 cancels. Needs make build.

  --duration-s N   each configuration's arrival phase, s (20)
  --only NAME      full (20 ms, 7,500/s offered) or scaled (50 ms, 3,000/s)
`;

async function main(): Promise<void> {
  const values = benchArgs(usage, {
    options: {
      'duration-s': { type: 'string', default: '20' },
      only: { type: 'string' },
    },
  });
  const durationMs = positiveFlag('duration-s', values['duration-s']) * 1000;
  if (values.only !== undefined) choiceFlag('only', values.only, ['full', 'scaled']);
  console.log(
    `efficiency: adaptive client vs h2flow serve (separate process), node ${process.version}`,
  );
  let allPass = true;
  for (const c of configs) {
    if (values.only !== undefined && values.only !== c.name) continue;
    allPass = (await runConfig(c, durationMs)) && allPass;
  }
  if (!allPass) console.log('\nefficiency: a configuration missed its goal (see above)');
}

runBench('efficiency', main);
