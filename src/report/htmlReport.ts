import type { RunReport } from '../core/runResult.js';
import { escapeHtml } from './escapeHtml.js';
import { formatCount, formatMs } from './formatNumber.js';
import { normalizeRunReport } from './normalizeRunReport.js';
import { policySeries } from './policyPanels.js';
import { queueTargetFraction } from './queueWaitChart.js';
import { renderVegaLiteSvg } from './renderSvg.js';
import type { ReportChart } from './reportChart.js';
import { reportCharts } from './reportCharts.js';
import { reportCss } from './reportStyles.js';
import { summaryRows } from './summaryRows.js';
import { reportVerdicts, type VerdictSeverity } from './verdict.js';

const kindLabel: Readonly<Record<RunReport['kind'], string>> = {
  simulation: 'Simulation',
  load: 'Load test',
  demo: 'Demo',
  tune: 'Tuning probe',
};

const severityLabel: Readonly<Record<VerdictSeverity, string>> = {
  ok: 'healthy',
  warn: 'degraded',
  bad: 'failing',
};

// Verdicts start lower-case to follow "policy:" in the terminal; here they start a sentence.
const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const swatch = (color: string): string =>
  `<span class="swatch" style="background:${escapeHtml(color)}"></span>`;

function header(report: RunReport): string {
  const meta = [`timeout ${formatMs(report.timeoutMs)} ms`];
  const durationS = Math.max(0, ...report.results.map((r) => r.durationS));
  if (durationS > 0) meta.push(`${formatCount(durationS)} s per policy`);
  if (report.seed !== undefined) meta.push(`seed ${report.seed}`);
  return [
    '<header>',
    `<p class="kind">h2flow · ${kindLabel[report.kind]} report</p>`,
    `<h1>${escapeHtml(report.title)}</h1>`,
    report.description === '' ? '' : `<p class="description">${escapeHtml(report.description)}</p>`,
    `<p class="meta">${escapeHtml(meta.join(' · '))}</p>`,
    '</header>',
  ].join('\n');
}

function verdicts(report: RunReport): string {
  const colors = policySeries(report).map((s) => s.color);
  const items = reportVerdicts(report).map(
    (v, i) =>
      `<li class="verdict verdict-${v.severity}">${swatch(colors[i]!)}<strong>${escapeHtml(v.policy)}</strong>` +
      `<span class="badge badge-${v.severity}">${severityLabel[v.severity]}</span>${escapeHtml(capitalize(v.text))}</li>`,
  );
  return `<section class="verdicts" aria-label="Verdicts"><h2>Verdict</h2><ul>\n${items.join('\n')}\n</ul></section>`;
}

function summaryTable(report: RunReport): string {
  const series = policySeries(report);
  const head = series
    .map((s) => `<th scope="col">${swatch(s.color)}${escapeHtml(s.result.policy)}</th>`)
    .join('');
  const body = summaryRows(report)
    .map(
      (row) =>
        `<tr><th scope="row">${escapeHtml(row.label)}</th>${row.cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return [
    '<section class="summary"><h2>Summary</h2><div class="table-scroll"><table>',
    `<thead><tr><th scope="col"></th>${head}</tr></thead>`,
    `<tbody>\n${body}\n</tbody>`,
    '</table></div></section>',
  ].join('\n');
}

function howToRead(report: RunReport): string {
  const budget = `${formatMs(report.timeoutMs)} ms`;
  const target = `${formatMs(report.timeoutMs * queueTargetFraction)} ms`;
  const paragraphs = [
    'Every policy faced the same offered load. <strong>Goodput</strong> is successful completions per second once ' +
      'warmed up; <strong>capacity</strong> is the best the path allows (connections × max concurrent streams ÷ ' +
      "latency, or the server's own limit, shown as – when unknown), and <strong>efficiency</strong> is their ratio.",
    `A request <strong>timed out</strong> when its ${budget} budget ran out. If it had already been sent, the client ` +
      'reset its stream with RST_STREAM(CANCEL): the server did the work for nothing and counts the reset against the ' +
      'client. A <strong>rejected</strong> request was shed before sending because it could not meet its deadline; ' +
      'it cost the server nothing and failed in microseconds instead of seconds.',
    "By Little's law one connection carries at most max concurrent streams ÷ latency requests per second. Offer more " +
      `and the surplus waits in the client's queue; <strong>queue wait</strong> then grows until it eats the budget. ` +
      'The adaptive controller adds connections while the stream slots are the bottleneck; where it may not add more, ' +
      `it keeps them busy behind a short standing queue (about ${target} of wait), shedding the rest before sending, ` +
      'and it paces the rate only when the server signals congestion.',
    'In the charts each policy keeps its colour. Stacked panels, one per policy, share their axes, so heights compare directly.',
  ];
  return `<section class="how-to-read"><h2>How to read this</h2>\n${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}\n</section>`;
}

async function figure(chart: ReportChart): Promise<string> {
  const { svg } = await renderVegaLiteSvg(chart.spec);
  return [
    `<figure class="chart" id="chart-${chart.id}" data-chart="${chart.id}">`,
    `<figcaption><h2>${escapeHtml(chart.title)}</h2><p>${escapeHtml(chart.caption)}</p></figcaption>`,
    svg,
    '</figure>',
  ].join('\n');
}

/**
 * Renders a {@link RunReport} as one self-contained HTML page: title and
 * set-up, a verdict per policy, the summary table, a note on how to read it,
 * then the charts over time (throughput, queue wait against the budget,
 * connections, rate decisions with their reasons, failures per second) as
 * inline SVG drawn in Node. No scripts, fonts, images or other URLs, so the
 * file opens offline and can be attached to a ticket. The same report gives
 * the same bytes.
 */
export async function renderHtmlReport(report: RunReport): Promise<string> {
  const normalized = normalizeRunReport(report);
  const figures = await Promise.all(reportCharts(normalized).map(figure));
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="h2flow">',
    `<title>${escapeHtml(`${normalized.title} · h2flow report`)}</title>`,
    `<style>\n${reportCss}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    header(normalized),
    verdicts(normalized),
    summaryTable(normalized),
    howToRead(normalized),
    ...figures,
    '<footer>Generated by h2flow. This file is self-contained: charts are inline SVG, with no scripts and nothing fetched.</footer>',
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
