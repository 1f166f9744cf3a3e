import type { TimelinePoint } from '../core/runResult.js';
import { outcomeColors } from './chartTheme.js';
import { type PolicySeries, policyPanels } from './policyPanels.js';
import type { ChartLayer, ReportChart } from './reportChart.js';

// Drawn in this order, so the rarer and more telling series (cancellations) lie on top.
const outcomeDrawOrder = ['failed', 'rejected', 'timed out', 'cancelled on wire'] as const;

/**
 * Timeouts, wire cancellations, rejections and other failures per second,
 * one panel per policy, on a symmetric log scale.
 */
export function outcomesChart(series: readonly PolicySeries[]): ReportChart {
  const perS = (p: TimelinePoint): Record<(typeof outcomeDrawOrder)[number], number> => ({
    failed: p.failedTps,
    rejected: p.rejectedTps,
    'timed out': p.timedOutTps,
    'cancelled on wire': p.cancelledOnWireTps,
  });
  const rows = series.flatMap((s) =>
    s.result.timeline.flatMap((p) => {
      const values = perS(p);
      return outcomeDrawOrder.map((kind) => ({
        policy: s.label,
        tS: p.tS,
        series: kind,
        perS: values[kind],
      }));
    }),
  );
  // A symmetric log scale: 40 wire cancellations a second must stay visible next to 1,000
  // timeouts, and 0 (the healthy value) still has a place. Ticks at powers of ten.
  const top = Math.max(1, ...rows.map((r) => r.perS));
  const ticks = [0, 10, 100, 1_000, 10_000, 100_000, 1_000_000].filter((v) => v <= top * 1.5);
  const legendOrder = Object.keys(outcomeColors) as (keyof typeof outcomeColors)[];
  const line = (): ChartLayer[] => [
    {
      mark: { type: 'line' },
      encoding: {
        y: {
          field: 'perS',
          type: 'quantitative',
          title: 'per second',
          scale: { type: 'symlog' },
          axis: { values: ticks, format: ',d' },
        },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: { domain: legendOrder, range: legendOrder.map((k) => outcomeColors[k]) },
        },
      },
    },
  ];
  return {
    id: 'outcomes',
    title: 'Timeouts, rejections and wire cancellations per second',
    caption:
      'Timed out: the deadline fired. Cancelled on wire: a stream already sent was reset (RST_STREAM CANCEL), ' +
      'work the server did for nothing. Rejected: shed by admission before sending, fast and harmless to the server. ' +
      'The scale is logarithmic, so small counts stay visible; a line on the floor is zero.',
    spec: policyPanels(series, rows, 90, line),
  };
}
