/**
 * Small helpers shared by the benchmarks: where the repository is, how a
 * result line is appended to `bench/results/latest.jsonl`, and the summary
 * statistics every bench reports (median and spread of per-round figures).
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest directory above this module with a package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: no package.json above the script');
    dir = up;
  }
  return dir;
}

/**
 * Appends one result as one JSON line to `bench/results/latest.jsonl`, with
 * `bench` first and `date` and `node` added, so every line has the same frame.
 * `H2FLOW_BENCH_DRY=1` skips the file (trial runs while tuning a bench).
 */
export function appendResult(bench: string, fields: Record<string, unknown>): void {
  if (process.env.H2FLOW_BENCH_DRY === '1') return;
  const dir = join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const line = { bench, ...fields, date: new Date().toISOString(), node: process.version };
  appendFileSync(join(dir, 'latest.jsonl'), `${JSON.stringify(line)}\n`);
}

/** The median of `xs` (the mean of the middle two for an even count); NaN when empty. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The median of `xs` with its spread (min and max), as a bench reports a per-round figure. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** {@link Spread} of `xs`. */
export function spread(xs: readonly number[]): Spread {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** `0.93 (0.90–0.95)`: a spread as the benches print it, with `digits` decimals. */
export function formatSpread(s: Spread, digits = 3): string {
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** Rounds to `digits` decimals for a JSON line. */
export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Wall-clock milliseconds, monotonic. */
export function nowMs(): number {
  return performance.now();
}
