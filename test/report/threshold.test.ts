import { describe, expect, it } from '@jest/globals';
import type { PolicyResult } from '../../src/core/runResult.js';
import {
  formatThresholds,
  judgeThreshold,
  parseThreshold,
  thresholdFields,
} from '../../src/report/threshold.js';

const result = {
  policy: 'naive',
  offeredTps: 2500,
  durationS: 30,
  submitted: 1000,
  succeeded: 990,
  timedOut: 10,
  rejected: 0,
  failed: 0,
  cancelledOnWire: 8,
  goodputTps: 1950.5,
  capacityTps: 0,
  efficiency: 0,
  queueWaitP99Ms: 480,
  latencyP99Ms: 60,
  connectionsMax: 1,
  retries: 0,
  pathState: 'none',
  timeline: [],
} satisfies PolicyResult;

describe('parseThreshold', () => {
  it('reads FIELD OP NUMBER with the report field names, spaces allowed', () => {
    expect(parseThreshold(' goodputTps >= 1900 ')).toEqual({
      expression: 'goodputTps >= 1900',
      field: 'goodputTps',
      operator: '>=',
      value: 1900,
    });
    expect(parseThreshold('errorRate<0.01').value).toBe(0.01);
    expect(parseThreshold('queueWaitP99Ms<5e2').value).toBe(500);
  });

  it.each([
    '',
    'timedOut',
    'timedOut=0',
    'timedOut==',
    '==0',
    'timedOut=>0',
    'goodputTps>=1,900',
    'a b<1',
  ])('rejects %j with the grammar and the bad text', (text) => {
    expect(() => parseThreshold(text)).toThrow(
      `expected FIELD OP NUMBER such as goodputTps>=1900 (OP is one of < <= > >= == !=), got ${JSON.stringify(text)}`,
    );
  });

  it('rejects an unknown field, listing the known ones', () => {
    expect(() => parseThreshold('goodput>=1')).toThrow(
      `unknown field "goodput" in "goodput>=1"; fields: ${thresholdFields.join(', ')}`,
    );
    expect(() => parseThreshold('constructor>=1')).toThrow(/unknown field "constructor"/);
  });
});

describe('judgeThreshold', () => {
  it.each([
    ['timedOut==0', 10, false],
    ['cancelledOnWire==0', 8, false],
    ['goodputTps>=1900', 1950.5, true],
    ['queueWaitP99Ms<500', 480, true],
    ['errorRate<0.01', 0.01, false],
    ['errorRate<=0.01', 0.01, true],
    ['httpErrors==0', 0, true],
    ['connectionsMax!=1', 1, false],
    ['succeeded>989', 990, true],
  ])('%s: the run had %d, passed %s', (expression, actual, passed) => {
    expect(judgeThreshold(parseThreshold(expression), result)).toEqual({
      expression,
      actual,
      passed,
    });
  });
});

describe('formatThresholds', () => {
  it('lists each with pass or FAIL and the value the run had', () => {
    const text = formatThresholds([
      judgeThreshold(parseThreshold('goodputTps>=1900'), result),
      judgeThreshold(parseThreshold('timedOut==0'), result),
    ]);
    expect(text).toBe(
      'thresholds:\n  goodputTps>=1900   pass   (was 1950.5)\n  timedOut==0        FAIL   (was 10)',
    );
    expect(formatThresholds([])).toBe('');
  });
});
