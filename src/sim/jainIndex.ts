/**
 * Jain's fairness index of `values` (Jain, Chiu and Hawe, 1984):
 * (Σx)² ÷ (n · Σx²). It is 1 when every value is equal and 1/n when one
 * takes everything; 1 for an empty or all-zero list (nothing is unfair).
 */
export function jainIndex(values: readonly number[]): number {
  let sum = 0;
  let sumSquares = 0;
  for (const x of values) {
    sum += x;
    sumSquares += x * x;
  }
  return sumSquares > 0 ? (sum * sum) / (values.length * sumSquares) : 1;
}
