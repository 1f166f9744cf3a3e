import { defaultControllerOptions } from '../core/controllerOptions.js';
import { budgetColor, chartConfig, chartWidthPx, referenceColor } from './chartTheme.js';
import { formatMs } from './formatNumber.js';
import type { PolicySeries } from './policyPanels.js';
import type { ChartLayer, ReportChart } from './reportChart.js';

/**
 * Share of the timeout the controller's standing queue is bounded at by default (admission sheds
 * predicted waits above it), drawn as the queue's reference line.
 */
export const queueTargetFraction = defaultControllerOptions.queueLimitFraction;

const seconds = { field: 'tS', type: 'quantitative', title: 'seconds since start' } as const;

/**
 * Queue-wait p99 of every policy overlaid, against the timeout budget and
 * the queue target (both left out when the timeout is unknown, 0).
 */
export function queueWaitChart(series: readonly PolicySeries[], timeoutMs: number): ReportChart {
  const rows = series.flatMap((s) =>
    s.result.timeline.map((p) => ({ policy: s.label, tS: p.tS, ms: p.queueWaitP99Ms })),
  );
  const reference = (yMs: number, color: string, label: string, dashed: boolean): ChartLayer[] => [
    {
      data: { values: [{ yMs }] },
      mark: { type: 'rule', color, strokeWidth: 1.25, ...(dashed ? { strokeDash: [4, 3] } : {}) },
      encoding: { y: { field: 'yMs', type: 'quantitative' } },
    },
    {
      data: { values: [{ yMs }] },
      mark: { type: 'text', color, align: 'right', baseline: 'bottom', dy: -3, fontSize: 11 },
      encoding: {
        x: { value: chartWidthPx - 4 },
        y: { field: 'yMs', type: 'quantitative' },
        text: { value: label },
      },
    },
  ];
  const layer: ChartLayer[] = [
    {
      mark: { type: 'line' },
      encoding: {
        x: seconds,
        y: { field: 'ms', type: 'quantitative', title: 'queue-wait p99 (ms)' },
        color: {
          field: 'policy',
          type: 'nominal',
          title: null,
          scale: { domain: series.map((s) => s.label), range: series.map((s) => s.color) },
        },
      },
    },
  ];
  if (timeoutMs > 0) {
    const targetMs = timeoutMs * queueTargetFraction;
    layer.push(
      ...reference(timeoutMs, budgetColor, `timeout budget ${formatMs(timeoutMs)} ms`, false),
      ...reference(targetMs, referenceColor, `standing-queue bound ${formatMs(targetMs)} ms`, true),
    );
  }
  return {
    id: 'queue-wait',
    title: 'Queue-wait p99 against the budget',
    caption:
      'Time requests spent queued inside the client before a stream carried them. When this line reaches the red ' +
      'budget, requests die in the queue; the adaptive controller keeps its queue at or under the dashed bound.',
    spec: { data: { values: rows }, width: chartWidthPx, height: 220, layer, config: chartConfig },
  };
}
