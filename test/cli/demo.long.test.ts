import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

// `make test-long` builds dist/ first; a bare jest run without a build skips, and says so.
const bin = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../dist/cli/demoCommand.js', import.meta.url)));
const whenBuilt = built ? test : test.skip;

/** The number in a table cell: `1,234 (12.3%)` → 1234, `–` → NaN. */
function cellNumber(cell: string): number {
  return Number(cell.split(' ')[0]!.replaceAll(',', ''));
}

/** The side-by-side table as { row label → [naive, adaptive (max 1), adaptive (max 4)] }. */
function parseTable(stdout: string): Map<string, number[]> {
  const rows = new Map<string, number[]>();
  for (const line of stdout.split('\n')) {
    const cells = line.trim().split(/ {2,}/);
    if (cells.length === 4 && !line.startsWith(' '))
      rows.set(cells[0]!, cells.slice(1).map(cellNumber));
  }
  return rows;
}

describe('h2flow demo --quick', () => {
  let dir: string;
  let run: { code: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'h2flow-demo-'));
    if (!built) return;
    run = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'demo', '--quick'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
      });
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('demo --quick ran past 90 s'));
      }, 90_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }, 100_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  whenBuilt('prints the three runs side by side and says where the report is', async () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ +naive +adaptive \(max 1\) +adaptive \(max 4\)$/m);
    const reportPath = join(dir, 'demo-report.html');
    expect(run.stdout).toContain(`report: ${reportPath}\n`);
    const html = await readFile(reportPath, 'utf8');
    for (const policy of ['naive', 'adaptive (max 1)', 'adaptive (max 4)'])
      expect(html).toContain(policy);
    // Progress on stderr names each run as it starts.
    expect(run.stderr).toMatch(/one connection carried \d+ req\/s when saturated/);
    expect(run.stderr).toContain('run 1/3: naive');
    expect(run.stderr).toContain('run 3/3: adaptive (max 4)');
  });

  whenBuilt(
    'shows the seed failing naively and h2flow avoiding it, by the server’s own count',
    () => {
      const t = parseTable(run.stdout);
      const [naiveRst, cappedRst, wideRst] = t.get('RST_STREAM at server')!;
      const [naiveTimedOut, cappedTimedOut, wideTimedOut] = t.get('timed out')!;
      const [naiveCancels, cappedCancels, wideCancels] = t.get('cancelled on wire')!;
      expect(naiveTimedOut).toBeGreaterThan(0);
      expect(naiveCancels).toBeGreaterThan(0);
      expect(naiveRst).toBeGreaterThan(0);
      expect([cappedRst, wideRst, cappedCancels, wideCancels]).toEqual([0, 0, 0, 0]);
      expect([cappedTimedOut, wideTimedOut]).toEqual([0, 0]);
      const [, cappedShed] = t.get('rejected (shed)')!;
      const [, cappedConns, wideConns] = t.get('max connections')!;
      const [, cappedGoodput, wideGoodput] = t.get('goodput (req/s)')!;
      const [, cappedCapacity] = t.get('capacity (req/s)')!;
      expect(cappedConns).toBe(1);
      expect(cappedShed).toBeGreaterThan(0);
      // Quick runs are 4 s with slow start in the first; these floors are loose on purpose:
      // the 30 s demo's figures are in docs/load.md.
      expect(cappedGoodput).toBeGreaterThan(0.6 * cappedCapacity!);
      expect(wideConns).toBeGreaterThan(1);
      expect(wideGoodput).toBeGreaterThan(cappedGoodput!);
    },
  );
});
