import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createH2Server, createSecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { RunReport } from '../../src/core/runResult.js';
import { generateTestCertificate, type TestCertificate } from '../../src/server/testCertificate.js';
import { runCli } from '../helpers/runCli.js';

// Every run is bounded: 10 requests over 500 ms, each with a 1 s budget.
const bounded = ['--rate', '20', '--duration', '500ms', '--timeout', '1s'];

let dir: string;
let cert: TestCertificate;
const servers: Server[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'h2flow-causes-'));
  cert = await generateTestCertificate('127.0.0.1');
  await writeFile(join(dir, 'ca.pem'), cert.caPem);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

/** Listens on 127.0.0.1 port 0; the server is closed after the test. */
async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on: one the kernel just gave out and that was closed again. */
async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function load(url: string, ...extra: string[]) {
  const text = await runCli(['load', url, ...bounded, ...extra]);
  const json = await runCli(['load', url, ...bounded, ...extra, '--json', '--policy', 'naive']);
  return { text, json, report: JSON.parse(json.stdout) as RunReport };
}

describe('h2flow load names why nothing succeeded, exits 3, in text and --json', () => {
  it.each([
    [
      'a closed port',
      async () => `http://127.0.0.1:${await closedPort()}/`,
      [],
      'connect ECONNREFUSED',
      /path state +no connection: ECONNREFUSED/,
    ],
    [
      'an HTTP/1.1-only server',
      async () => {
        const port = await listen(createHttpServer((_, res) => res.end('hello')));
        return `http://127.0.0.1:${port}/`;
      },
      [],
      'protocol not HTTP/2',
      /path state +no connection: protocol not HTTP\/2/,
    ],
    [
      'an unresolvable .invalid host',
      async () => 'http://no-such-host.invalid/',
      [],
      /^connect (ENOTFOUND|EAI_AGAIN)$/,
      /path state +no connection: (ENOTFOUND|EAI_AGAIN)/,
    ],
    [
      'an HTTPS server that offers only http/1.1 by ALPN',
      async () => {
        const tls = { key: cert.keyPem, cert: cert.certPem };
        const port = await listen(createHttpsServer(tls, (_, res) => res.end('hello')));
        return `https://127.0.0.1:${port}/`;
      },
      ['--ca'],
      'tls ALPN without h2',
      /path state +no connection: tls ALPN without h2/,
    ],
    [
      'a TLS server with no ALPN at all',
      async () => {
        const tls = { key: cert.keyPem, cert: cert.certPem };
        const port = await listen(
          createTlsServer(tls, (socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')),
        );
        return `https://127.0.0.1:${port}/`;
      },
      ['--ca'],
      'tls ALPN without h2',
      /path state +no connection: tls ALPN without h2/,
    ],
  ] as [string, () => Promise<string>, string[], string | RegExp, RegExp][])(
    '%s',
    async (_name, target, flags, cause, pathState) => {
      const url = await target();
      const extra = flags.includes('--ca') ? ['--ca', join(dir, 'ca.pem')] : [];
      const { text, json, report } = await load(url, ...extra);
      for (const out of [text, json]) {
        expect(out.code).toBe(3);
        const lines = out.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^h2flow: no request succeeded \(10 submitted\); first failure: /);
        expect(lines[0]).toMatch(typeof cause === 'string' ? `first failure: ${cause} (` : /./);
      }
      expect(text.stdout).toMatch(pathState);
      const [r] = report.results;
      expect(r!.succeeded).toBe(0);
      expect(r!.connectionsMax).toBe(0);
      expect(r!.pathState).toBe('no-connection');
      const causes = Object.keys(r!.failuresByCause ?? {});
      expect(causes[0]).toMatch(
        typeof cause === 'string' ? new RegExp(`^${escapeRegExp(cause)}$`) : cause,
      );
      expect(text.stdout).toMatch(new RegExp(`failure: ${escapeRegExp(causes[0]!)} +\\d`));
      expect(r!.firstFailure?.cause).toBe(causes[0]);
    },
  );

  it('an untrusted certificate is a TLS certificate cause', async () => {
    const tls = { key: cert.keyPem, cert: cert.certPem };
    const port = await listen(createSecureServer(tls, (_, res) => res.end('hello')));
    const { json, report } = await load(`https://127.0.0.1:${port}/`);
    expect(json.code).toBe(3);
    expect(Object.keys(report.results[0]!.failuresByCause ?? {})[0]).toMatch(/^tls certificate /);
    expect(json.stderr).toMatch(/first failure: tls certificate \w+ \(the server certificate/);
  });
});

describe('HTTP statuses: counted, and only expected ones are goodput', () => {
  /** An h2c server answering 404 everywhere but `/ok`. */
  async function h2With404(): Promise<string> {
    const server = createH2Server((req, res) => {
      res.statusCode = req.url === '/ok' ? 200 : 404;
      res.end();
    });
    return `http://127.0.0.1:${await listen(server)}`;
  }

  it('a 404 path shows its statuses, goodput 0, and exits 3 naming the status', async () => {
    const origin = await h2With404();
    const { text, json, report } = await load(`${origin}/missing`);
    const r = report.results[0]!;
    expect(r.statuses).toEqual({ '404': 10 });
    expect(r.succeeded).toBe(0);
    expect(r.goodputTps).toBe(0);
    expect(r.httpErrors).toBe(10);
    expect(r.failed).toBe(10);
    expect(r.failuresByCause).toEqual({ 'http 404': 10 });
    expect(r.errorRate).toBe(1);
    expect(r.pathState).toBe('demand-bound');
    expect(json.code).toBe(3);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/HTTP errors +10 \(100\.0%\)/);
    expect(text.stdout).toMatch(/status 404 +10/);
    expect(text.stderr).toMatch(
      /first failure: http 404 \(the server answered with a status outside --expect-status\): HTTP 404\n$/,
    );
  });

  it('--expect-status 200-299,404 makes the same 404s goodput', async () => {
    const origin = await h2With404();
    const { json, report } = await load(
      `${origin}/missing`,
      '--expect-status',
      '200-299,404',
      '--warmup',
      '0',
    );
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const r = report.results[0]!;
    expect(r.succeeded).toBe(10);
    expect(r.httpErrors).toBe(0);
    expect(r.goodputTps).toBeGreaterThan(0);
  });
});

describe('--threshold', () => {
  let origin = '';
  beforeEach(async () => {
    origin = `http://127.0.0.1:${await listen(createH2Server((_, res) => res.end('ok')))}`;
  });

  it('a threshold that holds exits 0 and is listed as pass', async () => {
    const { code, stdout, stderr } = await runCli([
      'load',
      `${origin}/`,
      ...bounded,
      '--threshold',
      'timedOut==0',
      '--threshold',
      'errorRate < 0.01',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^thresholds:\n {2}timedOut==0 +pass +\(was 0\)\n {2}errorRate < 0\.01 +pass +\(was 0\)\n$/m,
    );
  });

  it('a threshold that fails exits 99 and says which, in the summary, on stderr and in --json', async () => {
    const args = [
      'load',
      `${origin}/`,
      ...bounded,
      '--threshold',
      'timedOut==0',
      '--threshold',
      'succeeded>100',
    ];
    const text = await runCli(args);
    expect(text.code).toBe(99);
    expect(text.stdout).toMatch(/succeeded>100 +FAIL +\(was 10\)/);
    expect(text.stderr).toBe('h2flow: threshold failed: succeeded>100 (was 10)\n');
    const json = await runCli([...args, '--json']);
    expect(json.code).toBe(99);
    expect((JSON.parse(json.stdout) as RunReport).thresholds).toEqual([
      { expression: 'timedOut==0', actual: 0, passed: true },
      { expression: 'succeeded>100', actual: 10, passed: false },
    ]);
  });
});

describe('bad --threshold and --expect-status: one line naming the bad text, exit 2', () => {
  it.each([
    [
      ['--threshold', 'goodput>=1900'],
      /^h2flow: --threshold: unknown field "goodput" in "goodput>=1900"; fields: offeredTps, /,
    ],
    [
      ['--threshold', 'timedOut=0'],
      /^h2flow: --threshold: expected FIELD OP NUMBER such as goodputTps>=1900 .*, got "timedOut=0"$/,
    ],
    [['--threshold', 'goodputTps>=fast'], /got "goodputTps>=fast"$/],
    [
      ['--expect-status', '2xx'],
      /^h2flow: --expect-status: expected statuses \(100-599\) or ranges such as 200-299,404, got "2xx"$/,
    ],
    [['--expect-status', '299-200'], /got "299-200"$/],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await runCli([
      'load',
      'http://127.0.0.1:9/',
      '--rate',
      '10',
      ...args,
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
