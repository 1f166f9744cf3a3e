/**
 * The exit codes of `h2flow` (docs/load.md):
 * - 0: the command completed (for `load`: and every threshold held);
 * - 1: an unexpected error;
 * - 2: a usage error — a bad flag, argument or input file;
 * - 3: the run completed but not one request succeeded (the first cause is on stderr);
 * - 99: a `--threshold` failed, as k6 does.
 * When nothing succeeded, 3 wins over 99: a threshold such as `timedOut==0`
 * may well hold against a closed port, and must not hide it.
 */
export const exitCodes = Object.freeze({
  ok: 0,
  error: 1,
  usage: 2,
  nothingSucceeded: 3,
  thresholdFailed: 99,
});

/**
 * A command ran to the end and its result is a failure: `main` prints the
 * message as one line on stderr (no stack trace) and exits with `exitCode`.
 */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';

  constructor(
    message: string,
    /** The process exit code, one of {@link exitCodes}. */
    readonly exitCode: number,
  ) {
    super(message);
  }
}
