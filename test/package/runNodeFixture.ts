import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from './packageEntries.js';

const run = promisify(execFile);

/**
 * Runs `node <dir>/<fixture> ...args` in a fresh process (`dir` is relative
 * to the repository root, test/package/fixtures by default), with the root
 * as working directory, and parses the one JSON line it prints. A fixture
 * that exits non-zero rejects with its stderr.
 */
export async function runNodeFixture<T>(
  fixture: string,
  args: readonly string[],
  dir = join('test', 'package', 'fixtures'),
): Promise<T> {
  const file = join(packageRoot, dir, fixture);
  const { stdout } = await run(process.execPath, [file, ...args], {
    cwd: packageRoot,
    timeout: 20_000,
  });
  return JSON.parse(stdout) as T;
}
