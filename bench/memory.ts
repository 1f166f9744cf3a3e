/**
 * Bounded memory under overload: does the client's heap stop growing when
 * callers offer ten times what the server can carry?
 *
 * An adaptive client sheds what it cannot send in time (rate limit, queue
 * wait, deadline) and holds the rest in a queue bounded by `maxQueueLength`.
 * If a shed or expired request left anything behind (a timer, a listener, a
 * closure in a Subject), the heap would grow with the number of requests,
 * and at 10× overload that is thousands per second.
 *
 * Method: the embedded test server runs in a child process (this script with
 * `--serve`), so the heap measured is the client's alone, with capacity C
 * (workers K = C × latency). The client is offered 10 × C req/s, open loop,
 * for 60 s. Every second the bench forces a full GC (`--expose-gc`) and
 * samples `process.memoryUsage().heapUsed`; every 50 ms it samples the queue.
 * The figure is the plateau ratio: mean heap over the last 20 s divided by
 * the mean over seconds 10–30. A heap that plateaus gives about 1; one that
 * grows with the request count gives about 2 (the later window is twice as
 * far into the run). It measures two clients in turn: the adaptive policy,
 * and the naive `fixed` policy with `maxQueueLength` 5,000, whose queue fills
 * to its bound and stays there.
 *
 * Build and run: `node_modules/.bin/tsc -p tsconfig.bench.json && node --expose-gc .build/bench/memory.js`
 * (`--duration 20` for a shorter trial). Appends one JSON line to
 * bench/results/latest.jsonl. `runMemoryProbe` is also what
 * test/faults/boundedMemory.long.test.ts runs for 10 s.
 */
import { fileURLToPath } from 'node:url';
import type { ClientStats } from '../src/core/clientStats.js';
import { type CreateClientOptions, createClient } from '../src/createClient.js';
import { startTestServer } from '../src/server/testServer.js';
import { BenchUsageError, benchArgs, positiveFlag, runBench } from './lib/benchArgs.js';
import { appendResult, round } from './lib/results.js';
import { startServerProcess } from './lib/serverProcess.js';

/** What {@link runMemoryProbe} offers, and to whom. */
export interface MemoryProbeOptions {
  /** The server's origin. */
  readonly origin: string;
  /** Offered load, requests per second, open loop. */
  readonly offeredTps: number;
  /** How long the load is offered, s. */
  readonly durationS: number;
  /** Client options (the adaptive policy unless they say otherwise). */
  readonly client?: CreateClientOptions;
  /** A full garbage collection, run before each heap sample; without one the samples are noisier. */
  readonly gc?: (() => void) | undefined;
}

/** One heap sample. */
export interface HeapSample {
  /** Seconds since the load started. */
  readonly atS: number;
  /** `process.memoryUsage().heapUsed` after the GC, bytes. */
  readonly heapUsedBytes: number;
  /** Requests waiting in the client's queue at that moment. */
  readonly queued: number;
}

/** What {@link runMemoryProbe} measured. */
export interface MemoryProbeResult {
  /** One sample per second, the first at 1 s. */
  readonly samples: readonly HeapSample[];
  /** The most requests seen waiting in the queue (sampled every 50 ms). */
  readonly maxQueued: number;
  /** The client's `maxQueueLength`: the bound `maxQueued` must respect. */
  readonly maxQueueLength: number;
  /** The client's counters after the load, all settled. */
  readonly stats: ClientStats;
}

/** Mean heap over samples taken in [fromS, toS], bytes. */
export function meanHeapBytes(samples: readonly HeapSample[], fromS: number, toS: number): number {
  const inside = samples.filter((s) => s.atS >= fromS && s.atS <= toS);
  return inside.reduce((sum, s) => sum + s.heapUsedBytes, 0) / inside.length;
}

/**
 * Offers `offeredTps` to a fresh client for `durationS`, sampling the heap
 * each second and the queue every 50 ms, then waits for every request to
 * settle and closes the client.
 */
export async function runMemoryProbe(options: MemoryProbeOptions): Promise<MemoryProbeResult> {
  const client = createClient(options.origin, { timeoutMs: 1000, ...options.client });
  const total = Math.floor(options.offeredTps * options.durationS);
  const samples: HeapSample[] = [];
  let sent = 0;
  let settled = 0;
  let maxQueued = 0;
  const onSettled = (): void => {
    settled++;
  };
  const start = performance.now();
  const elapsedS = (): number => (performance.now() - start) / 1000;
  const queueTimer = setInterval(() => {
    maxQueued = Math.max(maxQueued, client.stats().queued);
  }, 50);
  const heapTimer = setInterval(() => {
    options.gc?.();
    samples.push({
      atS: Math.round(elapsedS()),
      heapUsedBytes: process.memoryUsage().heapUsed,
      queued: client.stats().queued,
    });
  }, 1000);
  // Open loop: every 5 ms, send what the schedule says is due, whatever is outstanding.
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(options.offeredTps * elapsedS()));
      while (sent < due) {
        client.send({ method: 'POST', path: '/', body: 'x' }, onSettled);
        sent++;
      }
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  clearInterval(heapTimer);
  const budgetMs = client.options.timeoutMs + 5000;
  const waitFrom = performance.now();
  while (settled < sent && performance.now() - waitFrom < budgetMs) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  clearInterval(queueTimer);
  const stats = client.stats();
  await client.close();
  return { samples, maxQueued, maxQueueLength: client.options.maxQueueLength, stats };
}

/** The bench's server: capacity 500 req/s at 20 ms (K = 10 workers), 100 streams per connection. */
const serverArgs = { capacityTps: 500, latencyMs: 20 } as const;

async function serve(): Promise<void> {
  const server = await startTestServer(serverArgs);
  process.stdout.write(`${server.url}\n`);
  process.once('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
}

/** The two clients measured: h2flow's adaptive policy, and the naive `fixed` policy against a hard queue bound. */
const runs = [
  { name: 'adaptive', client: {} },
  { name: 'fixed', client: { policy: 'fixed', connections: 1, maxQueueLength: 5000 } },
] as const satisfies readonly { name: string; client: CreateClientOptions }[];

const usage = `
usage: node --expose-gc .build/bench/memory.js [--duration 60]

Bounded memory under 10× overload: the client's heap, sampled after a full
GC every second, over an open loop offering ten times what the server (in a
child process) can carry, for the adaptive client and for fixed with a
bounded queue. The figure is the plateau ratio, late heap ÷ early heap
(about 1 when the heap plateaus, about 2 when it grows with requests).

  --duration N   seconds per client, at least 20 (60)
`;

async function main(durationText: string): Promise<void> {
  const durationS = positiveFlag('duration', durationText);
  if (durationS < 20) {
    throw new BenchUsageError(`--duration must be at least 20 (seconds), not "${durationText}"`);
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) process.stderr.write('memory: run with --expose-gc for steady samples\n');
  const offeredTps = 10 * serverArgs.capacityTps;
  // Seconds 10–30 against the last 20 s (scaled for a shorter trial run).
  const early = [Math.round(durationS / 6), Math.round(durationS / 2)] as const;
  const late = [Math.round((2 * durationS) / 3), durationS] as const;
  const MiB = 1024 * 1024;
  const server = await startServerProcess(fileURLToPath(import.meta.url), ['--serve']);
  try {
    for (const run of runs) {
      const result = await runMemoryProbe({
        origin: server.url,
        offeredTps,
        durationS,
        gc,
        client: run.client,
      });
      const earlyBytes = meanHeapBytes(result.samples, ...early);
      const lateBytes = meanHeapBytes(result.samples, ...late);
      const maxBytes = Math.max(...result.samples.map((x) => x.heapUsedBytes));
      const ratio = lateBytes / earlyBytes;
      const s = result.stats;
      process.stdout.write(
        [
          `memory (${run.name}): ${offeredTps} req/s offered to a ${serverArgs.capacityTps} req/s server for ${durationS} s`,
          `  heap mean, s ${early[0]}–${early[1]}: ${(earlyBytes / MiB).toFixed(1)} MiB; s ${late[0]}–${late[1]}: ${(lateBytes / MiB).toFixed(1)} MiB; max ${(maxBytes / MiB).toFixed(1)} MiB`,
          `  plateau ratio (late / early): ${ratio.toFixed(3)}  (1.0 = flat; growth with requests sent would give ~2)`,
          `  queue: at most ${result.maxQueued} waiting (bound maxQueueLength ${result.maxQueueLength})`,
          `  requests: ${s.submitted} submitted, ${s.succeeded} succeeded, ${s.rejected} rejected, ${s.timedOut} timed out, ${s.failed} failed`,
          '',
        ].join('\n'),
      );
      appendResult('memory', {
        policy: run.name,
        durationS,
        offeredTps,
        capacityTps: serverArgs.capacityTps,
        heapEarlyMiB: round(earlyBytes / MiB, 2),
        heapLateMiB: round(lateBytes / MiB, 2),
        heapMaxMiB: round(maxBytes / MiB, 2),
        plateauRatio: round(ratio, 3),
        maxQueued: result.maxQueued,
        maxQueueLength: result.maxQueueLength,
        submitted: s.submitted,
        succeeded: s.succeeded,
        rejected: s.rejected,
        timedOut: s.timedOut,
        failed: s.failed,
        gcForced: gc !== undefined,
      });
      // Let the server's queue drain before the next client.
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  } finally {
    await server.stop();
  }
}

// Run only as a script, not when a test imports runMemoryProbe.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runBench('memory', async () => {
    const values = benchArgs(usage, {
      options: { duration: { type: 'string', default: '60' }, serve: { type: 'boolean' } },
    });
    await (values.serve ? serve() : main(values.duration));
  });
}
