import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { RunReport, ServerStats } from '../../src/core/runResult.js';
import { fetchServerStats } from '../../src/load/fetchServerStats.js';

// The compiled CLI; `make test` builds it before jest runs. Without a build
// (a bare jest run) these end-to-end checks cannot run, and say so.
const bin = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../dist/cli/loadCommand.js', import.meta.url)));
const whenBuilt = built ? test : test.skip;

/** Runs `h2flow …` as its own process to the end; bounded by `limitMs`. */
function h2flow(
  args: string[],
  limitMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`h2flow ${args.join(' ')} ran past ${limitMs} ms`));
    }, limitMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('h2flow serve and h2flow load as separate processes', () => {
  let serve: ChildProcessByStdio<null, Readable, Readable> | undefined;
  let url = '';

  beforeAll(async () => {
    if (!built) return;
    // 10 streams ÷ 50 ms: one connection carries at most 200 req/s, so 600 TPS is 3× capacity.
    serve = spawn(
      process.execPath,
      [bin, 'serve', '--port', '0', '--max-streams', '10', '--latency', '50ms'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines = createInterface({ input: serve.stdout })[Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([
      lines.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('serve printed no URL within 10 s')), 10_000);
      }),
    ]);
    clearTimeout(timer);
    url = String(first.value);
  });

  afterAll(async () => {
    if (serve === undefined || serve.exitCode !== null) return;
    const exited = new Promise((resolve) => serve!.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  });

  /** Runs one load with `--json` and reads the server's own counters around it. */
  async function load(policyArgs: string[]): Promise<{
    report: RunReport;
    before: ServerStats;
    after: ServerStats;
  }> {
    const before = await fetchServerStats(url);
    const run = await h2flow([
      'load',
      `${url}/charge`,
      '--rate',
      '600',
      '--duration',
      '2500ms',
      '--timeout',
      '800ms',
      '--body-bytes',
      '75',
      '--json',
      ...policyArgs,
    ]);
    const after = await fetchServerStats(url);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(before).toBeDefined();
    expect(after).toBeDefined();
    return { report: JSON.parse(run.stdout) as RunReport, before: before!, after: after! };
  }

  whenBuilt(
    'naive at 3× capacity: timeouts, wire cancellations, and the server counted them',
    async () => {
      const { report, before, after } = await load(['--policy', 'naive']);
      expect(report.kind).toBe('load');
      const [r] = report.results;
      expect(r!.policy).toBe('naive');
      expect(r!.submitted).toBe(1500);
      expect(r!.succeeded + r!.rejected + r!.timedOut + r!.failed).toBe(1500);
      expect(r!.timedOut).toBeGreaterThan(0);
      expect(r!.cancelledOnWire).toBeGreaterThan(0);
      expect(r!.connectionsMax).toBe(1);
      const [witness] = report.serverStats!;
      const cancels = witness!.rstReceived.CANCEL ?? 0;
      expect(cancels).toBeGreaterThan(0);
      expect(cancels).toBeLessThanOrEqual(r!.cancelledOnWire);
      // The report's witness is exactly what the serve process counted during the run.
      expect(cancels).toBe((after.rstReceived.CANCEL ?? 0) - (before.rstReceived.CANCEL ?? 0));
      expect(witness!.streamsStarted).toBe(after.streamsStarted - before.streamsStarted);
    },
  );

  whenBuilt(
    'adaptive at 3× capacity: sheds the excess and the server received no RST CANCEL',
    async () => {
      const { report, before, after } = await load([
        '--policy',
        'adaptive',
        '--max-connections',
        '1',
      ]);
      const [r] = report.results;
      expect(r!.policy).toBe('adaptive (max 1)');
      expect(r!.submitted).toBe(1500);
      expect(r!.succeeded + r!.rejected + r!.timedOut + r!.failed).toBe(1500);
      expect(r!.cancelledOnWire).toBe(0);
      expect(r!.rejected).toBeGreaterThan(1500 / 3);
      expect(r!.succeeded).toBeGreaterThan(0.5 * 200 * 2.5);
      const [witness] = report.serverStats!;
      expect(witness!.rstReceived).toEqual({});
      expect(after.rstReceived.CANCEL ?? 0).toBe(before.rstReceived.CANCEL ?? 0);
      expect(witness!.streamsCompleted).toBe(r!.succeeded);
    },
  );

  whenBuilt('a bad flag is one line on stderr and exit code 2', async () => {
    const run = await h2flow(['load', url || 'http://127.0.0.1:9/', '--rate', '3k']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('h2flow: --rate: expected a number between 0 and 10000000, got "3k"\n');
  });
});
