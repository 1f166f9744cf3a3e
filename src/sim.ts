/**
 * `h2flow/sim`: the simulator behind `h2flow simulate`. It runs the real
 * controller and client against a modelled HTTP/2 server in virtual time, under
 * each policy (naive, new-connection, adaptive), and scores them against the
 * analytic optimum: `loadScenario(file)` (or `parseScenario(text, file)`), then
 * `runScenario(scenario, options)` on this thread or `runScenarioInWorkers`
 * with one worker thread per policy. The outcome's `report` is a `RunReport`
 * for `h2flow/report`. docs/simulator.md describes scenarios and the model.
 *
 * A separate entry because scenario validation loads ajv, which the client
 * does not need.
 */

export type { LatencySpec } from './sim/latencyDistribution.js';
export { loadScenario, parseScenario, scenarioSchemaPath } from './sim/loadScenario.js';
export {
  type FleetFairness,
  type RunScenarioOptions,
  runScenario,
  type SimulationOutcome,
} from './sim/runScenario.js';
export { runScenarioInWorkers, type WorkerRunOptions } from './sim/runScenarioInWorkers.js';
export { type LoadPhase, type Scenario, scenarioDurationS } from './sim/scenario.js';
export { isScenarioError, ScenarioError } from './sim/scenarioError.js';
export { type SimPolicy, simPolicies } from './sim/simPolicy.js';
