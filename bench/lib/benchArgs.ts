/**
 * Flags for the bench and interop scripts, as a user of `make bench` meets
 * them: `--help` prints what the script measures and its flags, and a bad
 * flag or value is one line naming it and exit code 2, never a stack trace.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A flag the script cannot run with: {@link runBench} prints its message as one line and exits 2. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

/**
 * Parses this process's flags with `config` (node:util's `parseArgs`).
 * `--help` or `-h` prints `usage` and exits 0; an unknown flag, or a flag
 * without its value, throws a {@link BenchUsageError}.
 */
export function benchArgs<T extends ParseArgsConfig>(
  usage: string,
  config: T,
): ReturnType<typeof parseArgs<T>>['values'] {
  const args = config.args ?? process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage.trim());
    process.exit(0);
  }
  try {
    return parseArgs(config).values;
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
}

/**
 * Runs a script's `main`. A {@link BenchUsageError} prints
 * `<script>: <message> (--help lists the flags)` and exits 2; any other
 * error is a failure of the run, printed whole (its stack is where to look),
 * with exit code 1.
 */
export function runBench(script: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof BenchUsageError) {
      console.error(`${script}: ${error.message} (--help lists the flags)`);
      process.exitCode = 2;
      return;
    }
    console.error(error);
    process.exitCode = 1;
  });
}

/** A positive finite number from flag `name`'s text, or a {@link BenchUsageError} naming the flag and its value. */
export function positiveFlag(name: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !(value > 0) || !Number.isFinite(value)) {
    throw new BenchUsageError(`--${name} must be a positive number, not ${JSON.stringify(text)}`);
  }
  return value;
}

/** A positive integer from flag `name`'s text, or a {@link BenchUsageError} naming the flag and its value. */
export function countFlag(name: string, text: string | undefined): number {
  const value = positiveFlag(name, text);
  if (!Number.isInteger(value)) {
    throw new BenchUsageError(`--${name} must be a whole number, not ${JSON.stringify(text)}`);
  }
  return value;
}

/** Positive integers from flag `name`'s comma-separated text ("1,4"), or a {@link BenchUsageError}. */
export function countsFlag(name: string, text: string | undefined): number[] {
  return (text ?? '').split(',').map((part) => countFlag(name, part));
}

/** Flag `name`'s text when it is one of `allowed`, or a {@link BenchUsageError} listing them. */
export function choiceFlag<C extends string>(
  name: string,
  text: string | undefined,
  allowed: readonly C[],
): C {
  if (text !== undefined && (allowed as readonly string[]).includes(text)) return text as C;
  throw new BenchUsageError(
    `--${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(text)}`,
  );
}
