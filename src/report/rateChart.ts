import type { PolicyResult } from '../core/runResult.js';
import { reasonColor, reasonOrder, referenceColor } from './chartTheme.js';
import { type PolicySeries, policyPanels } from './policyPanels.js';
import type { ChartLayer, ReportChart } from './reportChart.js';

const hasController = (r: PolicyResult): boolean =>
  r.timeline.some((p) => p.reason !== 'none' || p.rateTps > 0);

/**
 * The controller's rate decisions against the offered load, one panel per
 * policy that has a controller, one point per second coloured by its reason.
 * Undefined when no policy has a controller (e.g. a naive-only load test).
 */
export function rateChart(series: readonly PolicySeries[]): ReportChart | undefined {
  const controlled = series.filter((s) => hasController(s.result));
  if (controlled.length === 0) return undefined;
  const rows = controlled.flatMap((s) =>
    s.result.timeline.map((p) => ({
      policy: s.label,
      tS: p.tS,
      rateTps: p.rateTps,
      offeredTps: p.offeredTps,
      reason: p.reason,
    })),
  );
  const present = new Set(rows.map((r) => r.reason));
  const reasons = reasonOrder.filter((r) => present.has(r));
  const y = (field: string) => ({ field, type: 'quantitative', title: 'req/s' }) as const;
  const layers = (s: PolicySeries): ChartLayer[] => [
    {
      mark: { type: 'line', color: referenceColor, strokeDash: [5, 4] },
      encoding: { y: y('offeredTps') },
    },
    { mark: { type: 'line', color: s.color }, encoding: { y: y('rateTps') } },
    {
      transform: [{ filter: "datum.reason !== 'none'" }],
      mark: { type: 'point', filled: true, size: 22, opacity: 0.9 },
      encoding: {
        y: y('rateTps'),
        color: {
          field: 'reason',
          type: 'nominal',
          title: 'decision reason',
          scale: { domain: reasons, range: reasons.map(reasonColor) },
        },
      },
    },
  ];
  const without = series.filter((s) => !hasController(s.result)).map((s) => s.label);
  return {
    id: 'rate',
    title: 'Rate decisions and their reasons',
    caption:
      'The rate the controller allowed (solid line) against the offered load (dashed), one point per second ' +
      `coloured by the reason for that decision.${without.length > 0 ? ` Not shown, without a rate controller: ${without.join(', ')}.` : ''}`,
    spec: policyPanels(controlled, rows, 100, layers),
  };
}
