/** How a column's cells are padded: text reads left-aligned, numbers right-aligned. */
export type ColumnAlign = 'left' | 'right';

/** Options of {@link formatAlignedTable}. */
export interface AlignedTableOptions {
  /** Alignment per column; columns past the end of this list are right-aligned. Default: first column left, the rest right. */
  readonly align: readonly ColumnAlign[];
  /** Spaces between columns. Default 3. */
  readonly gapChars: number;
  /** Draw a rule of `-` under the first row (the header). Default true. */
  readonly headerRule: boolean;
}

/** Defaults of {@link AlignedTableOptions}. */
export const defaultAlignedTableOptions: AlignedTableOptions = {
  align: ['left'],
  gapChars: 3,
  headerRule: true,
};

// Width in code points, not UTF-16 units, so '–' or '÷' count as one column.
const widthOf = (text: string): number => [...text].length;

function pad(text: string, widthChars: number, align: ColumnAlign): string {
  const fill = ' '.repeat(Math.max(0, widthChars - widthOf(text)));
  return align === 'left' ? text + fill : fill + text;
}

/**
 * Lays out `rows` (the first one is the header) as a fixed-width text table
 * for a terminal: each column as wide as its widest cell, padded per its
 * alignment, no trailing spaces. Short rows are padded with empty cells.
 * Returns the lines joined with `\n`, with no final newline.
 */
export function formatAlignedTable(
  rows: readonly (readonly string[])[],
  options: Partial<AlignedTableOptions> = {},
): string {
  const { align, gapChars, headerRule } = { ...defaultAlignedTableOptions, ...options };
  if (!Number.isInteger(gapChars) || gapChars < 0) {
    throw new RangeError(`gapChars must be an integer >= 0, got ${gapChars}`);
  }
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(0, ...rows.map((r) => widthOf(r[c] ?? ''))),
  );
  const alignOf = (c: number): ColumnAlign => align[c] ?? 'right';
  const gap = ' '.repeat(gapChars);
  const line = (cells: readonly string[]): string =>
    widths
      .map((w, c) => pad(cells[c] ?? '', w, alignOf(c)))
      .join(gap)
      .trimEnd();
  const lines = rows.map(line);
  if (headerRule && lines.length > 0) {
    lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join(gap));
  }
  return lines.join('\n');
}
