import { referenceColor } from './chartTheme.js';
import { type PolicySeries, policyPanels } from './policyPanels.js';
import type { ChartLayer, ReportChart } from './reportChart.js';

/**
 * Offered, admitted and completed requests per second: one panel per policy,
 * offered in grey, the series told apart by dash pattern.
 */
export function throughputChart(series: readonly PolicySeries[]): ReportChart {
  const kinds = ['offered', 'admitted', 'completed'] as const;
  const rows = series.flatMap((s) =>
    s.result.timeline.flatMap((p) => [
      { policy: s.label, tS: p.tS, series: kinds[0], tps: p.offeredTps },
      { policy: s.label, tS: p.tS, series: kinds[1], tps: p.admittedTps },
      { policy: s.label, tS: p.tS, series: kinds[2], tps: p.completedTps },
    ]),
  );
  const line = (s: PolicySeries): ChartLayer[] => [
    {
      mark: { type: 'line' },
      encoding: {
        y: { field: 'tps', type: 'quantitative', title: 'req/s' },
        strokeDash: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: {
            domain: [...kinds],
            range: [
              [5, 4],
              [2, 2],
              [1, 0],
            ],
          },
        },
        color: {
          condition: { test: "datum.series === 'offered'", value: referenceColor },
          value: s.color,
        },
      },
    },
  ];
  return {
    id: 'throughput',
    title: 'Offered, admitted and completed requests per second',
    caption:
      'Offered is what callers submitted; admitted is what entered the client queue; completed is what came back. ' +
      'A healthy run keeps completed close to admitted; the gap between offered and admitted is load shed on purpose.',
    spec: policyPanels(series, rows, 110, line),
  };
}
