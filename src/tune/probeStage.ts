import { zip } from 'rxjs';
import type { ClientRequest } from '../client/clientRequest.js';
import type { OutcomeTally } from '../load/outcomeTally.js';
import { realTimeScheduler } from '../streams/realTimeScheduler.js';
import { OfferedLoad } from './offeredLoad.js';
import { StageJudge } from './stageJudge.js';
import { trackStreamLimit, tuneClient } from './tuneClient.js';
import type { TuneOptions } from './tuneOptions.js';
import type { StageResult } from './tuneResult.js';

/** One stage to run. */
export interface StagePlan {
  /** Connections to pin the client to. */
  readonly connections: number;
  /** Rate the client's slow start begins at, req/s. */
  readonly initialRateTps: number;
  /** The lowest service p50 seen on the path so far (0 for none), ms. */
  readonly baselineServiceMs: number;
  /** When the probe started, on `realTimeScheduler`'s clock, ms. */
  readonly probeStartMs: number;
  /** The stage stops offering by this time, on the same clock, ms. */
  readonly deadlineMs: number;
}

/**
 * How far the offered load runs ahead of the controller's rate. Any multiple
 * ≥ 1 keeps the controller out of its demand-limited state (offered below
 * `demandLimitedFraction` × rate) and lets the token bucket, not the
 * generator, decide what is admitted; 1.25 covers the timer's jitter. More
 * only burns CPU on requests the bucket sheds at once — and the generator
 * shares the machine with the client (and, in tests, with the server).
 */
export const offeredRateMultiple = 1.25;

/** How long a stage waits for its first session, ms, before it reports `no-connection`. */
const connectWaitMs = 10_000;

/**
 * Runs one stage: a real adaptive client pinned to `plan.connections`,
 * offered an open-loop load `offeredRateMultiple` × its rate decision
 * (never above `maxRateTps`), from slow start to the knee. The
 * {@link StageJudge} reads every control window and ends the stage once the
 * knee (or `--max-rate`) has been measured for `plateauMs`, at the first
 * congestion signal, or at the deadline. Then the probe stops offering and
 * closes the client gracefully: requests still queued or in flight finish
 * within their budgets, so ending a stage cancels nothing on the wire.
 */
export async function probeStage(
  o: TuneOptions,
  request: ClientRequest,
  plan: StagePlan,
  tally?: OutcomeTally,
): Promise<StageResult> {
  const startedMs = realTimeScheduler.now();
  const client = tuneClient(o, plan.connections, plan.initialRateTps, o.maxRateTps);
  const streams = trackStreamLimit(client);
  const judge = new StageJudge(
    {
      maxRateTps: o.maxRateTps,
      plateauMs: o.plateauMs,
      // Two standard errors within the margin's floor: then the floor alone covers the noise.
      targetRelStdErr: o.minMarginFraction / 2,
      controller: client.options,
    },
    plan.baselineServiceMs,
    client.options.initialRateTps,
  );
  const load = new OfferedLoad(client, request, tally);
  const offerFor = (rateTps: number): number =>
    Math.min(o.maxRateTps, offeredRateMultiple * rateTps);
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const steps = zip(client.windows$, client.decisions$).subscribe(([window, decision]) => {
    const end = judge.add(window, decision, realTimeScheduler.now() - plan.probeStartMs);
    if (end !== undefined) finish();
    else load.setRateTps(offerFor(decision.rateTps));
  });
  const stopOn = (end: 'time-limit' | 'no-connection'): void => {
    judge.stop(end);
    finish();
  };
  const deadline = setTimeout(() => stopOn('time-limit'), Math.max(0, plan.deadlineMs - startedMs));
  const connectWait = setTimeout(() => stopOn('no-connection'), connectWaitMs);
  void streams.ready.then(() => clearTimeout(connectWait));
  load.setRateTps(offerFor(client.options.initialRateTps));
  await finished;
  load.stop();
  steps.unsubscribe();
  clearTimeout(deadline);
  clearTimeout(connectWait);
  try {
    await client.close();
  } finally {
    streams.unsubscribe();
  }
  const stats = client.stats();
  return {
    ...judge.measurement(),
    connections: plan.connections,
    maxConcurrentStreams: streams.maxConcurrentStreams(),
    timedOut: stats.timedOut,
    cancelledOnWire: stats.cancelledOnWire,
    startedAtMs: startedMs - plan.probeStartMs,
    durationMs: realTimeScheduler.now() - startedMs,
  };
}
