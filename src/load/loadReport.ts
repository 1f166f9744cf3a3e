import type { RunReport } from '../core/runResult.js';
import type { LoadRun } from './runLoad.js';

/**
 * The `RunReport` (`kind: 'load'`) of one load run, the shape `simulate`
 * reports, so the same table, JSON and HTML renderers serve both. The
 * server's counters are attached only when the target answered
 * `/__h2flow/stats`; otherwise `serverStats` is absent and the renderers
 * leave out the server rows.
 */
export function loadReport(run: LoadRun): RunReport {
  const options = run.options;
  const url = new URL(options.url);
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const body = options.body === undefined ? '' : ` with a ${options.body.byteLength}-byte body`;
  const seconds = run.result.durationS;
  return {
    kind: 'load',
    title: `h2flow load ${url.href}`,
    description:
      `${method} ${url.pathname}${url.search}${body}, offered ${options.rateTps} TPS (open loop) ` +
      `for ${round(seconds)} s, timeout ${round(options.timeoutMs / 1000)} s`,
    timeoutMs: options.timeoutMs,
    results: [run.result],
    ...(run.serverStats === null ? {} : { serverStats: [run.serverStats] }),
  };
}

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}
