import { type PolicySeries, policyPanels } from './policyPanels.js';
import type { ChartLayer, ReportChart } from './reportChart.js';

/** Open connections over time: one short step-line panel per policy. */
export function connectionsChart(series: readonly PolicySeries[]): ReportChart {
  const rows = series.flatMap((s) =>
    s.result.timeline.map((p) => ({ policy: s.label, tS: p.tS, connections: p.connections })),
  );
  const line = (s: PolicySeries): ChartLayer[] => [
    {
      mark: { type: 'line', interpolate: 'step-after', color: s.color },
      encoding: {
        y: {
          field: 'connections',
          type: 'quantitative',
          title: 'connections',
          scale: { domainMin: 0 },
          axis: { tickMinStep: 1, format: 'd', tickCount: 3 },
        },
      },
    },
  ];
  return {
    id: 'connections',
    title: 'Open connections',
    caption:
      'Connections open at the end of each second. The controller adds one while stream slots or flow-control ' +
      'windows are the bottleneck, and stops when the server is.',
    // Tall enough for the rotated axis title, which would otherwise push the panels apart.
    spec: policyPanels(series, rows, 64, line),
  };
}
