import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type LoadFlags, parseLoadFlags } from '../../src/cli/loadCommand.js';
import { formatProgressLine } from '../../src/cli/loadProgressLine.js';
import type { RunReport } from '../../src/core/runResult.js';
import { runCli } from '../helpers/runCli.js';
import { serverFixture } from '../server/serverFixture.js';

const run = runCli;

const startServer = serverFixture();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'h2flow-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const flags = (over: Partial<LoadFlags> = {}): LoadFlags => ({
  rate: '100',
  duration: '30s',
  timeout: '5s',
  policy: 'adaptive',
  ...over,
});

describe('h2flow load: bad flags are one line naming the flag and the value, exit 2', () => {
  it.each([
    [['--rate', 'fast'], /^h2flow: --rate: expected a number between 0 and 10000000, got "fast"$/],
    [['--rate', '0'], /^h2flow: --rate: expected a number > 0, got "0"$/],
    [['--rate', '10', '--duration', '5'], /^h2flow: --duration: expected a duration with a unit/],
    [
      ['--rate', '10', '--timeout', '0'],
      /^h2flow: --timeout: expected a duration above 0, got "0"$/,
    ],
    [
      ['--rate', '10', '--policy', 'fixed'],
      /^h2flow: --policy: expected one of naive, naive-fifo, adaptive, got "fixed"$/,
    ],
    [
      ['--rate', '10', '--connections', '2'],
      /^h2flow: --connections: only meaningful with --policy naive/,
    ],
    [
      ['--rate', '10', '--policy', 'naive', '--connections', '0'],
      /^h2flow: --connections: expected an integer between 1 and 1024, got "0"$/,
    ],
    [
      ['--rate', '10', '--policy', 'naive', '--max-connections', '4'],
      /^h2flow: --max-connections: only meaningful with --policy adaptive/,
    ],
    [
      ['--rate', '10', '--header', 'novalue'],
      /^h2flow: --header: expected name:value, got "novalue"$/,
    ],
    [
      ['--rate', '10', '--header', ':path:/x'],
      /^h2flow: --header: expected name:value, got ":path:\/x"$/,
    ],
    [
      ['--rate', '10', '--body', 'missing.bin'],
      /^h2flow: --body: cannot read "missing.bin" \(ENOENT\)$/,
    ],
    [['--rate', '10', '--body-bytes', 'lots'], /^h2flow: --body-bytes: expected a byte count/],
    [
      ['--rate', '10', '--body', 'a', '--body-bytes', '3'],
      /^h2flow: --body-bytes: give either --body <file> or --body-bytes N, not both$/,
    ],
    [['--rate', '10', '--ca', 'ca.pem'], /^h2flow: --ca: only meaningful for https:\/\/ targets$/],
    [
      ['--rate', '10', '--insecure'],
      /^h2flow: --insecure: only meaningful for https:\/\/ targets$/,
    ],
    [
      ['--rate', '10', '--duration', '2s', '--warmup', '3s'],
      /^h2flow: --warmup: expected at most --duration \(2s\), got "3s"$/,
    ],
    [['--rate', '10', '--method', 'G T'], /^h2flow: --method: expected an HTTP method/],
    [
      ['--rate', '10', '--requests', '0'],
      /^h2flow: --requests: expected an integer >= 1, got "0"$/,
    ],
    [[], /^h2flow: required option '--rate <tps>' not specified$/],
    [['--rate', '10', '--bogus'], /^h2flow: unknown option '--bogus'/],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await run(['load', 'http://127.0.0.1:9/', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('names a URL that is not http(s)', async () => {
    const { code, stderr } = await run(['load', 'ftp://x/', '--rate', '10']);
    expect(code).toBe(2);
    expect(stderr).toBe('h2flow: <url>: expected an http:// or https:// URL, got "ftp://x/"\n');
  });
});

describe('parseLoadFlags', () => {
  it('turns flags into run options: repeated headers, a body file, naive connections', async () => {
    const bodyFile = join(dir, 'body.json');
    await writeFile(bodyFile, '{"imsi":"001010123456789"}');
    const plan = parseLoadFlags('http://127.0.0.1:8080/charge?x=1', {
      ...flags({ policy: 'naive', connections: '3', duration: '2m', timeout: '500ms' }),
      header: ['X-Trace: a', 'x-trace:b', 'content-type: application/json'],
      body: bodyFile,
      method: 'put',
      requests: '1000',
    });
    expect(plan.json).toBe(false);
    expect(plan.insecure).toBe(false);
    expect(plan.options).toMatchObject({
      url: 'http://127.0.0.1:8080/charge?x=1',
      rateTps: 100,
      durationMs: 120_000,
      timeoutMs: 500,
      policy: 'naive',
      connections: 3,
      maxRequests: 1000,
      method: 'PUT',
      headers: { 'x-trace': ['a', 'b'], 'content-type': 'application/json' },
      rejectUnauthorized: true,
    });
    expect(Buffer.from(plan.options.body!).toString()).toBe('{"imsi":"001010123456789"}');
  });

  it('makes a body of N bytes, and turns verification off only with --insecure on https', () => {
    const plan = parseLoadFlags('https://example.test/', {
      ...flags({ maxConnections: '4', bodyBytes: '75', insecure: true }),
    });
    expect(plan.options.body?.byteLength).toBe(75);
    expect(plan.options.maxConnections).toBe(4);
    expect(plan.options.rejectUnauthorized).toBe(false);
    expect(plan.insecure).toBe(true);
  });
});

describe('formatProgressLine', () => {
  it('shows elapsed, offered, outcomes, the rate decision, connections and queue-wait p99', () => {
    const line = formatProgressLine({
      phase: 'offering',
      elapsedMs: 12_345,
      durationMs: 30_000,
      offered: 37_035,
      succeeded: 24_100,
      rejected: 12_000,
      timedOut: 0,
      failed: 0,
      rateTps: 1998.6,
      connections: 1,
      queueWaitP99Ms: 412.7,
    });
    expect(line).toBe(
      '12.3/30s offered 37,035 ok 24,100 rejected 12,000 timed out 0 | rate 1,999/s conns 1 queue p99 413ms',
    );
  });

  it('shows no rate for the naive policy, and says when it drains', () => {
    const line = formatProgressLine({
      phase: 'draining',
      elapsedMs: 30_400,
      durationMs: 30_000,
      offered: 90_000,
      succeeded: 1,
      rejected: 0,
      timedOut: 5,
      failed: 0,
      rateTps: 0,
      connections: 0,
      queueWaitP99Ms: 5000,
    });
    expect(line).toMatch(/^30\.4\/30s \(draining\) .* rate – conns 0 queue p99 5,000ms$/);
  });
});

describe('h2flow load in-process against the embedded server', () => {
  it('--json prints the simulate report shape with the server witness, and --report writes HTML', async () => {
    const server = await startServer({ maxConcurrentStreams: 10, latencyMs: 20 });
    const html = join(dir, 'load.html');
    const { code, stdout, stderr } = await run([
      'load',
      `${server.url}/x`,
      '--rate',
      '200',
      '--duration',
      '1s',
      '--policy',
      'naive',
      '--body-bytes',
      '75',
      '--header',
      'content-type:application/json',
      '--json',
      '--report',
      html,
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe(`h2flow: report written to ${html}\n`);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(stdout) as RunReport;
    expect(report.kind).toBe('load');
    expect(report.description).toContain('POST /x with a 75-byte body, offered 200 TPS');
    const [r] = report.results;
    expect(Object.keys(r!)).toEqual(
      expect.arrayContaining([
        'submitted',
        'succeeded',
        'timedOut',
        'rejected',
        'failed',
        'cancelledOnWire',
        'goodputTps',
        'queueWaitP99Ms',
        'latencyP99Ms',
        'connectionsMax',
        'timeline',
      ]),
    );
    expect(r!.submitted).toBe(200);
    expect(r!.succeeded).toBe(200);
    expect(r!.timeline).toHaveLength(1);
    expect(report.serverStats).toEqual([
      expect.objectContaining({ streamsStarted: 200, streamsCompleted: 200, rstReceived: {} }),
    ]);
    expect(server.stats().responsesByStatus).toEqual({ '200': 200 });
    const page = await readFile(html, 'utf8');
    expect(page).toContain('<svg');
  });

  it('prints the table, the verdict and the generator line without --json', async () => {
    const server = await startServer({ latencyMs: 5 });
    const { code, stdout } = await run([
      'load',
      server.url,
      '--rate',
      '100',
      '--duration',
      '500ms',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^h2flow load http:\/\/127\.0\.0\.1:\d+\/\n/);
    expect(stdout).toMatch(/RST_STREAM at server +0\n/);
    expect(stdout).toMatch(/^adaptive \(max 8\): /m);
    expect(stdout).toMatch(/^generator: 50 requests sent, p99 \d+ ms/m);
  });

  it('--insecure loads an https:// target without verification and warns that it is off', async () => {
    const server = await startServer({ tls: true, latencyMs: 5 });
    const { code, stdout, stderr } = await run([
      'load',
      server.url,
      '--rate',
      '100',
      '--duration',
      '300ms',
      '--policy',
      'naive',
      '--insecure',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe('h2flow: warning: --insecure: TLS certificate verification is off\n');
    const report = JSON.parse(stdout) as RunReport;
    expect(report.results[0]!.succeeded).toBe(30);
    expect(report.serverStats![0]!.streamsCompleted).toBe(30);
  });

  it('--help teaches with examples', async () => {
    const { code, stdout } = await run(['load', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('coordinated omission');
    expect(stdout).toContain('$ h2flow load http://127.0.0.1:8080/ --rate 3000');
    expect(stdout).toContain('--policy naive');
  });
});
