import { congestionKinds } from '../../src/core/congestion.js';
import { decisionReasons } from '../../src/core/decision.js';
import {
  congestionKindLabels,
  decisionReasonLabels,
  outcomeLabels,
  rejectionReasonLabels,
  sessionStateLabels,
} from '../../src/metrics/metricLabels.js';
import { latencyBucketsSeconds, metricDefinitions } from '../../src/metrics/metricNames.js';

const definitions = Object.values(metricDefinitions);

describe('metric names', () => {
  it('follow the Prometheus conventions: h2flow_ prefix, snake_case, unique, with help', () => {
    const names = definitions.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of definitions) {
      expect(m.name).toMatch(/^h2flow_[a-z][a-z0-9_]*[a-z0-9]$/);
      expect(m.help.length).toBeGreaterThan(20);
      expect(m.labelNames[0]).toBe('origin');
      for (const label of m.labelNames) expect(label).toMatch(/^[a-z][a-z_]*$/);
    }
  });

  it('counters end in _total, histograms in _seconds, and gauges in neither', () => {
    const { requests, wireCancellations, congestionEvents, decisions, retries, rejections } =
      metricDefinitions;
    for (const m of [requests, wireCancellations, congestionEvents, decisions, retries, rejections])
      expect(m.name).toMatch(/_total$/);
    expect(metricDefinitions.queueWait.name).toMatch(/_seconds$/);
    expect(metricDefinitions.serviceLatency.name).toMatch(/_seconds$/);
    for (const m of definitions.filter((x) => !x.name.endsWith('_total')))
      expect(m.name).not.toMatch(/_total/);
  });

  it('latency buckets rise from 0.1 ms to 10 s', () => {
    expect(latencyBucketsSeconds[0]).toBe(0.0001);
    expect(latencyBucketsSeconds.at(-1)).toBe(10);
    for (let i = 1; i < latencyBucketsSeconds.length; i++)
      expect(latencyBucketsSeconds[i]!).toBeGreaterThan(latencyBucketsSeconds[i - 1]!);
  });
});

describe('label values', () => {
  const snake = /^[a-z][a-z0-9_]*$/;

  it('cover every congestion kind and decision reason, in snake_case, one-to-one', () => {
    for (const [all, labels] of [
      [congestionKinds, congestionKindLabels],
      [decisionReasons, decisionReasonLabels],
    ] as const) {
      const values = all.map((k) => (labels as Record<string, string>)[k]);
      expect(values.every((v) => v !== undefined && snake.test(v))).toBe(true);
      expect(new Set(values).size).toBe(all.length);
      expect(Object.keys(labels).sort()).toEqual([...all].sort());
    }
  });

  it('name the outcomes, rejection reasons and session states the issue lists', () => {
    expect(Object.values(outcomeLabels)).toEqual(['succeeded', 'rejected', 'timed_out', 'failed']);
    expect(Object.values(congestionKindLabels).sort()).toEqual(
      [
        'timeout',
        'refused_stream',
        'enhance_your_calm',
        'goaway_error',
        'http_429',
        'http_503',
      ].sort(),
    );
    expect(Object.values(rejectionReasonLabels).every((v) => snake.test(v))).toBe(true);
    expect(sessionStateLabels).toEqual(['connecting', 'ready', 'draining']);
  });
});
