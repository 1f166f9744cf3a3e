/**
 * Which waiter Go's strict transport serves, measured per request (issue
 * 13): runs the seed's client (`interop/go-strict-client`) against the
 * private nginx of `make interop` with `-requests`, and prints, for each
 * second of the run, how many requests were sent and how long those had
 * waited (p10, p50, p90), how many of that second's arrivals timed out, and
 * how many were sent only to time out in flight. A first-in-first-out queue
 * shows waits that grow steadily; a restart shows waits falling back to
 * near 0 while the arrivals of the seconds before all time out.
 *
 *   make interop   # once: installs nginx and Go, builds .build/interop/
 *   node .build/interop/wakeOrder.js --rate 2500 [--duration 30] [--runs 1]
 *
 * docs/load.md ("The naive policy: Go's order, measured") has what it showed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs, countFlag, positiveFlag, runBench } from '../bench/lib/benchArgs.js';
import { buildGoClient, ensureGo, runGoClient } from './goClient.js';
import { ensureNginx, startNginx } from './nginx.js';

/** One request's life, µs from the run's start; `wroteUs` is -1 if it was never sent. */
interface Timing {
  readonly arrivedUs: number;
  readonly wroteUs: number;
  readonly settledUs: number;
  /** 0 ok, 1 timed out, 2 failed. */
  readonly outcome: number;
  /** Connections it was given: one per attempt (Go retries after REFUSED_STREAM and GOAWAY). */
  readonly attempts: number;
}

function readTimings(path: string): Timing[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [arrivedUs, wroteUs, settledUs, outcome, attempts] = line.split(',').map(Number);
      return {
        arrivedUs: arrivedUs!,
        wroteUs: wroteUs!,
        settledUs: settledUs!,
        outcome: outcome!,
        attempts: attempts!,
      };
    });
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** The per-second table and the run's totals. */
export function wakeOrderTable(timings: readonly Timing[]): string {
  const seconds = Math.ceil(
    Math.max(...timings.map((t) => Math.max(t.wroteUs, t.arrivedUs))) / 1e6,
  );
  const waits: number[][] = Array.from({ length: seconds + 1 }, () => []);
  const arrivals = new Array<number>(seconds + 1).fill(0);
  const timedOut = new Array<number>(seconds + 1).fill(0);
  const lateSends = new Array<number>(seconds + 1).fill(0);
  for (const t of timings) {
    const arrivedS = Math.floor(t.arrivedUs / 1e6);
    arrivals[arrivedS]!++;
    if (t.outcome === 1) timedOut[arrivedS]!++;
    if (t.wroteUs < 0) continue;
    const sentS = Math.floor(t.wroteUs / 1e6);
    waits[sentS]!.push((t.wroteUs - t.arrivedUs) / 1000);
    if (t.outcome === 1) lateSends[sentS]!++;
  }
  const lines = [
    '  s   sent  waited p10   p50   p90 ms   arrived  of them timed out   sent, then timed out',
  ];
  for (let s = 0; s <= seconds; s++) {
    const w = waits[s]!.sort((a, b) => a - b);
    const ms = (x: number) => (Number.isNaN(x) ? '—' : Math.round(x).toString()).padStart(5);
    lines.push(
      `${String(s).padStart(3)}  ${String(w.length).padStart(5)}  ${ms(quantile(w, 0.1))} ${ms(quantile(w, 0.5))} ${ms(quantile(w, 0.9))}     ${String(arrivals[s]).padStart(7)}  ${String(timedOut[s]).padStart(17)}  ${String(lateSends[s]).padStart(21)}`,
    );
  }
  const total = timings.length;
  const out = timings.filter((t) => t.outcome === 1);
  const unsent = out.filter((t) => t.wroteUs < 0);
  const retried = unsent.filter((t) => t.attempts >= 3).length;
  lines.push(
    `timed out ${out.length} of ${total} (${((100 * out.length) / total).toFixed(1)}%): ${unsent.length} never sent, ${out.length - unsent.length} sent and then timed out`,
    `of those never sent, ${retried} had been retried twice or more (so waited out Go's 1 s backoff at least once)`,
  );
  return lines.join('\n');
}

const usage = `
usage: node .build/interop/wakeOrder.js [--rate 2500] [--duration 30] [--runs 1]

Which waiter Go's strict transport serves, second by second: the seed's Go
client against make interop's nginx, with how long the requests sent each
second had waited and how many of each second's arrivals timed out. Needs
make interop once (nginx and Go).

  --rate N       offered requests/s (2500)
  --duration N   seconds per run (30)
  --runs N       runs (1)
  --keep DIR     keep each run's per-request CSV in DIR (runN.csv): arrival,
                 HEADERS written (-1 never), settled, outcome (0 ok, 1 timed
                 out, 2 failed), attempts, local port, last attempt, in µs
`;

async function main(): Promise<void> {
  const values = benchArgs(usage, {
    options: {
      rate: { type: 'string', default: '2500' },
      duration: { type: 'string', default: '30' },
      runs: { type: 'string', default: '1' },
      keep: { type: 'string' },
    },
  });
  const rateTps = positiveFlag('rate', values.rate);
  const durationS = positiveFlag('duration', values.duration);
  const runs = countFlag('runs', values.runs);
  ensureGo(console.log);
  const bin = buildGoClient();
  const nginx = await startNginx(ensureNginx(console.log));
  const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'h2flow-wake-order-'));
  mkdirSync(dir, { recursive: true });
  try {
    for (let run = 1; run <= runs; run++) {
      const csv = join(dir, `run${run}.csv`);
      const result = runGoClient(bin, nginx.h2cUrl, rateTps, durationS, csv);
      console.log(
        `\nGo strict (${result.goVersion}), ${rateTps}/s for ${durationS} s, run ${run}: goodput ${Math.round(result.goodputTps)}/s`,
      );
      console.log(wakeOrderTable(readTimings(csv)));
    }
  } finally {
    if (values.keep === undefined) rmSync(dir, { recursive: true, force: true });
    await nginx.stop();
  }
}

runBench('wakeOrder', main);
