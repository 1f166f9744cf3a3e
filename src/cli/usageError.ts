/**
 * A bad flag, argument or input file: the CLI prints its message as one line
 * and exits with code 2 (no stack trace).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
