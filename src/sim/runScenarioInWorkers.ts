import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PolicyRun } from './policyRun.js';
import type { PolicyWorkerInput, PolicyWorkerMessage } from './policyWorker.js';
import {
  assembleOutcome,
  type RunScenarioOptions,
  runScenario,
  type SimulationOutcome,
} from './runScenario.js';
import { type Scenario, scenarioDurationS, withDuration } from './scenario.js';
import { simPolicies } from './simPolicy.js';

/** Options of {@link runScenarioInWorkers}: those of `runScenario` (less per-sample hooks) and a thread count. */
export interface WorkerRunOptions extends Omit<RunScenarioOptions, 'onSample'> {
  /** Most policies simulated at once. Default: the machine's available parallelism. */
  readonly threads?: number | undefined;
}

/**
 * Like `runScenario`, but each policy runs on its own worker thread, up to
 * `threads` at once. The policies share nothing (each has its own virtual
 * clock, server and seeded random stream), so the report is byte-for-byte
 * the one `runScenario` gives; only the wall time changes. When this module
 * is not compiled JavaScript (tests run the TypeScript sources), or one
 * thread is asked for, it runs on this thread instead.
 */
export async function runScenarioInWorkers(
  scenario: Scenario,
  options: WorkerRunOptions = {},
): Promise<SimulationOutcome> {
  const policies = options.policies ?? simPolicies;
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), policies.length));
  const workerUrl = new URL('./policyWorker.js', import.meta.url);
  if (threads === 1 || !import.meta.url.endsWith('.js')) return runScenario(scenario, options);
  const s = options.durationS === undefined ? scenario : withDuration(scenario, options.durationS);
  const seed = options.seed ?? s.seed;
  const totalS = scenarioDurationS(s);
  const runs: PolicyRun[] = new Array(policies.length);
  let next = 0;
  const runOne = async (): Promise<void> => {
    while (next < policies.length) {
      const index = next++;
      const policy = policies[index]!;
      const input: PolicyWorkerInput = {
        scenario: s,
        policy,
        seed,
        perClientDetail: options.perClientResults === true,
      };
      runs[index] = await new Promise<PolicyRun>((resolve, reject) => {
        const worker = new Worker(workerUrl, { workerData: input });
        let done: PolicyRun | undefined;
        worker.on('message', (message: PolicyWorkerMessage) => {
          if (message.kind === 'progress') options.onProgress?.(policy, message.simulatedS, totalS);
          else done = message.run;
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (done !== undefined) resolve(done);
          else reject(new Error(`simulation worker for ${policy} exited with code ${code}`));
        });
      });
    }
  };
  await Promise.all(Array.from({ length: threads }, runOne));
  return assembleOutcome(
    s,
    seed,
    policies.map((policy, i) => ({ policy, run: runs[i]! })),
    options.perClientResults === true,
  );
}
