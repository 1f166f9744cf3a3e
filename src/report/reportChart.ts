import type { TopLevelSpec } from 'vega-lite';

/** Which chart of a report. */
export type ReportChartId = 'throughput' | 'queue-wait' | 'connections' | 'rate' | 'outcomes';

/** One chart of the HTML report: what to call it, how to read it, and its Vega-Lite spec. */
export interface ReportChart {
  /** Stable identifier, also the chart's HTML `id`. */
  readonly id: ReportChartId;
  /** Heading. */
  readonly title: string;
  /** One or two sentences under the heading: what is drawn and what good looks like. */
  readonly caption: string;
  /** The chart, with its data inlined. */
  readonly spec: TopLevelSpec;
}

/** One layer of a layered Vega-Lite chart (derived from vega-lite's public `TopLevelSpec`). */
export type ChartLayer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];
