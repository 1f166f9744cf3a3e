import type { TuneResult } from './tuneResult.js';

/**
 * The recommendation as `createClient` options, ready to paste:
 * - `initialConnections` = `maxConnections` = the recommended count, so the
 *   client opens them at once and never opens more than measured useful;
 * - `maxRateTps` = maxSafeTps, so the controller never probes past the knee;
 * - `timeoutMs` = the budget the probe used, since every queue target and
 *   admission limit scales with it.
 * The rate still starts low and slow-starts, as the controller always does.
 */
export function clientSnippet(result: TuneResult): string {
  const r = result.recommendation;
  const origin = new URL(result.url).origin;
  const more =
    r.pathState === 'server-bound'
      ? 'more connections did not raise throughput'
      : `${r.pathState}: this many carried the rate`;
  return [
    `const client = createClient(${JSON.stringify(origin)}, {`,
    `  timeoutMs: ${result.timeoutMs},`,
    `  initialConnections: ${r.connections},`,
    `  maxConnections: ${r.connections}, // ${more}`,
    `  maxRateTps: ${r.maxSafeTps}, // measured ${Math.round(r.capacityTps)} req/s less a ${(r.marginFraction * 100).toFixed(1)}% margin`,
    '});',
  ].join('\n');
}
