/**
 * The seed through `fetch` (issue 16): bench/lib/fetchSeed/fetchSeedRows.ts
 * run once with the issue's figures, printed as a table and appended to
 * bench/results/latest.jsonl. The issue's bounds for h2flow's agent: every
 * fetch settles, 0 timeouts, 0 RST_STREAM at the server; goodput ≥ 0.97 ×
 * the probe of one connection (1 connection), ≥ 0.97 × 3,000/s (max 4).
 * undici's own HTTP/2 is reported beside it.
 *
 * Build and run: `make build && tsc -p tsconfig.bench.json && node .build/bench/fetch-seed.js`
 * (`--duration-s 15`).
 */
import { parseArgs } from 'node:util';
import { type FetchSeedRow, runFetchSeed, seedPlan } from './lib/fetchSeed/fetchSeedRows.js';
import { appendResult, round } from './lib/results.js';

/** The issue's bound on goodput, as a share of what it is compared with. */
const goodputShare = 0.97;

/** Why `row` misses the issue's bounds; empty when it meets them (undici's row is only reported). */
export function seedMisses(row: FetchSeedRow, rateTps: number): string[] {
  if (row.stats === undefined) return [];
  const misses: string[] = [];
  if (row.loop.settled !== row.loop.offered)
    misses.push(`settled ${row.loop.settled} of ${row.loop.offered}`);
  if (row.stats.timedOut > 0) misses.push(`${row.stats.timedOut} timeouts`);
  if (row.serverCancels > 0) misses.push(`${row.serverCancels} RST_STREAM at the server`);
  const against = row.probeTps ?? rateTps;
  if (row.loop.goodputTps < goodputShare * against) {
    misses.push(
      `goodput ${row.loop.goodputTps.toFixed(0)} < ${goodputShare} × ${against.toFixed(0)}`,
    );
  }
  return misses;
}

function line(row: FetchSeedRow, rateTps: number): string {
  const l = row.loop;
  const misses = seedMisses(row, rateTps);
  const share = row.probeTps === undefined ? l.goodputTps / rateTps : l.goodputTps / row.probeTps;
  return [
    row.name.padEnd(30),
    `${l.goodputTps.toFixed(0).padStart(6)}/s`,
    `${share.toFixed(3)} × ${row.probeTps === undefined ? 'offered' : `probe ${row.probeTps.toFixed(0)}`}`.padEnd(
      22,
    ),
    `ok ${l.succeeded}/${l.offered}`.padEnd(16),
    `errors ${JSON.stringify(l.errors)}`.padEnd(44),
    `RST at server ${row.serverCancels}`.padEnd(18),
    `send lag p99 ${l.sendLagP99Ms.toFixed(0)} ms`.padEnd(20),
    row.stats === undefined
      ? 'reported'
      : misses.length === 0
        ? 'ok'
        : `MISS: ${misses.join('; ')}`,
  ].join('  ');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'duration-s': { type: 'string', default: '15' } } });
  const durationMs = Number(values['duration-s']) * 1000;
  if (!(durationMs > 0))
    throw new RangeError(`fetch-seed: bad --duration-s ${values['duration-s']}`);
  const plan = { ...seedPlan, durationMs };
  console.log(
    `fetch seed: ${plan.rateTps}/s for ${durationMs / 1000} s, 5 s budget, TLS to h2flow serve ` +
      `(100 streams x 50 ms); node ${process.version}`,
  );
  await runFetchSeed(plan, (row) => {
    console.log(line(row, plan.rateTps));
    appendResult('fetch-seed', {
      row: row.name,
      goodputTps: round(row.loop.goodputTps, 1),
      probeTps: row.probeTps === undefined ? null : round(row.probeTps, 1),
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

await main();
