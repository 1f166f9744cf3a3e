/**
 * Simulator speed: simulated requests per wall-clock second.
 *
 * Issue 3 sets two goals: the 60 s seed-52845 scenario with all three
 * policies must take under 10 s of wall time on this 2-core machine, and in
 * the long run the simulator should reach 1,000,000 simulated requests per
 * second.
 *
 * Method: one untimed warm-up run (so the timed code is optimised), then
 * the 60 s seed-52845-cap1 scenario under `adaptive` alone (the rate
 * figure), then all three policies one after the other on one thread, then
 * all three on worker threads as `h2flow simulate` runs them (the wall-time
 * goal; both must give the same report), then the 1,000-client
 * `fleet-1000` under `adaptive` (issue 14: under 60 s). A bare loop that
 * posts and runs the same number of events on the heap scheduler, with no
 * model and no client, times the scheduler alone, so the printout also says
 * how much of the time is the event queue. All figures come from one run.
 *
 * Build and run: `tsc -p tsconfig.bench.json && node .build/bench/sim-speed.js`
 * (or `make bench`). Appends one JSON line to bench/results/latest.jsonl.
 */
import { join } from 'node:path';
import { SeededRandom } from '../src/core/seededRandom.js';
import { stringifyRunReport } from '../src/report/jsonReport.js';
import { HeapScheduler } from '../src/sim/heapScheduler.js';
import { loadScenario } from '../src/sim/loadScenario.js';
import { runScenario } from '../src/sim/runScenario.js';
import { runScenarioInWorkers } from '../src/sim/runScenarioInWorkers.js';
import { benchArgs, runBench } from './lib/benchArgs.js';
import { appendResult, repoRoot } from './lib/results.js';

/** The long-run goal, simulated requests per wall-clock second. */
const goalRequestsPerS = 1_000_000;
/** The goal for the 60 s seed run with all three policies, ms of wall time. */
const goalAllPoliciesMs = 10_000;
/** Issue 14's goal for the 1,000-client fleet (adaptive), ms of wall time. */
const goalFleetMs = 60_000;
const scenarioName = 'seed-52845-cap1';
const fleetName = 'fleet-1000';

/** Wall time of `fn`, ms. */
function timed<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

/**
 * The scheduler alone: `events` events, each posting the next at a random
 * delay, with `pending` of them in flight at once (the size the simulation's
 * heap runs at). Returns events per second.
 */
function bareSchedulerEventsPerS(events: number, pending: number): number {
  const scheduler = new HeapScheduler();
  const rng = new SeededRandom(1);
  let left = events;
  const tick = (): void => {
    if (--left > 0) scheduler.postAndForget(scheduler.now() + rng.next() * 100, tick, undefined);
  };
  for (let i = 0; i < pending; i++) scheduler.postAndForget(rng.next() * 100, tick, undefined);
  const [, ms] = timed(() => scheduler.flush());
  return (scheduler.executed / ms) * 1000;
}

const usage = `
usage: node .build/bench/sim-speed.js

Simulated requests per wall-clock second on seed-52845-cap1 (adaptive), the
three policies on one thread and on worker threads, and fleet-1000, beside
the bare heap scheduler's events/s. Goals: 1,000,000 simulated req/s, all
three policies in under 10 s, fleet-1000 in under 60 s. Takes no flags.
`;

async function main(): Promise<void> {
  const root = repoRoot();
  const scenario = loadScenario(join(root, 'simulations', `${scenarioName}.json`));

  // Warm-up: JIT the model, the client and the report path.
  runScenario(scenario, { durationS: 10 });

  const [adaptive, adaptiveMs] = timed(() => runScenario(scenario, { policies: ['adaptive'] }));
  const requests = adaptive.report.results[0]!.submitted;
  const requestsPerS = (requests / adaptiveMs) * 1000;
  const eventsPerRequest = adaptive.events / requests;

  const [all, allMs] = timed(() => runScenario(scenario));
  const allRequests = all.report.results.reduce((sum, r) => sum + r.submitted, 0);
  const threadsStart = process.hrtime.bigint();
  const threaded = await runScenarioInWorkers(scenario);
  const threadsMs = Number(process.hrtime.bigint() - threadsStart) / 1e6;
  if (stringifyRunReport(threaded.report) !== stringifyRunReport(all.report)) {
    throw new Error('bench/sim-speed: worker threads gave a different report');
  }

  const bareEventsPerS = bareSchedulerEventsPerS(adaptive.events, 2000);
  const simEventsPerS = (adaptive.events / adaptiveMs) * 1000;

  // The fleet: 1,000 clients, each its own controller, pool and recorder, on one heap.
  const fleetScenario = loadScenario(join(root, 'simulations', `${fleetName}.json`));
  const [fleet, fleetMs] = timed(() => runScenario(fleetScenario, { policies: ['adaptive'] }));
  const fleetResult = fleet.report.results[0]!;
  const fleetJain = fleet.fairness[0]?.jainIndex ?? Number.NaN;

  const k = (x: number): string => Math.round(x).toLocaleString('en-US');
  console.log(`${scenarioName}, 60 s simulated, node ${process.version}`);
  console.log(
    `adaptive: ${k(requests)} requests in ${k(adaptiveMs)} ms = ${k(requestsPerS)} simulated requests/s` +
      ` (${(requestsPerS / goalRequestsPerS).toFixed(3)} × the 1,000,000/s goal)`,
  );
  console.log(
    `all three policies: ${k(allRequests)} requests in ${k(allMs)} ms on one thread` +
      ` (${(allMs / goalAllPoliciesMs).toFixed(2)} × the 10 s budget), ${k(threadsMs)} ms on worker` +
      ` threads as h2flow simulate runs them (${(threadsMs / goalAllPoliciesMs).toFixed(2)} ×, same report)`,
  );
  console.log(
    `events: ${eventsPerRequest.toFixed(2)} per request, ${k(simEventsPerS)}/s in the simulation vs` +
      ` ${k(bareEventsPerS)}/s for the bare scheduler (${(simEventsPerS / bareEventsPerS).toFixed(3)} ×):` +
      ` the rest is the model, the client and the recorder`,
  );

  console.log(
    `${fleetName}, adaptive: ${k(fleetResult.submitted)} requests in ${k(fleetMs)} ms` +
      ` (${(fleetMs / goalFleetMs).toFixed(2)} × the 60 s budget) = ${k((fleetResult.submitted / fleetMs) * 1000)}/s;` +
      ` efficiency ${fleetResult.efficiency.toFixed(3)}, Jain's index ${fleetJain.toFixed(3)},` +
      ` ${k(fleetResult.cancelledOnWire)} cancelled on the wire`,
  );

  appendResult('sim-speed', {
    scenario: scenarioName,
    requestsPerS: Math.round(requestsPerS),
    goalRequestsPerS,
    adaptiveWallMs: Math.round(adaptiveMs),
    requests,
    allPoliciesWallMs: Math.round(allMs),
    allPoliciesThreadsWallMs: Math.round(threadsMs),
    goalAllPoliciesMs,
    allPoliciesRequests: allRequests,
    eventsPerRequest: Math.round(eventsPerRequest * 100) / 100,
    simEventsPerS: Math.round(simEventsPerS),
    bareSchedulerEventsPerS: Math.round(bareEventsPerS),
    fleetScenario: fleetName,
    fleetWallMs: Math.round(fleetMs),
    goalFleetMs,
    fleetRequests: fleetResult.submitted,
    fleetEfficiency: Math.round(fleetResult.efficiency * 1000) / 1000,
    fleetJainIndex: Math.round(fleetJain * 1000) / 1000,
    fleetCancelledOnWire: fleetResult.cancelledOnWire,
  });
}

runBench('sim-speed', async () => {
  benchArgs(usage, { options: {} });
  await main();
});
