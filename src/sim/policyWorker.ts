import { parentPort, workerData } from 'node:worker_threads';
import { runPolicy } from './policyRun.js';
import type { Scenario } from './scenario.js';
import type { SimPolicy } from './simPolicy.js';

/** What the parent sends a policy worker. */
export interface PolicyWorkerInput {
  /** The scenario, already cut to its run length. */
  readonly scenario: Scenario;
  readonly policy: SimPolicy;
  readonly seed: number;
  /** Whether each client of a fleet keeps latency percentiles (per-client results). */
  readonly perClientDetail: boolean;
}

/** What a policy worker posts back: progress, then the run. */
export type PolicyWorkerMessage =
  | { readonly kind: 'progress'; readonly simulatedS: number }
  | { readonly kind: 'done'; readonly run: ReturnType<typeof runPolicy> };

// Worker entry (see runScenarioInWorkers.ts): one policy's run on its own thread.
if (parentPort !== null) {
  const port = parentPort;
  const input = workerData as PolicyWorkerInput;
  const run = runPolicy(input.scenario, input.policy, {
    seed: input.seed,
    perClientDetail: input.perClientDetail,
    onProgress: (simulatedS) => port.postMessage({ kind: 'progress', simulatedS }),
  });
  port.postMessage({ kind: 'done', run } satisfies PolicyWorkerMessage);
}
