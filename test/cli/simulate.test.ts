import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/runCli.js';

const run = runCli;

describe('h2flow simulate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'h2flow-simulate-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--json prints one JSON document with the issue’s fields per policy', async () => {
    const { code, stdout, stderr } = await run([
      'simulate',
      'simulations/seed-52845-cap1.json',
      '--duration',
      '3s',
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      kind: 'simulation',
      title: 'seed-52845-cap1',
      seed: 52845,
      timeoutMs: 5000,
    });
    expect(report.results.map((r: { policy: string }) => r.policy)).toEqual([
      'naive',
      'new-connection',
      'adaptive',
    ]);
    for (const r of report.results) {
      for (const field of [
        'offeredTps',
        'durationS',
        'submitted',
        'succeeded',
        'timedOut',
        'rejected',
        'failed',
        'cancelledOnWire',
        'goodputTps',
        'capacityTps',
        'efficiency',
        'queueWaitP99Ms',
        'latencyP99Ms',
        'connectionsMax',
      ]) {
        expect(typeof r[field]).toBe('number');
      }
      expect(r.durationS).toBe(3);
      expect(r.timeline).toHaveLength(3);
      // A run shorter than twice the warm-up measures its second half.
      expect(r.capacityTps).toBeGreaterThan(0);
      expect(r.goodputTps).toBeGreaterThan(0);
      expect(Object.keys(r.timeline[0])).toEqual(
        expect.arrayContaining([
          'offeredTps',
          'admittedTps',
          'completedTps',
          'queueWaitP99Ms',
          'connections',
          'rateTps',
        ]),
      );
    }
  }, 60_000);

  it('prints the table by default, with --seed and --policy honoured', async () => {
    const { code, stdout } = await run([
      'simulate',
      'simulations/step.json',
      '--duration',
      '2s',
      '--policy',
      'adaptive',
      '--seed',
      '99',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^step\n/);
    expect(stdout).toContain('seed 99');
    expect(stdout).toMatch(/efficiency/);
    expect(stdout).not.toMatch(/naive/);
  }, 60_000);

  it('--report writes an HTML report', async () => {
    const file = join(dir, 'out.html');
    const { code, stderr } = await run([
      'simulate',
      'simulations/goaway-churn.json',
      '--duration',
      '2s',
      '--policy',
      'adaptive',
      '--report',
      file,
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain(`report written to ${file}`);
    expect(await readFile(file, 'utf8')).toMatch(/^<!doctype html>/i);
  }, 60_000);

  it('bad flags and bad files: one line on stderr, exit 2', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({
        name: 'x',
        load: { phases: [{ durationS: 1, tps: 1 }] },
        server: { latency: { distribution: 'constant', meanMs: -5 } },
        client: { timeoutMs: 1, maxConnections: 1 },
      }),
    );
    const cases: [string[], RegExp][] = [
      [['simulate'], /^h2flow: missing required argument 'scenario\.json'\n$/],
      [['simulate', 'simulations/step.json', '--bogus'], /^h2flow: unknown option '--bogus'\n$/],
      [
        ['simulate', 'simulations/step.json', '--policy', 'fast'],
        /^h2flow: --policy: expected one of naive, new-connection, adaptive, all, got "fast"\n$/,
      ],
      [
        ['simulate', 'simulations/step.json', '--duration', '5'],
        /^h2flow: --duration: expected a duration with a unit/,
      ],
      [['simulate', join(dir, 'missing.json')], /missing\.json: cannot be read \(ENOENT\)\n$/],
      [['simulate', bad], /bad\.json: \/server\/latency\/meanMs must be > 0, got -5\n$/],
    ];
    for (const [argv, message] of cases) {
      const { code, stdout, stderr } = await run(argv);
      expect({ argv, code }).toEqual({ argv, code: 2 });
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('--help teaches with examples', async () => {
    const { code, stdout } = await run(['simulate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('h2flow simulate simulations/seed-52845-cap1.json');
    expect(stdout).toContain('--duration');
  });
});
