/**
 * The `h2flow serve` flags for the embedded-server options the dominance
 * matrix uses, so the bench can run the server in its own process (client
 * and server then do not share one event loop) and goes through the CLI a
 * user would type.
 */
import type { ServerOptions } from '../../../src/server/serverOptions.js';

/** Options {@link serveArgv} can express; any other key throws, so none is silently dropped. */
const expressible = new Set<keyof ServerOptions>([
  'maxConcurrentStreams',
  'latencyMs',
  'latencyDist',
  'latencyP99Ms',
  'capacityTps',
  'errorFraction',
  'retryAfterS',
  'notFoundFraction',
  'latencySpike',
  'seed',
]);

/** `serve` arguments (after the word `serve`) that start a server with `options`. */
export function serveArgv(options: Partial<ServerOptions>): string[] {
  const argv: string[] = [];
  for (const key of Object.keys(options) as (keyof ServerOptions)[]) {
    if (!expressible.has(key)) throw new Error(`serveArgv: no flag mapped for ${key}`);
  }
  const o = options;
  if (o.maxConcurrentStreams !== undefined)
    argv.push('--max-streams', String(o.maxConcurrentStreams));
  if (o.latencyMs !== undefined) argv.push('--latency', `${o.latencyMs}ms`);
  if (o.latencyDist !== undefined) argv.push('--latency-dist', o.latencyDist);
  if (o.latencyP99Ms !== undefined) argv.push('--latency-p99', `${o.latencyP99Ms}ms`);
  if (o.capacityTps !== undefined) argv.push('--capacity', String(o.capacityTps));
  if (o.errorFraction !== undefined) argv.push('--error-fraction', String(o.errorFraction));
  if (o.retryAfterS === null) argv.push('--no-retry-after');
  else if (o.retryAfterS !== undefined) argv.push('--retry-after', String(o.retryAfterS));
  if (o.notFoundFraction !== undefined)
    argv.push('--not-found-fraction', String(o.notFoundFraction));
  if (o.latencySpike !== undefined) {
    const s = o.latencySpike;
    argv.push('--latency-spike', `${s.factor}x@${s.atMs}ms+${s.forMs}ms`);
  }
  if (o.seed !== undefined) argv.push('--seed', String(o.seed));
  return argv;
}
