/**
 * The seed through `fetch` (issue 16): bench/lib/fetchSeed/fetchSeedRows.ts
 * run once with the figures, printed as a table and appended to
 * bench/results/latest.jsonl, judged by bench/lib/fetchSeed/seedVerdict.ts.
 * undici's own HTTP/2 is reported beside h2flow's agent.
 *
 * Build and run: `make build && tsc -p tsconfig.bench.json && node .build/bench/fetch-seed.js`
 * (`--duration-s 15`). `--scale 0.5` runs the same overload at half the rate
 * (1,500/s offered to 100 streams × 100 ms = 1,000/s): on a 2-core box the
 * client's own `fetch` costs ~200 µs of CPU a call, so at 3,000/s the
 * process that calls `fetch`, not the connection, is what saturates.
 */
import { BenchUsageError, benchArgs, positiveFlag, runBench } from './lib/benchArgs.js';
import { type FetchSeedRow, runFetchSeed, seedPlan } from './lib/fetchSeed/fetchSeedRows.js';
import {
  goodputBasisTps,
  isJudged,
  judgedGoodputTps,
  seedMisses,
} from './lib/fetchSeed/seedVerdict.js';
import { appendResult, round } from './lib/results.js';

function line(row: FetchSeedRow, rateTps: number): string {
  const l = row.loop;
  const misses = seedMisses(row, rateTps);
  const basis = goodputBasisTps(row, rateTps);
  const judged = judgedGoodputTps(row);
  const against = row.saturatedTps === undefined ? 'offered' : `saturated ${basis.toFixed(0)}`;
  const verdict = !isJudged(row)
    ? 'reported'
    : misses.length === 0
      ? 'ok'
      : `MISS: ${misses.join('; ')}`;
  return [
    row.name.padEnd(31),
    `${judged.toFixed(0).padStart(6)}/s`,
    `${(judged / basis).toFixed(3)} × ${against}`.padEnd(22),
    `ok ${l.succeeded}/${l.offered}`.padEnd(16),
    `errors ${JSON.stringify(l.errors)}`.padEnd(44),
    `RST at server ${row.serverCancels}`.padEnd(18),
    `send lag p99 ${l.sendLagP99Ms.toFixed(0)} ms`.padEnd(20),
    verdict,
  ].join('  ');
}

const usage = `
usage: node .build/bench/fetch-seed.js [--duration-s 15] [--scale 1]

The seed's overload through Node's global fetch over TLS: 3,000/s offered to
one connection of 100 streams × 50 ms with a 5 s budget, through h2flow's
agent (1 connection, then up to 4) and through undici's own HTTP/2, judged
against issue 16's bounds. Needs make build.

  --duration-s N   arrival phase of each run, s (15)
  --scale F        the same overload at F × the rate (0 < F ≤ 1; 0.5 when the
                   process calling fetch, not the connection, saturates)
`;

async function main(): Promise<void> {
  const values = benchArgs(usage, {
    options: {
      'duration-s': { type: 'string', default: '15' },
      scale: { type: 'string', default: '1' },
    },
  });
  const durationMs = positiveFlag('duration-s', values['duration-s']) * 1000;
  const scale = positiveFlag('scale', values.scale);
  if (scale > 1) throw new BenchUsageError(`--scale must be at most 1, not "${values.scale}"`);
  const plan = {
    ...seedPlan,
    durationMs,
    rateTps: seedPlan.rateTps * scale,
    latencyMs: seedPlan.latencyMs / scale,
  };
  console.log(
    `fetch seed: ${plan.rateTps}/s for ${durationMs / 1000} s, 5 s budget, TLS to h2flow serve ` +
      `(100 streams x ${plan.latencyMs} ms); node ${process.version}`,
  );
  await runFetchSeed(plan, (row) => {
    console.log(line(row, plan.rateTps));
    appendResult('fetch-seed', {
      row: row.name,
      rateTps: plan.rateTps,
      latencyMs: plan.latencyMs,
      goodputTps: round(row.loop.goodputTps, 1),
      steadyGoodputTps: round(row.loop.steadyGoodputTps, 1),
      saturatedTps: row.saturatedTps === undefined ? null : round(row.saturatedTps, 1),
      offered: row.loop.offered,
      succeeded: row.loop.succeeded,
      errors: row.loop.errors,
      serverCancels: row.serverCancels,
      timedOut: row.stats?.timedOut ?? null,
      rejected: row.stats?.rejected ?? null,
      misses: seedMisses(row, plan.rateTps),
    });
  });
}

runBench('fetch-seed', main);
