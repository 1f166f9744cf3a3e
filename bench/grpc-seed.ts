/**
 * The gRPC seed (issue 12): bench/lib/grpcSeed/grpcSeedRows.ts once, with
 * the figures (3,000 unary calls/s for 10 s, 1 s deadlines, a
 * 50 ms handler, `grpc.max_concurrent_streams: 100`), judged by
 * bench/lib/grpcSeed/grpcVerdict.ts, printed and appended to
 * bench/results/latest.jsonl.
 *
 * Build and run: `make build && tsc -p tsconfig.bench.json && node .build/bench/grpc-seed.js`
 * (`--duration-s 10`).
 */
import { BenchUsageError, benchArgs, positiveFlag, runBench } from './lib/benchArgs.js';
import { grpcSeedPlan, runGrpcSeed } from './lib/grpcSeed/grpcSeedRows.js';
import { grpcMisses } from './lib/grpcSeed/grpcVerdict.js';
import { appendResult, round } from './lib/results.js';

const usage = `
usage: node .build/bench/grpc-seed.js [--duration-s 10]

The seed's overload on gRPC: 3,000 unary calls/s, 1 s deadlines, a 50 ms
handler, max_concurrent_streams 100, through plain grpc-js, a probe, and
h2flow's channel (1 connection, then up to 4), judged against issue 12's
bounds. Needs make build.

  --duration-s N   arrival phase of each run, s, more than 1 (10)
`;

async function main(): Promise<void> {
  const values = benchArgs(usage, { options: { 'duration-s': { type: 'string', default: '10' } } });
  const durationMs = positiveFlag('duration-s', values['duration-s']) * 1000;
  if (durationMs <= 1000) {
    throw new BenchUsageError(`--duration-s must be more than 1, not "${values['duration-s']}"`);
  }
  const plan = { ...grpcSeedPlan, durationMs };
  console.log(
    `grpc seed: ${plan.rateTps} unary calls/s for ${durationMs / 1000} s, ${plan.deadlineMs} ms deadlines, ` +
      `a ${plan.handlerMs} ms handler, max_concurrent_streams 100; node ${process.version}`,
  );
  let probeTps: number | undefined;
  await runGrpcSeed(plan, (row) => {
    if (row.name === 'probe') probeTps = row.loop.steadyGoodputTps;
    const misses = grpcMisses(row, plan.rateTps, probeTps);
    const l = row.loop;
    const verdict = !row.name.startsWith('h2flow')
      ? 'reported'
      : misses.length === 0
        ? 'ok'
        : `MISS: ${misses.join('; ')}`;
    console.log(
      `${row.name.padEnd(22)} goodput ${l.goodputTps.toFixed(0).padStart(5)}/s (steady ${l.steadyGoodputTps.toFixed(0)}), ` +
        `ok ${l.succeeded}/${l.offered}, errors ${JSON.stringify(l.errors)}, server: ${row.server.arrivals} arrived, ` +
        `${row.server.cancelled} cancelled, ${row.server.maxInHandler} at once; send lag p99 ${l.sendLagP99Ms.toFixed(0)} ms; ${verdict}`,
    );
    appendResult('grpc-seed', {
      row: row.name,
      goodputTps: round(l.goodputTps, 1),
      steadyGoodputTps: round(l.steadyGoodputTps, 1),
      offered: l.offered,
      succeeded: l.succeeded,
      errors: l.errors,
      server: row.server,
      misses,
    });
  });
}

runBench('grpc-seed', main);
