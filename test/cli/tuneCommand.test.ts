import { createServer as createNetServer } from 'node:net';
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { main } from '../../src/cli/main.js';
import { buildTuneCommand, parseTuneFlags, type TuneFlags } from '../../src/cli/tuneCommand.js';
import { UsageError } from '../../src/cli/usageError.js';
import { startTestServer, type TestServer } from '../../src/server/testServer.js';
import type { TuneResult } from '../../src/tune/tuneResult.js';

const defaults: TuneFlags = { timeout: '5s', maxConnections: '16', durationLimit: '2m' };

function usage(flags: Partial<TuneFlags>, url = 'http://127.0.0.1:8080/'): string {
  try {
    parseTuneFlags(url, { ...defaults, ...flags });
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(flags)}`);
}

/** Runs the CLI in-process; returns the exit code and what went to stderr. */
async function run(argv: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  jest.spyOn(process.stderr, 'write').mockImplementation((text) => {
    stderr += String(text);
    return true;
  });
  jest.spyOn(process.stdout, 'write').mockImplementation((text) => {
    stdout += String(text);
    return true;
  });
  try {
    return { code: await main(argv), stderr, stdout };
  } finally {
    jest.restoreAllMocks();
  }
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('h2flow tune flags', () => {
  test('the defaults are the issue’s: 5 s timeout, 16 connections, 2 minutes, no rate cap', () => {
    expect(parseTuneFlags('http://h:1/x?y=1', defaults)).toEqual({
      url: 'http://h:1/x?y=1',
      timeoutMs: 5000,
      maxConnections: 16,
      maxRateTps: undefined,
      durationLimitMs: 120_000,
      method: undefined,
      body: undefined,
    });
  });

  test('body, method, rate and limits', () => {
    const o = parseTuneFlags('https://h/', {
      ...defaults,
      timeout: '1.5s',
      maxRate: '2500',
      maxConnections: '4',
      durationLimit: '20s',
      method: 'post',
      body: '{"a":1}',
    });
    expect(o).toMatchObject({
      timeoutMs: 1500,
      maxRateTps: 2500,
      maxConnections: 4,
      durationLimitMs: 20_000,
      method: 'POST',
    });
    expect(Buffer.from(o.body!).toString()).toBe('{"a":1}');
    expect(parseTuneFlags('http://h/', { ...defaults, bodyBytes: '1KiB' }).body).toEqual(
      new Uint8Array(1024).fill(0x78),
    );
  });

  test('each bad value is named in one line', () => {
    expect(usage({ timeout: '5' })).toBe(
      '--timeout: expected a duration with a unit such as 50ms, 5s or 2m, got "5"',
    );
    expect(usage({ timeout: '0' })).toBe('--timeout: expected a duration above 0, got "0"');
    expect(usage({ maxConnections: '0' })).toBe(
      '--max-connections: expected an integer between 1 and 1024, got "0"',
    );
    expect(usage({ maxRate: 'fast' })).toBe(
      '--max-rate: expected a number between 0 and 1000000, got "fast"',
    );
    expect(usage({ maxRate: '0' })).toBe('--max-rate: expected a number > 0, got "0"');
    expect(usage({ durationLimit: '0' })).toBe(
      '--duration-limit: expected a duration above 0, got "0"',
    );
    expect(usage({ body: 'x', bodyBytes: '10' })).toBe(
      '--body and --body-bytes: give one or the other',
    );
    expect(usage({ bodyBytes: '10 apples' })).toMatch(/^--body-bytes: expected a byte count/);
    expect(usage({ method: 'GE T' })).toBe(
      '--method: expected an HTTP method such as GET or POST, got "GE T"',
    );
    expect(usage({}, 'ftp://h/')).toBe(
      '<url>: expected an http:// or https:// URL, got "ftp://h/"',
    );
    expect(usage({}, 'not a url')).toBe(
      '<url>: expected an http:// or https:// URL, got "not a url"',
    );
  });

  test('bad flags exit 2 with one line on stderr, before anything is sent', async () => {
    for (const argv of [
      ['tune', 'http://127.0.0.1:1/', '--max-rate', '-5'],
      ['tune', 'http://127.0.0.1:1/', '--bogus'],
      ['tune'],
    ]) {
      const { code, stderr } = await run(argv);
      expect(code).toBe(2);
      expect(stderr.trimEnd().split('\n')[0]).toMatch(/^h2flow: /);
      expect(stderr).not.toMatch(/\n {4}at /);
    }
  });

  test('--help teaches with examples', async () => {
    const help = buildTuneCommand().helpInformation();
    expect(help).toMatch(/--max-rate <tps>/);
    const { code, stdout } = await run(['tune', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Examples:/);
    expect(stdout).toMatch(/\$ h2flow tune http:\/\/127\.0\.0\.1:8080\/ --max-rate 500/);
    expect(stdout).toMatch(/How it probes/);
  });
});

describe('h2flow tune against a real server', () => {
  test('--json: one JSON document on stdout, progress on stderr, and a recommendation at or below the capacity', async () => {
    // 20 streams at 100 ms: one connection carries 200 req/s, more than --max-rate 150.
    server = await startTestServer({ maxConcurrentStreams: 20, latencyMs: 100 });
    const out: string[] = [];
    const err: string[] = [];
    await buildTuneCommand({ out: (t) => out.push(t), err: (t) => err.push(t) }).parseAsync(
      [
        `${server.url}/`,
        '--max-rate',
        '150',
        '--duration-limit',
        '15s',
        '--json',
        '--method',
        'POST',
        '--body-bytes',
        '75',
      ],
      { from: 'user' },
    );
    const result = JSON.parse(out.join('')) as TuneResult;
    expect(result.url).toBe(`${server.url}/`);
    expect(result.recommendation.connections).toBe(1);
    expect(result.recommendation.stop).toBe('max-rate');
    expect(result.recommendation.maxSafeTps).toBeLessThanOrEqual(150);
    expect(result.recommendation.maxSafeTps).toBeGreaterThanOrEqual(135);
    expect(result.confirm?.held).toBe(true);
    expect(err.join('')).toMatch(/h2flow tune: probing with 1 connection\.\.\./);
    expect(err.join('')).toMatch(/h2flow tune: 1 connection: carried --max-rate/);
    expect(err.join('')).toMatch(/h2flow tune: confirming \d+ req\/s on 1 connection\.\.\./);
    expect(server.stats().rstReceived.CANCEL ?? 0).toBe(0);
    expect(server.stats().responsesByStatus['200']).toBeGreaterThan(0);
    expect(result.outcomes.statuses['200']).toBe(server.stats().responsesByStatus['200']);
    expect(result.outcomes.succeeded).toBe(result.outcomes.statuses['200']);
  }, 30_000);

  test('nothing listening: exit 3 and one line naming the cause, as load does', async () => {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { code, stdout, stderr } = await run([
      'tune',
      `http://127.0.0.1:${port}/`,
      '--timeout',
      '500ms',
      '--duration-limit',
      '3s',
      '--max-rate',
      '50',
    ]);
    expect(code).toBe(3);
    expect(stdout).toMatch(/did not succeed, by cause: .*connect ECONNREFUSED \d/);
    const lines = stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(
      /^h2flow: no request succeeded \(\d+ submitted\); first failure: connect ECONNREFUSED \(connection refused/,
    );
  }, 30_000);
});
