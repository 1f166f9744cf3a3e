import { runInThisContext } from 'node:vm';

/** What {@link watchProcessFaults} saw. */
export interface ProcessFaultWatch {
  /** Every unhandled rejection and uncaught exception seen so far, as one line each. */
  readonly seen: readonly string[];
  /** Removes the listeners and returns what they saw. */
  stop(): readonly string[];
}

/**
 * Listens for `unhandledRejection` and `uncaughtException` on the real Node
 * process while a fault scenario runs, so a test can assert that none fired.
 *
 * Jest gives each test file a copy of `process` whose listeners Node never
 * calls; `vm.runInThisContext` evaluates in the main context, where `process`
 * is the real one. (Jest also fails a test on these events; the listeners
 * make the invariant explicit and name what fired.)
 */
export function watchProcessFaults(): ProcessFaultWatch {
  const real = runInThisContext('process') as NodeJS.Process;
  const seen: string[] = [];
  const onRejection = (reason: unknown): void => {
    seen.push(`unhandledRejection: ${describe(reason)}`);
  };
  const onException = (error: unknown): void => {
    seen.push(`uncaughtException: ${describe(error)}`);
  };
  real.on('unhandledRejection', onRejection);
  real.on('uncaughtException', onException);
  return {
    seen,
    stop() {
      real.off('unhandledRejection', onRejection);
      real.off('uncaughtException', onException);
      return seen;
    },
  };
}

function describe(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}
