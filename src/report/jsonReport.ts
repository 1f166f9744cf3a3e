import fastJson from 'fast-json-stringify';
import type { RunReport } from '../core/runResult.js';
import { normalizeRunReport } from './normalizeRunReport.js';
import { runReportSchema } from './runReportSchema.js';

// Re-exported so JSON consumers find the serializer and its schema in one place.
export { runReportSchema } from './runReportSchema.js';

// Compiled once at import: fast-json-stringify generates a serializer from the
// schema, so properties come out in schema order whatever order the producer
// built the object in. Integer fields are rounded, not truncated (its default),
// so a count of 2.9999999 from float arithmetic prints as 3.
const serialize = fastJson(runReportSchema as fastJson.AnySchema, {
  rounding: 'round',
}) as (doc: RunReport) => string;

/**
 * Serializes a {@link RunReport} as one line of JSON, the `--json` output of
 * `simulate`, `load` and `demo`. Fields and their order follow
 * {@link runReportSchema}; fields outside it are dropped. The output is
 * deterministic: the same report gives a byte-identical string, because the
 * report is first normalized ({@link normalizeRunReport}: NaN and ±Infinity
 * become 0, `rstReceived` keys are sorted), so no `NaN`, `Infinity` or
 * `null` number can appear.
 */
export function stringifyRunReport(report: RunReport): string {
  return serialize(normalizeRunReport(report));
}
