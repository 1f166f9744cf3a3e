/**
 * Cost of one request's samples through the control loop, in nanoseconds.
 *
 * Issue 8 asks for the controller's cost per `step` (bench/step.ts) and per
 * sample through the loop. The limiter tells the loop's accumulator five
 * things per request (offered, admitted, dispatched, stream-ended, settled)
 * with plain method calls; the last carries the request's sample. So "per
 * sample" here is per settled request: its five calls into the
 * `WindowAccumulator` (two WindowHistogram records), and its share of the
 * window-closing `step`. (Until 7 Dec 2026 the five went through an rxjs
 * `Subject` first.)
 *
 * Method: a virtual clock (the simulator's `HeapScheduler`) advances
 * 0.2 ms per request (5,000 req/s, so a 100 ms window closes every 500
 * requests, as in the efficiency bench's load). Four variants run
 * alternately in each round, over the same preallocated samples:
 * - `loop`: the real `controlLoop` closing windows over the accumulator it
 *   is given, fed as the limiter feeds it;
 * - `accumulator`: the same calls with the windows closed by hand (no rxjs,
 *   no step), to split the loop's cost;
 * - `harness`: the clock moving and nothing else, the bench's own cost;
 * - `histogram`: the accumulator's two WindowHistogram records per request
 *   alone, which is where most of the accumulator's time goes.
 * The figure is the median over rounds of the per-request cost of `loop`,
 * with its spread, beside the other two from the same rounds.
 *
 * Build and run: `tsc -p tsconfig.bench.json && node .build/bench/controlLoop.js`
 * (or `make bench`). Appends one JSON line to bench/results/latest.jsonl.
 */
import type { CapacitySnapshot } from '../src/core/capacity.js';
import { defaultControllerOptions } from '../src/core/controllerOptions.js';
import type { RequestSample } from '../src/core/sample.js';
import { SeededRandom } from '../src/core/seededRandom.js';
import { HeapScheduler } from '../src/sim/heapScheduler.js';
import { WindowAccumulator } from '../src/stats/windowAccumulator.js';
import { WindowHistogram } from '../src/stats/windowHistogram.js';
import { controlLoop } from '../src/streams/controlLoop.js';
import { benchArgs, runBench } from './lib/benchArgs.js';
import { appendResult, formatSpread, round, spread } from './lib/results.js';

/** Requests per timed round. */
const requestsPerRound = 400_000;
/** Timed rounds; each runs all three variants. */
const rounds = 9;
/** Virtual ms between requests: 5,000 req/s. */
const gapMs = 0.2;
/** Distinct preallocated samples (a power of two, so the index wraps with a mask). */
const sampleCount = 4096;
/** Events the client emits per settled request. */
const eventsPerRequest = 5;

/** The project's seeded PRNG as a uniform [0, 1) source, so every run feeds the same samples. */
function prng(seed: number): () => number {
  const rng = new SeededRandom(seed);
  return () => rng.next();
}

/** One request's pre-built events: dispatched and stream-ended carry times relative to its arrival. */
interface Fixture {
  readonly queueWaitMs: number;
  readonly serviceMs: number;
  readonly sample: RequestSample;
}

/** Samples with 20–80 ms service and a few ms of queue wait; 1 in 200 timed out, 1 in 500 refused. */
function makeFixtures(): Fixture[] {
  const rand = prng(0x5eed);
  const out: Fixture[] = [];
  for (let i = 0; i < sampleCount; i++) {
    const queueWaitMs = rand() * 5;
    const serviceMs = 20 + rand() * 60;
    const timedOut = i % 200 === 7;
    const refused = i % 500 === 11;
    const sample: RequestSample = {
      outcome: timedOut ? 'timedOut' : 'succeeded',
      submittedAtMs: 0,
      dispatchedAtMs: queueWaitMs,
      sentAtMs: queueWaitMs + 0.1,
      headersAtMs: timedOut ? undefined : queueWaitMs + serviceMs,
      endAtMs: timedOut ? undefined : queueWaitMs + serviceMs + 0.05,
      settledAtMs: queueWaitMs + serviceMs + 0.05,
      status: timedOut ? undefined : 200,
      errorCode: timedOut ? 'H2FLOW_DEADLINE' : undefined,
      congestion: timedOut ? 'timeout' : refused ? 'refusedStream' : undefined,
      retries: refused ? 1 : 0,
      cancelledOnWire: timedOut,
      windowStalled: false,
    };
    out.push({ queueWaitMs, serviceMs, sample });
  }
  return out;
}

/** One ready session with 100 slots, half used: what the probe reports when a window closes. */
const capacity: CapacitySnapshot = {
  atMs: 0,
  sessions: [
    {
      id: 1,
      state: 'ready',
      streamsInFlight: 50,
      maxConcurrentStreams: 100,
      remoteWindowBytes: 65_535,
      outboundQueueBytes: 0,
    },
  ],
  readySessions: 1,
  slotsTotal: 100,
  slotsInUse: 50,
  slotsAvailable: 50,
};

type Variant = 'loop' | 'accumulator' | 'harness' | 'histogram';

/** Feeds `requests` requests' events through `variant`; returns [elapsed ns, windows closed]. */
function run(variant: Variant, fixtures: readonly Fixture[], requests: number): [number, number] {
  const scheduler = new HeapScheduler();
  const accumulator = new WindowAccumulator(0);
  let windows = 0;
  const subscription =
    variant === 'loop'
      ? controlLoop(
          accumulator,
          { capacity: () => capacity, queueLength: () => 3 },
          defaultControllerOptions,
          scheduler,
        ).subscribe(() => {
          windows++;
        })
      : undefined;
  const mask = fixtures.length - 1;
  if (variant === 'histogram') return [timeHistogram(fixtures, requests), 0];
  const start = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) {
    const t = i * gapMs;
    scheduler.run(t);
    const f = fixtures[i & mask]!;
    if (variant === 'harness') continue;
    accumulator.offered();
    accumulator.admitted();
    accumulator.dispatched(t, f.queueWaitMs);
    accumulator.streamEnded(t);
    accumulator.settled(f.sample);
    // The loop closes a window every 100 ms of virtual time; so does this.
    if (variant === 'accumulator' && i % 500 === 499) {
      accumulator.close(t, capacity, 3);
      windows++;
    }
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  subscription?.unsubscribe();
  return [elapsed, windows];
}

/** The two WindowHistogram records the accumulator makes per request (queue wait, service), alone. */
function timeHistogram(fixtures: readonly Fixture[], requests: number): number {
  const queueWait = new WindowHistogram();
  const service = new WindowHistogram();
  const mask = fixtures.length - 1;
  const start = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) {
    const f = fixtures[i & mask]!;
    queueWait.record(f.queueWaitMs);
    service.record(f.serviceMs);
  }
  return Number(process.hrtime.bigint() - start);
}

const usage = `
usage: node .build/bench/controlLoop.js

The control loop's cost per settled request, ns: the limiter's five calls
into the window accumulator and its share of each window's step, on a
virtual clock at 5,000 req/s, beside the harness and the histogram alone.
Takes no flags.
`;

function main(): void {
  const fixtures = makeFixtures();
  const variants: Variant[] = ['loop', 'accumulator', 'harness', 'histogram'];
  // Warm-up: optimise every variant's code before timing.
  for (const v of variants) run(v, fixtures, requestsPerRound / 2);

  const perRequest: Record<Variant, number[]> = {
    loop: [],
    accumulator: [],
    harness: [],
    histogram: [],
  };
  let windows = 0;
  for (let r = 0; r < rounds; r++) {
    // Rotate the order each round, so no variant always runs first after a pause.
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(r + k) % variants.length]!;
      const [ns, w] = run(v, fixtures, requestsPerRound);
      perRequest[v].push(ns / requestsPerRound);
      if (v === 'loop') windows = w;
    }
  }
  const loop = spread(perRequest.loop);
  const acc = spread(perRequest.accumulator);
  const harness = spread(perRequest.harness);
  const hist = spread(perRequest.histogram);
  const perEvent = loop.median / eventsPerRequest;

  console.log(
    `control loop: ${loop.median.toFixed(0)} ns per request's samples ` +
      `(${eventsPerRequest} events, ${perEvent.toFixed(0)} ns/event), ` +
      `median of ${rounds} rounds × ${requestsPerRound.toLocaleString('en')} requests, ` +
      `rounds ${loop.min.toFixed(0)}–${loop.max.toFixed(0)} ns; ${windows} windows/round on the heap scheduler`,
  );
  const added = spread(perRequest.loop.map((x, i) => x - perRequest.harness[i]!));
  console.log(
    `  over the harness (the clock alone, ${harness.median.toFixed(0)} ns): ` +
      `+${added.median.toFixed(0)} ns (rounds ${added.min.toFixed(0)}–${added.max.toFixed(0)}); ` +
      `loop ÷ harness ${formatSpread(ratios(perRequest.loop, perRequest.harness), 2)}; ` +
      `the accumulator called directly (no rxjs, no step) ${acc.median.toFixed(0)} ns, ` +
      `of which its two WindowHistogram records ${hist.median.toFixed(0)} ns`,
  );
  appendResult('control-loop', {
    nsPerSample: round(loop.median, 1),
    nsPerSampleMin: round(loop.min, 1),
    nsPerSampleMax: round(loop.max, 1),
    nsPerEvent: round(perEvent, 1),
    accumulatorNsPerSample: round(acc.median, 1),
    harnessNsPerSample: round(harness.median, 1),
    loopOverHarnessNsPerSample: round(added.median, 1),
    histogramRecordsNsPerSample: round(hist.median, 1),
    eventsPerSample: eventsPerRequest,
    rounds,
    requestsPerRound,
    scheduler: 'HeapScheduler',
  });
}

/** Per-round ratios a[i] / b[i] (same round, side by side). */
function ratios(a: readonly number[], b: readonly number[]): ReturnType<typeof spread> {
  return spread(a.map((x, i) => x / b[i]!));
}

runBench('controlLoop', async () => {
  benchArgs(usage, { options: {} });
  main();
});
