import type { RunReport } from '../core/runResult.js';
import { connectionsChart } from './connectionsChart.js';
import { outcomesChart } from './outcomesChart.js';
import { policySeries } from './policyPanels.js';
import { queueWaitChart } from './queueWaitChart.js';
import { rateChart } from './rateChart.js';
import type { ReportChart } from './reportChart.js';
import { throughputChart } from './throughputChart.js';

/**
 * The charts of a report's HTML page, in reading order: throughput, queue
 * wait against the budget, connections, rate decisions (left out when no
 * policy has a rate controller) and failures per second. Each policy keeps
 * one colour in all of them. Expects a normalized report (finite numbers).
 */
export function reportCharts(report: RunReport): ReportChart[] {
  const series = policySeries(report);
  const charts = [
    throughputChart(series),
    queueWaitChart(series, report.timeoutMs),
    connectionsChart(series),
    rateChart(series),
    outcomesChart(series),
  ];
  return charts.filter((c): c is ReportChart => c !== undefined);
}
