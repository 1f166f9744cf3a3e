import { AdaptiveClient } from '../client/AdaptiveClient.js';
import type { ClientRequest } from '../client/clientRequest.js';
import type { Decision } from '../core/decision.js';
import type { PolicyResult, ServerStats } from '../core/runResult.js';
import type { RequestSample } from '../core/sample.js';
import { SeededRandom } from '../core/seededRandom.js';
import { isOverloadError } from '../errors/OverloadError.js';
import { RunRecorder } from '../stats/runRecorder.js';
import { ArrivalProcess } from './arrivalProcess.js';
import { steadyCapacity } from './capacityModel.js';
import { HeapScheduler } from './heapScheduler.js';
import { effectiveWarmupS, type Scenario, scenarioDurationS } from './scenario.js';
import { policyClientOptions, policyConnectionCap, type SimPolicy } from './simPolicy.js';
import { SimServer } from './simServer.js';
import { SimTransport } from './simTransport.js';

/** What one policy's run produced. */
export interface PolicyRun {
  /** All clients together (the only result when the scenario has one client). */
  readonly result: PolicyResult;
  /** One result per client, when the scenario has more than one (a fleet). */
  readonly clientResults: readonly PolicyResult[];
  /** The server's own counters. */
  readonly serverStats: ServerStats;
  /** Heap events run (a speed measure). */
  readonly events: number;
}

/** Options of {@link runPolicy}. */
export interface PolicyRunOptions {
  /** Seed of every random draw. */
  readonly seed: number;
  /** Called after each simulated second with the seconds done. */
  readonly onProgress?: ((simulatedS: number) => void) | undefined;
  /**
   * Whether each client of a fleet keeps latency percentiles too (for
   * per-client results); without it a client's recorder keeps counts alone,
   * which is all Jain's index needs. Default false.
   */
  readonly perClientDetail?: boolean | undefined;
  /** Sees every settled request of client `clientIndex` (for tests and deeper analysis). */
  readonly onSample?: ((clientIndex: number, sample: RequestSample) => void) | undefined;
}

/** One simulated client: its transport, client, arrivals and recorder. */
interface SimClient {
  readonly transport: SimTransport;
  readonly client: AdaptiveClient;
  readonly arrivals: ArrivalProcess;
  readonly recorder: RunRecorder;
  rateTps: number;
  connections: number;
}

/**
 * Runs `scenario` under one `policy` in virtual time and records it.
 *
 * Each client is the production `AdaptiveClient` over a {@link SimTransport};
 * arrivals are posted straight on the heap, one pending arrival per client.
 * The load stops at the scenario's end; the run then continues (no new
 * arrivals) until every request has settled, which takes at most one
 * timeout, so `submitted = succeeded + rejected + timedOut + failed`.
 * Requests settling after the end count in the totals but not in the
 * timeline or goodput, which cover [0, duration) and [warm-up, duration)
 * (the warm-up is `warmupS`, at most half the run).
 */
export function runPolicy(
  scenario: Scenario,
  policy: SimPolicy,
  options: PolicyRunOptions,
): PolicyRun {
  // Every shed or timed-out request builds a typed error, and capturing its
  // stack was 15% of a simulation's time; simulated errors are counted, never
  // thrown, so their stacks are left out (H2FLOW_DEBUG keeps them).
  const stackTraceLimit = Error.stackTraceLimit;
  if (!process.env.H2FLOW_DEBUG) Error.stackTraceLimit = 0;
  try {
    return simulate(scenario, policy, options);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function simulate(scenario: Scenario, policy: SimPolicy, options: PolicyRunOptions): PolicyRun {
  const scheduler = new HeapScheduler();
  const rng = new SeededRandom(options.seed);
  const server = new SimServer(scheduler, scenario.server, rng.fork());
  const durationS = scenarioDurationS(scenario);
  const endMs = durationS * 1000;
  const fleet = scenario.client.count > 1;
  const total = new RunRecorder(0);
  const clientOptions = policyClientOptions(scenario, policy);
  const body = new Uint8Array(scenario.request.bodyBytes);
  const request: ClientRequest = {
    method: scenario.request.method,
    path: scenario.request.path,
    ...(scenario.request.bodyBytes > 0 ? { body } : {}),
  };
  const clients: SimClient[] = [];
  const sumOf = (pick: (c: SimClient) => number): number =>
    clients.reduce((sum, c) => sum + pick(c), 0);

  for (let i = 0; i < scenario.client.count; i++) {
    const arrivals = new ArrivalProcess(scenario, rng.fork());
    const backoff = rng.fork();
    const random = (): number => backoff.next();
    const transport = new SimTransport({ scheduler, server, scenario, clientId: i, random });
    const client = new AdaptiveClient(transport, clientOptions);
    const recorder = fleet
      ? new RunRecorder(0, options.perClientDetail === true ? 'compact' : 'counts')
      : total;
    const sim: SimClient = {
      transport,
      client,
      arrivals,
      recorder,
      rateTps: 0,
      connections: 0,
    };
    clients.push(sim);
    const onSample = options.onSample;
    client.samples$.subscribe((sample) => {
      recorder.settled(sample);
      if (fleet) total.settled(sample);
      onSample?.(i, sample);
    });
    client.decisions$.subscribe((decision) => {
      const nowMs = scheduler.now();
      // The report shows the controller's view while the load ran, not during the drain after it.
      if (nowMs >= endMs) return;
      recorder.decision(nowMs, decision);
      sim.rateTps = decision.rateTps;
      if (fleet) {
        // The fleet's line: summed rates and connections, the latest decider's reason and path state.
        const sum: Decision = {
          ...decision,
          rateTps: sumOf((c) => c.rateTps),
          connections: sumOf((c) => c.connections),
        };
        total.decision(nowMs, sum);
      }
    });
    transport.capacity$.subscribe(() => {
      const nowMs = scheduler.now();
      if (nowMs >= endMs) return;
      sim.connections = transport.establishedConnections;
      recorder.connections(nowMs, sim.connections);
      if (fleet)
        total.connections(
          nowMs,
          sumOf((c) => c.connections),
        );
    });
  }

  for (const sim of clients) {
    const first = sim.arrivals.next();
    if (first !== undefined) scheduler.postAndForget(first, arrive, { sim, request, total, fleet });
  }

  for (let s = 1; s <= Math.ceil(durationS); s++) {
    scheduler.run(Math.min(s, durationS) * 1000);
    options.onProgress?.(Math.min(s, durationS));
  }
  // Let every request still queued or in flight settle: none outlives its own timeout.
  scheduler.run(endMs + scenario.client.timeoutMs + 1000);

  const cap = policyConnectionCap(scenario, policy);
  const capacity = steadyCapacity(scenario, cap, durationS);
  const summary = { endMs, warmupS: effectiveWarmupS(scenario, durationS) };
  const result = total.finish({
    ...summary,
    policy,
    capacityTps: capacity.totalTps,
  });
  const clientResults = fleet
    ? clients.map((c, i) =>
        c.recorder.finish({
          ...summary,
          policy: `${policy}/client-${String(i + 1).padStart(2, '0')}`,
          capacityTps: capacity.perClientTps,
        }),
      )
    : [];
  return { result, clientResults, serverStats: server.stats(), events: scheduler.executed };
}

/** One arrival: submit the request, record it, and post the client's next arrival. */
function arrive(e: {
  sim: SimClient;
  request: ClientRequest;
  total: RunRecorder;
  fleet: boolean;
}): void {
  const { sim, request, total, fleet } = e;
  const nowMs = sim.transport.scheduler.now();
  sim.recorder.offered(nowMs);
  if (fleet) total.offered(nowMs);
  // A request shed at submission settles synchronously with an OverloadError; anything else was admitted.
  let submitting = true;
  let shed = false;
  sim.client.send(request, (error) => {
    if (submitting && isOverloadError(error)) shed = true;
  });
  submitting = false;
  if (!shed) {
    sim.recorder.admitted(nowMs);
    if (fleet) total.admitted(nowMs);
  }
  const next = sim.arrivals.next();
  if (next !== undefined) sim.transport.scheduler.postAndForget(next, arrive, e);
}
