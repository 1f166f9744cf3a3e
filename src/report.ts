/**
 * `h2flow/report`: renders a `RunReport` (what `h2flow simulate`, `load` and
 * `demo` produce) as a text table (`formatResultsTable`), one line of JSON
 * (`stringifyRunReport`, fields and order from `runReportSchema`) or a
 * self-contained HTML page with charts (`renderHtmlReport`). docs/reports.md
 * describes each.
 *
 * A separate entry because its dependencies are heavy: fast-json-stringify
 * (with ajv) loads with it, and Vega, Vega-Lite and d3 (about 50 packages)
 * load on the first `renderHtmlReport` call.
 */

export type {
  PolicyResult,
  RunReport,
  ServerStats,
  TimelinePoint,
} from './core/runResult.js';
export { renderHtmlReport } from './report/htmlReport.js';
export { stringifyRunReport } from './report/jsonReport.js';
export { type JsonSchemaNode, runReportSchema } from './report/runReportSchema.js';
export { formatResultsTable } from './report/textReport.js';
