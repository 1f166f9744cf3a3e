import type { PolicyResult, ThresholdResult } from '../core/runResult.js';
import { formatAlignedTable } from './alignedTable.js';

/** A comparison of a threshold. */
export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** One parsed threshold, e.g. `goodputTps>=1900`: a report field, an operator and a number. */
export interface Threshold {
  /** The expression as given, trimmed. */
  readonly expression: string;
  /** The report field it reads. */
  readonly field: ThresholdField;
  /** How the field compares to `value`. */
  readonly operator: ThresholdOperator;
  /** The number it is compared with. */
  readonly value: number;
}

/** The fields of a run a threshold may read: the report's own names. */
const fieldValues = {
  offeredTps: (r) => r.offeredTps,
  durationS: (r) => r.durationS,
  submitted: (r) => r.submitted,
  succeeded: (r) => r.succeeded,
  timedOut: (r) => r.timedOut,
  rejected: (r) => r.rejected,
  failed: (r) => r.failed,
  httpErrors: (r) => r.httpErrors ?? 0,
  errorRate: (r) =>
    r.errorRate ?? (r.submitted > 0 ? (r.submitted - r.succeeded) / r.submitted : 0),
  cancelledOnWire: (r) => r.cancelledOnWire,
  goodputTps: (r) => r.goodputTps,
  capacityTps: (r) => r.capacityTps,
  efficiency: (r) => r.efficiency,
  queueWaitP99Ms: (r) => r.queueWaitP99Ms,
  latencyP99Ms: (r) => r.latencyP99Ms,
  connectionsMax: (r) => r.connectionsMax,
  retries: (r) => r.retries,
} as const satisfies Record<string, (r: PolicyResult) => number>;

/** A field name a threshold may use. */
export type ThresholdField = keyof typeof fieldValues;

/** Every field a threshold may use, in report order. */
export const thresholdFields = Object.keys(fieldValues) as readonly ThresholdField[];

const compare: Readonly<Record<ThresholdOperator, (a: number, b: number) => boolean>> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

// FIELD OP NUMBER, spaces allowed around each; the operator's longest spelling is tried first.
const grammar =
  /^\s*([A-Za-z][A-Za-z0-9]*)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

/**
 * Parses `FIELD OP NUMBER`, e.g. `timedOut==0`, `goodputTps>=1900`,
 * `errorRate<0.01`: FIELD is a report field ({@link thresholdFields}), OP
 * one of `< <= > >= == !=`. Throws a `SyntaxError` whose one-line message
 * names the bad text.
 */
export function parseThreshold(text: string): Threshold {
  const match = grammar.exec(text);
  if (!match) {
    throw new SyntaxError(
      `expected FIELD OP NUMBER such as goodputTps>=1900 (OP is one of < <= > >= == !=), got ${JSON.stringify(text)}`,
    );
  }
  const field = match[1]!;
  if (!Object.hasOwn(fieldValues, field)) {
    throw new SyntaxError(
      `unknown field ${JSON.stringify(field)} in ${JSON.stringify(text)}; fields: ${thresholdFields.join(', ')}`,
    );
  }
  return {
    expression: text.trim(),
    field: field as ThresholdField,
    operator: match[2] as ThresholdOperator,
    value: Number(match[3]),
  };
}

/** Judges `threshold` against one run. */
export function judgeThreshold(threshold: Threshold, result: PolicyResult): ThresholdResult {
  const actual = fieldValues[threshold.field](result);
  return {
    expression: threshold.expression,
    actual,
    passed: compare[threshold.operator](actual, threshold.value),
  };
}

const formatActual = (x: number): string =>
  Number.isInteger(x) ? x.toLocaleString('en-US') : String(Math.round(x * 10_000) / 10_000);

/**
 * The thresholds as a small table, one per line with `pass` or `FAIL` and
 * the value the run had, e.g. `  timedOut==0   FAIL   (was 12)`. Empty
 * when there are none.
 */
export function formatThresholds(results: readonly ThresholdResult[]): string {
  if (results.length === 0) return '';
  const rows = results.map((t) => [
    `  ${t.expression}`,
    t.passed ? 'pass' : 'FAIL',
    `(was ${formatActual(t.actual)})`,
  ]);
  return `thresholds:\n${formatAlignedTable(rows, { align: ['left', 'left', 'left'], headerRule: false })}`;
}
