import type { RunReport } from '../core/runResult.js';
import { formatAlignedTable } from './alignedTable.js';
import { normalizeRunReport } from './normalizeRunReport.js';
import { summaryRows } from './summaryRows.js';
import { reportVerdicts } from './verdict.js';
import { wrapText } from './wrapText.js';

/** Verdict paragraphs wrap here, to stay readable in a 100-column terminal. */
const verdictWidthChars = 96;

/**
 * The terminal summary of a run, as printed by `simulate`, `load` and `demo`:
 * the title and set-up, a table with one column per policy and one row per
 * metric (policies as columns keep three or four policies within 80–100
 * terminal columns, where metrics as columns would need ~200), then one
 * plain-English verdict paragraph per policy (wrapped at 96 columns).
 * Numbers are right-aligned with thousands separators. Ends without a newline.
 */
export function formatResultsTable(report: RunReport): string {
  const normalized = normalizeRunReport(report);
  const rows = summaryRows(normalized);
  const table = formatAlignedTable(
    [['', ...normalized.results.map((r) => r.policy)], ...rows.map((r) => [r.label, ...r.cells])],
    { align: ['left'] },
  );
  const setup = [normalized.description];
  if (normalized.seed !== undefined) setup.push(`seed ${normalized.seed}`);
  const header = [normalized.title, setup.filter((part) => part !== '').join(', ')];
  const verdicts = reportVerdicts(normalized).map((v) =>
    wrapText(`${v.policy}: ${v.text}`, verdictWidthChars, '  '),
  );
  return [...header, '', table, '', ...verdicts].join('\n');
}
