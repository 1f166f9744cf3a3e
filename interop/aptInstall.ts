/**
 * Installs Debian packages with apt-get, for the interop peers (nginx, Go)
 * that CI installs on a fresh machine. CI runs as root with no standard
 * input, so apt-get must never ask; anyone else gets the command to run.
 */
import { spawnSync } from 'node:child_process';

/**
 * Runs `apt-get update` and `apt-get install -y packages`, or throws an
 * Error naming `what` is missing and the command to run when this process
 * is not root, or when apt-get fails.
 */
export function aptInstall(
  packages: readonly string[],
  what: string,
  log: (line: string) => void,
): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${what} missing; run: sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`,
    );
  }
  log(`interop: installing ${packages.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...packages],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
  }
}
