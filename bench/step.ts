/**
 * Cost of one controller `step` call, in nanoseconds.
 *
 * Issue 2 sets the goal at under 1 µs per step: the control loop calls it
 * once per window (every 100 ms or more), so the number matters less for the
 * loop than as a guard that the law stays arithmetic, with no allocation
 * beyond its result and no hidden scan.
 *
 * Method: build a varied, realistic sequence of windows (healthy, slot-bound,
 * congested, queue over target, server slowing, idle) with a seeded PRNG;
 * warm up; then time rounds of `callsPerRound` calls with
 * `process.hrtime.bigint`, carrying the state from call to call as the loop
 * does. The figure is the median round. The same loop with a trivial step
 * in place of the real one measures the harness, so the printout gives both
 * the ratio to the goal and the ratio to the harness, all from one run.
 *
 * Build and run: `tsc -p tsconfig.bench.json && node .build/bench/step.js`
 * (or `make bench`). Appends one JSON line to bench/results/latest.jsonl.
 */
import type { CongestionCounts } from '../src/core/congestion.js';
import { zeroCongestion } from '../src/core/congestion.js';
import type { ControllerOptions } from '../src/core/controllerOptions.js';
import { defaultControllerOptions } from '../src/core/controllerOptions.js';
import type { ControllerState } from '../src/core/controllerState.js';
import { initialControllerState } from '../src/core/controllerState.js';
import type { ControlWindow } from '../src/core/controlWindow.js';
import { SeededRandom } from '../src/core/seededRandom.js';
import type { StepResult } from '../src/core/step.js';
import { step } from '../src/core/step.js';
import { benchArgs, runBench } from './lib/benchArgs.js';
import { appendResult } from './lib/results.js';

/** The goal for one step, ns. */
const goalNs = 1000;
/** Calls timed per round; the issue asks for at least 1e6. */
const callsPerRound = 1_000_000;
/** Timed rounds; the median is reported. */
const rounds = 9;
/** Untimed calls first, so the timed code is optimised. */
const warmupCalls = 2_000_000;
/** Windows in the sequence (a power of two, so the index wraps with a mask). */
const windowCount = 4096;

/** The project's seeded PRNG as a uniform [0, 1) source, so every run times the same windows. */
function prng(seed: number): () => number {
  const rng = new SeededRandom(seed);
  return () => rng.next();
}

type Regime = 'healthy' | 'slot-bound' | 'congested' | 'queue-over' | 'server-slowing' | 'idle';
const regimes: readonly Regime[] = [
  'healthy',
  'slot-bound',
  'congested',
  'queue-over',
  'server-slowing',
  'idle',
];

/**
 * A sequence of windows that visits every branch of the law: regimes last a
 * few dozen windows each, as load and server behaviour drift in a real run.
 */
function makeWindows(count: number, seed: number): ControlWindow[] {
  const rand = prng(seed);
  const windows: ControlWindow[] = [];
  let endMs = 0;
  let regime: Regime = 'healthy';
  let connections = 1;
  for (let i = 0; i < count; i += 1) {
    if (i % 32 === 0) regime = regimes[Math.floor(rand() * regimes.length)] ?? 'healthy';
    const durationMs = 100 + Math.floor(rand() * 100);
    endMs += durationMs;
    const slotsTotal = connections * 100;
    const offeredTps = regime === 'idle' ? 50 + rand() * 200 : 1500 + rand() * 3000;
    const capacityTps = slotsTotal / 0.05;
    const completedTps = Math.min(offeredTps, capacityTps) * (0.9 + rand() * 0.1);
    let congestion: CongestionCounts = zeroCongestion();
    if (regime === 'congested') {
      congestion = { ...zeroCongestion(), timeout: 1 + Math.floor(rand() * 5), refusedStream: 1 };
    }
    const serviceP50Ms = regime === 'server-slowing' ? 80 + rand() * 60 : 45 + rand() * 10;
    const queueWaitP99Ms =
      regime === 'queue-over'
        ? 600 + rand() * 400
        : regime === 'slot-bound'
          ? 150 + rand() * 200
          : rand() * 20;
    const utilization =
      regime === 'slot-bound'
        ? 0.9 + rand() * 0.1
        : regime === 'idle'
          ? rand() * 0.2
          : 0.4 + rand() * 0.4;
    const offered = Math.round((offeredTps * durationMs) / 1000);
    const completed = Math.round((completedTps * durationMs) / 1000);
    windows.push({
      endMs,
      durationMs,
      offered,
      admitted: offered,
      completed,
      rejected: 0,
      queueWaitP50Ms: queueWaitP99Ms / 3,
      queueWaitP99Ms,
      queueWaitMaxMs: queueWaitP99Ms * 1.2,
      serviceP50Ms,
      serviceP99Ms: serviceP50Ms * 2,
      congestion,
      unavailable: regime === 'queue-over' ? Math.round(completed * 0.05) : 0,
      retryAfterMs: 0,
      slotsInUseMean: slotsTotal * utilization,
      slotsTotal,
      windowStalls: regime === 'slot-bound' && rand() < 0.3 ? 3 : 0,
      queueLength: Math.round(queueWaitP99Ms),
      connections,
    });
    if (regime === 'slot-bound' && connections < 8 && rand() < 0.1) connections += 1;
    if (regime === 'idle' && connections > 1 && rand() < 0.05) connections -= 1;
  }
  return windows;
}

type StepFn = (s: ControllerState, w: ControlWindow, o: ControllerOptions) => StepResult;

/** Runs `calls` steps through the window sequence, restarting the state when it wraps; returns ns. */
function timeCalls(fn: StepFn, windows: readonly ControlWindow[], calls: number): [number, number] {
  const options = defaultControllerOptions;
  const initial = initialControllerState(options);
  const mask = windows.length - 1;
  let state = initial;
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i += 1) {
    const j = i & mask;
    // The sequence's clock restarts when it wraps, so the state must too.
    if (j === 0) state = initial;
    const r = fn(state, windows[j] as ControlWindow, options);
    state = r.state;
    sink += r.decision.rateTps;
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  return [elapsed, sink];
}

/** The harness alone: a step that decides nothing, to size the loop's own cost. */
const emptyStep: StepFn = (state) => ({
  state,
  decision: {
    rateTps: state.rateTps,
    limiting: false,
    connections: state.connections,
    reason: 'hold',
    pathState: state.pathState,
  },
});

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** How often each decision reason occurs over one pass of the sequence: the branches the timing covers. */
function reasonMix(windows: readonly ControlWindow[]): string {
  const counts = new Map<string, number>();
  let state = initialControllerState(defaultControllerOptions);
  for (const w of windows) {
    const r = step(state, w, defaultControllerOptions);
    state = r.state;
    counts.set(r.decision.reason, (counts.get(r.decision.reason) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
}

const usage = `
usage: node .build/bench/step.js

The cost of one controller step, ns, over a seeded mix of windows, against
its goal of 1 µs and beside a trivial step (the harness). Takes no flags;
exits 1 when the step is over its goal.
`;

function main(): void {
  const windows = makeWindows(windowCount, 0x5eed);
  console.log(`windows: ${windowCount}, decisions: ${reasonMix(windows)}`);
  let sink = 0;
  sink += timeCalls(step, windows, warmupCalls)[1];
  sink += timeCalls(emptyStep, windows, warmupCalls)[1];

  const stepNs: number[] = [];
  const loopNs: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const [ns, s1] = timeCalls(step, windows, callsPerRound);
    stepNs.push(ns / callsPerRound);
    const [loop, s2] = timeCalls(emptyStep, windows, callsPerRound);
    loopNs.push(loop / callsPerRound);
    sink += s1 + s2;
  }
  const nsPerStep = median(stepNs);
  const harnessNs = median(loopNs);
  const lo = Math.min(...stepNs);
  const hi = Math.max(...stepNs);

  console.log(
    `controller step: ${nsPerStep.toFixed(1)} ns/step ` +
      `(median of ${rounds} rounds × ${callsPerRound.toLocaleString('en')} calls, ` +
      `rounds ${lo.toFixed(1)}–${hi.toFixed(1)} ns)`,
  );
  console.log(
    `  vs goal ${goalNs} ns: ${(nsPerStep / goalNs).toFixed(3)}×; ` +
      `vs empty-step harness (${harnessNs.toFixed(1)} ns): ${(nsPerStep / harnessNs).toFixed(1)}×`,
  );
  // Printed so the optimiser cannot drop the calls whose results it sums.
  console.log(`  checksum ${sink.toExponential(6)}`);

  appendResult('controller-step', {
    nsPerStep: Number(nsPerStep.toFixed(1)),
    goalNs,
    harnessNs: Number(harnessNs.toFixed(1)),
    rounds,
    callsPerRound,
  });
  if (nsPerStep >= goalNs) {
    console.error(`controller step over its ${goalNs} ns goal`);
    process.exitCode = 1;
  }
}

runBench('step', async () => {
  benchArgs(usage, { options: {} });
  main();
});
