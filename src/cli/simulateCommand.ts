import { writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { renderHtmlReport } from '../report/htmlReport.js';
import { stringifyRunReport } from '../report/jsonReport.js';
import { formatResultsTable } from '../report/textReport.js';
import { loadScenario } from '../sim/loadScenario.js';
import type { SimulationOutcome } from '../sim/runScenario.js';
import { runScenarioInWorkers } from '../sim/runScenarioInWorkers.js';
import { type Scenario, scenarioDurationS } from '../sim/scenario.js';
import { isScenarioError } from '../sim/scenarioError.js';
import { type SimPolicy, simPolicies } from '../sim/simPolicy.js';
import { parseChoice, parseDurationMs, parseInteger } from './parseArgs.js';
import { UsageError } from './usageError.js';

const policyChoices = [...simPolicies, 'all'] as const;

/** Simulated seconds (× clients × policies) past which a progress bar is worth showing. */
const progressThresholdS = 30;

const examples = `
Examples:
  $ h2flow simulate simulations/seed-52845-cap1.json
      the seed scenario (3,000 TPS into one 100-stream connection), all three policies
  $ h2flow simulate simulations/seed-52845-cap8.json --policy adaptive
      only h2flow's controller, allowed up to 8 connections
  $ h2flow simulate simulations/step.json --duration 20s --seed 7
      a quick run: the first 20 s, another random seed
  $ h2flow simulate simulations/fleet.json --json > fleet.json
      one JSON document on stdout (schema: src/report/runReportSchema.ts)
  $ h2flow simulate simulations/fleet.json --per-client --report fleet.html
      an HTML report with charts, one column per client as well

Scenario files are JSON (schema: simulations/scenario.schema.json; every field
is described in docs/simulator.md). The same scenario and seed give the same
result, byte for byte. capacityTps is the analytic optimum for each policy's
connection cap; efficiency = goodput ÷ capacity, goodput measured after the
scenario's warm-up (5 s unless it says otherwise).`;

interface SimulateFlags {
  readonly policy: string;
  readonly seed?: string;
  readonly duration?: string;
  readonly json?: boolean;
  readonly report?: string;
  readonly perClient?: boolean;
}

/** `h2flow simulate <scenario.json>`: runs a scenario offline, in virtual time, under each policy. */
export function buildSimulateCommand(): Command {
  return (
    new Command('simulate')
      .description(
        'Run a scenario offline in virtual time: the real controller against a modelled\n' +
          'HTTP/2 server, naive vs new-connection vs adaptive, scored against the analytic optimum.',
      )
      .argument('<scenario.json>', 'scenario file, e.g. simulations/seed-52845-cap1.json')
      .option('--policy <policy>', `policy to run: ${policyChoices.join(', ')}`, 'all')
      .option('--seed <n>', "random seed (default: the scenario's)")
      .option('--duration <duration>', 'run only this long, e.g. 20s or 2m (default: the scenario)')
      .option('--json', 'print one JSON document on stdout instead of the table')
      .option('--report <file.html>', 'also write an HTML report with charts')
      .option('--per-client', "for a fleet, report each client's result as well as the total")
      .addHelpText('after', examples)
      // addCommand() does not pass the root's settings down: without exitOverride, commander
      // would process.exit(1) on a bad flag instead of letting main() exit 2; and a bad flag
      // is one line, in the same form as every other h2flow error.
      .exitOverride()
      .configureOutput({
        outputError: (text, write) => write(`h2flow: ${text.replace(/^error: /, '')}`),
      })
      .action(async (file: string, flags: SimulateFlags) => {
        const policy = parseChoice('--policy', flags.policy, policyChoices);
        const policies: readonly SimPolicy[] = policy === 'all' ? simPolicies : [policy];
        const seed =
          flags.seed === undefined ? undefined : parseInteger('--seed', flags.seed, 0, 0xffffffff);
        const durationMs =
          flags.duration === undefined ? undefined : parseDurationMs('--duration', flags.duration);
        if (durationMs !== undefined && durationMs <= 0) {
          throw new UsageError(
            `--duration: expected a duration above 0, got ${JSON.stringify(flags.duration)}`,
          );
        }
        const scenario = readScenario(file);
        const durationS = durationMs === undefined ? undefined : durationMs / 1000;
        const progress = progressBar(scenario, policies, durationS);
        let outcome: SimulationOutcome;
        try {
          // Policies are independent simulations: each runs on its own thread.
          outcome = await runScenarioInWorkers(scenario, {
            policies,
            seed,
            durationS,
            perClientResults: flags.perClient === true,
            onProgress: progress?.update,
          });
        } finally {
          progress?.stop();
        }
        const { report, fairness } = outcome;
        if (flags.report !== undefined) {
          writeFileSync(flags.report, await renderHtmlReport(report));
          process.stderr.write(`h2flow: report written to ${flags.report}\n`);
        }
        if (flags.json) {
          process.stdout.write(`${stringifyRunReport(report)}\n`);
          return;
        }
        const lines = [formatResultsTable(report)];
        if (fairness.length > 0) {
          const n = scenario.client.count;
          lines.push(
            '',
            `fairness (Jain's index over the ${n} clients' steady-state goodputs, 1 = equal shares): ` +
              fairness.map((f) => `${f.policy} ${f.jainIndex.toFixed(3)}`).join(', '),
          );
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      })
  );
}

/** Loads the scenario; a bad file is a usage error (one line, exit 2). */
function readScenario(file: string): Scenario {
  try {
    return loadScenario(file);
  } catch (error) {
    if (isScenarioError(error)) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * A progress bar on stderr, only when stderr is a terminal and the run is
 * long (simulated seconds × clients × policies past {@link progressThresholdS}).
 * It counts simulated seconds over all policies.
 */
function progressBar(
  scenario: Scenario,
  policies: readonly SimPolicy[],
  durationS: number | undefined,
): { update: (policy: SimPolicy, doneS: number) => void; stop: () => void } | undefined {
  const runS = durationS ?? scenarioDurationS(scenario);
  const totalS = runS * policies.length;
  if (!process.stderr.isTTY || totalS * scenario.client.count < progressThresholdS)
    return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'simulating {policy} [{bar}] {percentage}% | {value}/{total} simulated s',
    hideCursor: true,
    clearOnComplete: true,
  });
  // Policies may run at once (one thread each): the bar shows their simulated seconds summed.
  const doneByPolicy = new Map<SimPolicy, number>();
  bar.start(Math.round(totalS), 0, { policy: policies.join(', ') });
  return {
    update: (policy, doneS) => {
      doneByPolicy.set(policy, doneS);
      let sum = 0;
      for (const s of doneByPolicy.values()) sum += s;
      bar.update(Math.round(sum));
    },
    stop: () => bar.stop(),
  };
}
