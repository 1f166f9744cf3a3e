/** An inclusive range of HTTP status codes, e.g. `{ fromStatus: 200, toStatus: 299 }`. */
export interface StatusRange {
  /** Lowest status in the range. */
  readonly fromStatus: number;
  /** Highest status in the range (inclusive). */
  readonly toStatus: number;
}

/**
 * The statuses that count as success by default: 200–399, as k6's
 * `expected_statuses`. A status outside the expected ranges is an HTTP
 * error: it is not goodput.
 */
export const defaultExpectedStatuses: readonly StatusRange[] = Object.freeze([
  Object.freeze({ fromStatus: 200, toStatus: 399 }),
]);

/** True when `status` lies in one of `ranges`. */
export function isExpectedStatus(status: number, ranges: readonly StatusRange[]): boolean {
  for (const r of ranges) if (status >= r.fromStatus && status <= r.toStatus) return true;
  return false;
}

const item = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/;

/**
 * Parses a list of statuses and ranges such as `200-299,404`. Throws a
 * `SyntaxError` whose message names the bad part, e.g.
 * `expected statuses or ranges such as 200-299,404, got "2xx"`.
 */
export function parseStatusRanges(text: string): StatusRange[] {
  const ranges: StatusRange[] = [];
  for (const part of text.split(',')) {
    const match = item.exec(part);
    const fromStatus = Number(match?.[1]);
    const toStatus = Number(match?.[2] ?? match?.[1]);
    if (!match || fromStatus < 100 || toStatus > 599 || toStatus < fromStatus) {
      throw new SyntaxError(
        `expected statuses (100-599) or ranges such as 200-299,404, got ${JSON.stringify(part.trim())}`,
      );
    }
    ranges.push({ fromStatus, toStatus });
  }
  return ranges;
}

/** The ranges as the flag would spell them: `200-299,404`. */
export function formatStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges
    .map((r) => (r.fromStatus === r.toStatus ? `${r.fromStatus}` : `${r.fromStatus}-${r.toStatus}`))
    .join(',');
}
