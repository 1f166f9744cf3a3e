import type { TopLevelSpec } from 'vega-lite';
import type { PolicyResult, RunReport } from '../core/runResult.js';
import { chartConfig, chartWidthPx, policyColor } from './chartTheme.js';
import type { ChartLayer } from './reportChart.js';

/** A policy as the charts draw it: a unique label and its colour. */
export interface PolicySeries {
  /** The policy's name, made unique within the report (`adaptive`, `adaptive #2`). */
  readonly label: string;
  /** Its colour in every chart. */
  readonly color: string;
  /** Its results. */
  readonly result: PolicyResult;
}

/**
 * The policies of `report` with their chart labels and colours. Charts group
 * data by label, so two runs of the same policy name would merge into one
 * line; the second and later get a `#n` suffix instead.
 */
export function policySeries(report: RunReport): PolicySeries[] {
  const seen = new Map<string, number>();
  return report.results.map((result, i) => {
    const n = (seen.get(result.policy) ?? 0) + 1;
    seen.set(result.policy, n);
    const label = n === 1 ? result.policy : `${result.policy} #${n}`;
    return { label, color: policyColor(i), result };
  });
}

type VConcatSpec = Extract<TopLevelSpec, { vconcat: unknown }>;

/**
 * Small multiples: one panel per policy, stacked, titled with the policy's
 * name in its colour, sharing the x (seconds) and y scales so heights
 * compare across policies. `rows` must carry a `policy` field (the series
 * label) and `tS`; `layers` draws one policy's panel.
 */
export function policyPanels(
  series: readonly PolicySeries[],
  rows: readonly object[],
  panelHeightPx: number,
  layers: (s: PolicySeries) => ChartLayer[],
): VConcatSpec {
  return {
    data: { values: rows as object[] },
    spacing: 12,
    vconcat: series.map((s, i) => {
      const last = i === series.length - 1;
      return {
        title: { text: s.label, color: s.color },
        width: chartWidthPx,
        height: panelHeightPx,
        transform: [{ filter: { field: 'policy', equal: s.label } }],
        encoding: {
          x: {
            field: 'tS',
            type: 'quantitative',
            // Only the bottom panel carries the axis labels and title; the grid lines up above it.
            title: last ? 'seconds since start' : null,
            axis: { labels: last, ticks: last },
          },
        },
        layer: layers(s),
      };
    }),
    resolve: { scale: { x: 'shared', y: 'shared' } },
    config: chartConfig,
  };
}
