import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, jest, test } from '@jest/globals';
import { main } from '../../src/cli/main.js';
import { buildServeCommand, type ServeIo } from '../../src/cli/serveCommand.js';
import { parseLatencySpike, parseServeFlags, type ServeFlags } from '../../src/cli/serveFlags.js';
import { UsageError } from '../../src/cli/usageError.js';
import type { TestServerStats } from '../../src/server/serverCounters.js';
import type { TestServer } from '../../src/server/testServer.js';
import { closeSession, connectReady, request } from '../server/rawClient.js';

/** The flags commander gives with every default in place. */
function defaults(): ServeFlags {
  const command = buildServeCommand();
  command.parseOptions([]);
  return command.opts() as unknown as ServeFlags;
}

function usageMessage(flags: Partial<ServeFlags>): string {
  try {
    parseServeFlags({ ...defaults(), ...flags });
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(flags)}`);
}

/** Runs `serve` in-process; `use` talks to the running server, then it is stopped as by SIGTERM. */
async function runServe(
  argv: string[],
  use: (server: TestServer) => Promise<void>,
): Promise<{ stdout: string[]; stderr: string }> {
  const stdout: string[] = [];
  let stderr = '';
  let stop: (signal: string) => void = () => {};
  let failure: unknown;
  const io: ServeIo = {
    out: (text) => stdout.push(...text.split('\n').filter((l) => l !== '')),
    err: (text) => {
      stderr += text;
    },
    untilStopped: () => new Promise((resolve) => (stop = resolve)),
    onListening: (server) => {
      use(server)
        .catch((error: unknown) => {
          failure = error;
        })
        .finally(() => stop('SIGTERM'));
    },
  };
  await buildServeCommand(io).parseAsync(argv, { from: 'user' });
  if (failure) throw failure;
  return { stdout, stderr };
}

describe('parseServeFlags', () => {
  test('the defaults are the server defaults', () => {
    const { options, caOut } = parseServeFlags(defaults());
    expect(options).toEqual({
      host: '127.0.0.1',
      port: 0,
      tls: false,
      maxConcurrentStreams: 100,
      latencyMs: 50,
      latencyDist: 'const',
      windowBytes: 65_535,
      responseBytes: 64,
      refuseOverCapacity: false,
      errorFraction: 0,
      errorStatus: 503,
      retryAfterS: 1,
      notFoundFraction: 0,
      maxRequestBytes: 64 * 1024 * 1024,
      closeTimeoutMs: 5000,
    });
    expect(caOut).toBeUndefined();
  });

  test('maps every flag to its option, with units', () => {
    const { options } = parseServeFlags({
      ...defaults(),
      latency: '40ms',
      latencyDist: 'lognormal',
      latencyP99: '0.2s',
      capacity: '3000',
      maxQueued: '50',
      window: '1KiB',
      responseBytes: '75',
      goawayEvery: '1000',
      refuseOverCapacity: true,
      maxResets: '100/s',
      errorFraction: '0.1',
      errorStatus: '429',
      retryAfter: '2',
      notFoundFraction: '0.25',
      latencySpike: '10x@5s+3s',
      seed: '7',
    });
    expect(options).toMatchObject({
      latencyMs: 40,
      latencyDist: 'lognormal',
      latencyP99Ms: 200,
      capacityTps: 3000,
      maxQueued: 50,
      windowBytes: 1024,
      responseBytes: 75,
      goawayEvery: 1000,
      refuseOverCapacity: true,
      maxResetsPerS: 100,
      errorFraction: 0.1,
      errorStatus: 429,
      retryAfterS: 2,
      notFoundFraction: 0.25,
      latencySpike: { factor: 10, atMs: 5000, forMs: 3000 },
      seed: 7,
    });
    expect(parseServeFlags({ ...defaults(), maxResets: '100' }).options.maxResetsPerS).toBe(100);
  });

  test('--no-retry-after sends error answers without the header (retryAfterS null)', () => {
    const command = buildServeCommand();
    command.parseOptions(['--error-fraction', '0.05', '--no-retry-after']);
    const flags = command.opts() as unknown as ServeFlags;
    expect(flags.retryAfter).toBe(false);
    expect(parseServeFlags(flags).options).toMatchObject({
      errorFraction: 0.05,
      retryAfterS: null,
    });
  });

  test('--latency-spike takes a fractional factor and any duration unit', () => {
    expect(parseLatencySpike('2.5x@500ms+1.5s')).toEqual({ factor: 2.5, atMs: 500, forMs: 1500 });
    expect(parseLatencySpike('10x@0+2m')).toEqual({ factor: 10, atMs: 0, forMs: 120_000 });
  });

  test.each([
    [{ latency: '50' }, /^--latency: expected a duration with a unit/],
    [
      { latencyDist: 'pareto' },
      /^--latency-dist: expected one of const, exp, lognormal, got "pareto"$/,
    ],
    [{ latencyP99: '200ms' }, /^--latency-p99: only meaningful with --latency-dist lognormal$/],
    [{ capacity: '0' }, /^--capacity: expected a number > 0/],
    [{ port: '99999' }, /^--port: expected an integer between 0 and 65535/],
    [{ window: '0' }, /^--window: windowBytes must be an integer between 1 and 2147483647, got 0$/],
    [{ responseBytes: '4' }, /^--response-bytes: responseBytes must be/],
    [{ maxResets: 'many' }, /^--max-resets: expected an integer/],
    [{ errorStatus: '500' }, /^--error-status: expected one of 503, 429/],
    [{ caOut: 'ca.pem' }, /^--ca-out: only meaningful with --tls/],
    [{ retryAfter: '1.5' }, /^--retry-after: expected an integer between 0 and 86400, got "1.5"$/],
    [{ notFoundFraction: '2' }, /^--not-found-fraction: expected a number between 0 and 1/],
    [
      { latencySpike: '10@5s+3s' },
      /^--latency-spike: expected FACTORx@START\+LENGTH .*"10@5s\+3s"$/,
    ],
    [{ latencySpike: '10x@5+3s' }, /^--latency-spike: expected a duration with a unit/],
    [
      { latencySpike: '0x@5s+3s' },
      /^--latency-spike: latencySpike\.factor must be a finite number > 0 .*got 0$/,
    ],
    [{ latencySpike: '10x@5s+0' }, /^--latency-spike: latencySpike\.forMs must be .*got 0$/],
  ])('%j is one line naming the flag', (flags, message) => {
    const text = usageMessage(flags);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });
});

describe('h2flow serve (in-process)', () => {
  test('prints the URL first, serves, and prints the final counters when stopped', async () => {
    let statsSeen: TestServerStats | undefined;
    const { stdout, stderr } = await runServe(
      ['--latency', '5ms', '--max-streams', '7'],
      async (server) => {
        const session = await connectReady(server.url);
        expect(session.remoteSettings.maxConcurrentStreams).toBe(7);
        expect((await request(session)).status).toBe(200);
        await closeSession(session);
        statsSeen = server.stats();
      },
    );
    expect(stdout[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stderr).toMatch(/^h2flow serve: 7 streams\/conn, const 5 ms, unlimited capacity/);
    const final = JSON.parse(stdout.at(-1)!) as TestServerStats;
    expect(final.streamsCompleted).toBe(1);
    expect(final.streamsStarted).toBe(statsSeen!.streamsStarted);
    expect(stdout).toHaveLength(2);
  });

  test('--tls --ca-out writes a CA a client verifies the server with', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'h2flow-serve-'));
    const caFile = join(dir, 'ca.pem');
    try {
      const { stdout } = await runServe(
        ['--tls', '--ca-out', caFile, '--latency', '1ms'],
        async (server) => {
          const ca = await readFile(caFile, 'utf8');
          expect(ca).toBe(server.caPem);
          const session = await connectReady(server.url, { ca });
          expect((await request(session)).status).toBe(200);
          await closeSession(session);
        },
      );
      expect(stdout[0]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('--capacity reports its workers', async () => {
    const { stderr } = await runServe(['--capacity', '200', '--latency', '50ms'], async () => {});
    expect(stderr).toContain('capacity 200 TPS (10 workers)');
  });
});

describe('h2flow serve through main()', () => {
  test('a bad flag is one line on stderr and exit 2', async () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['serve', '--latency', 'fast'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toBe(
      'h2flow: --latency: expected a duration with a unit such as 50ms, 5s or 2m, got "fast"\n',
    );
  });

  test('an unknown flag is one line, with commander’s suggestion, and exit 2', async () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['serve', '--latnecy', '5ms'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toBe("h2flow: unknown option '--latnecy' (Did you mean --latency?)\n");
  });

  test('--help teaches with examples and exits 0', async () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['serve', '--help'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const help = writes.join('');
    expect(help).toContain('Usage: h2flow serve [options]');
    expect(help).toContain('--refuse-over-capacity');
    expect(help).toContain('--no-retry-after');
    expect(help).toContain('--not-found-fraction');
    expect(help).toContain('--latency-spike');
    expect(help).toContain('10x@5s+3s');
    expect(help).toContain('Examples:');
    expect(help).toContain('/__h2flow/stats');
  });
});
