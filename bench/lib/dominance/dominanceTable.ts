/**
 * The matrix as an aligned text table (src/report/alignedTable.ts): one row
 * per condition, naive and adaptive figures side by side as `naive / adaptive`.
 */
import { formatAlignedTable } from '../../../src/report/alignedTable.js';
import type { ConditionSummary, PolicyTotals } from './summarize.js';

const int = (x: number): string => Math.round(x).toLocaleString('en');
const pair = (s: ConditionSummary, pick: (t: PolicyTotals) => number | null | undefined) => {
  const f = (t: PolicyTotals) => {
    const v = pick(t);
    if (v === null || v === undefined) return '—';
    return Number.isFinite(v) ? int(v) : 'never';
  };
  return `${f(s.naive)} / ${f(s.adaptive)}`;
};
const spreadText = (x: { median: number; min: number; max: number }) =>
  `${x.median.toFixed(3)} (${x.min.toFixed(2)}–${x.max.toFixed(2)})`;

/** The header and one row per summary. */
export function dominanceTable(summaries: readonly ConditionSummary[]): string {
  const header = [
    'server',
    'condition',
    'kind',
    'adaptive ÷ naive',
    'goodput/s n / a',
    '÷ probe (probe/s)',
    'cancels sent n / a',
    'at server n / a',
    'timeouts n / a',
    'shed n / a',
    'shed 1st s (a)',
    'recovery ms n / a',
    'verdict',
  ];
  const rows = summaries.map((s) => [
    s.condition.server,
    s.condition.name,
    s.condition.kind,
    spreadText(s.ratio),
    pair(s, (t) => t.goodputTps),
    s.probeRatio === undefined ? '—' : `${spreadText(s.probeRatio)} (${int(s.probeTps ?? 0)})`,
    pair(s, (t) => t.wireCancels),
    pair(s, (t) => t.serverCancels),
    pair(s, (t) => t.timedOut),
    pair(s, (t) => t.shed),
    int(s.adaptive.shedFirstSecond),
    s.condition.spike === undefined ? '—' : pair(s, (t) => t.recoveryMs),
    s.failed.length === 0 ? 'ok' : `FAIL: ${s.failed.join(', ')}`,
  ]);
  return formatAlignedTable([header, ...rows], {
    align: ['left', 'left', 'left'],
    gapChars: 2,
  });
}
