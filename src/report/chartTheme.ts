import type { Config } from 'vega-lite';
import { type DecisionReason, decisionReasons } from '../core/decision.js';

/**
 * System font stack shared by the page and the charts. Multi-word families
 * are left unquoted (valid CSS) so the stack can sit in an SVG attribute
 * as-is.
 */
export const fontStack =
  'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, Noto Sans, Liberation Sans, sans-serif';

/**
 * Colours for policies, by position in `report.results`: the Tableau 10
 * palette without its red, which the charts keep for the timeout budget and
 * for timeouts, so a policy never looks like an alarm by accident.
 */
const policyPalette = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#b279a2',
  '#72b7b2',
  '#9d755d',
  '#eeca3b',
  '#ff9da6',
  '#bab0ac',
];

/** The colour of the policy at `index`, the same in every chart of a report. */
export function policyColor(index: number): string {
  return policyPalette[index % policyPalette.length]!;
}

/** Colours of the per-second outcome series: alarm colours for what went wrong. */
export const outcomeColors = {
  'timed out': '#d62728',
  'cancelled on wire': '#6a3d9a',
  rejected: '#f2a93b',
  failed: '#8c564b',
} as const;

/** Plot width of every chart, px: with axes and padding the SVG is about 790 px, inside the page's 860 px column. */
export const chartWidthPx = 720;

/** Colour of the timeout-budget rule on the queue-wait chart. */
export const budgetColor = '#d62728';
/** Colour of reference lines that are not data (offered load, the queue target). */
export const referenceColor = '#6b7280';

// Grouped by what the decision does, so the rate chart reads at a glance:
// greens raise the rate or add capacity, greys hold, oranges and reds cut.
const reasonPalette: Readonly<Record<DecisionReason, string>> = {
  open: '#1b9e77',
  regrowth: '#66c2a5',
  'add-connection': '#1f78b4',
  hold: '#9ca3af',
  fixed: '#4b5563',
  'drain-connection': '#cab2d6',
  'server-bound': '#6a3d9a',
  'queue-over-target': '#fdae61',
  timeout: '#d62728',
  'refused-stream': '#f46d43',
  'enhance-your-calm': '#e7298a',
  'goaway-error': '#a50026',
  'http-429': '#fb9a99',
  'http-503': '#e31a1c',
  'error-surge': '#7f0000',
};

/** Colour of a decision reason, fixed across reports. */
export function reasonColor(reason: DecisionReason): string {
  return reasonPalette[reason];
}

/** Decision reasons in their canonical order, for legends. */
export const reasonOrder: readonly DecisionReason[] = decisionReasons;

/** Vega-Lite config for every chart: quiet axes, light grid, the page's fonts. */
export const chartConfig: Config = {
  font: fontStack,
  background: 'white',
  padding: { left: 4, right: 12, top: 6, bottom: 4 },
  view: { stroke: '#e5e7eb' },
  axis: {
    labelColor: '#4b5563',
    titleColor: '#374151',
    titleFontWeight: 500,
    labelFontSize: 11,
    titleFontSize: 11,
    gridColor: '#eef0f3',
    domainColor: '#9ca3af',
    tickColor: '#9ca3af',
  },
  // A fixed minimum width for y-axis labels and title lines up the plots of every chart on the page.
  axisY: { minExtent: 48 },
  legend: {
    labelColor: '#374151',
    titleColor: '#374151',
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 600,
    // Above the plot, so every chart's SVG is as wide as its plot plus axes.
    orient: 'top',
    direction: 'horizontal',
  },
  title: { fontSize: 12, fontWeight: 600, anchor: 'start', offset: 4 },
  line: { strokeWidth: 1.75 },
};
