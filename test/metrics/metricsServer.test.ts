import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { Registry } from 'prom-client';
import { buildLoadCommand } from '../../src/cli/loadCommand.js';
import { metricDefinitions as d } from '../../src/metrics/metricNames.js';
import {
  type ExpositionSource,
  type MetricsServer,
  startMetricsServer,
} from '../../src/metrics/metricsServer.js';
import { startTestServer, type TestServer } from '../../src/server/testServer.js';
import { parseExposition, sampleValue, sumOf } from './exposition.js';

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** One plain HTTP/1.1 request, as a Prometheus scraper makes it. */
function get(url: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

function registrySource(registry: Registry): ExpositionSource {
  return { metrics: () => registry.metrics(), metricsRegistry: registry };
}

let metrics: MetricsServer | undefined;
let target: TestServer | undefined;

afterEach(async () => {
  await metrics?.close();
  await target?.close();
  metrics = undefined;
  target = undefined;
  jest.restoreAllMocks();
});

describe('startMetricsServer', () => {
  test('serves GET /metrics with the registry content type, on 127.0.0.1 by default', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ origin: 'test' });
    metrics = await startMetricsServer({ port: 0, source: () => registrySource(registry) });
    expect(metrics.host).toBe('127.0.0.1');
    expect(metrics.url).toBe(`http://127.0.0.1:${metrics.port}/metrics`);
    const answer = await get(metrics.url);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe(registry.contentType);
    expect(answer.body).toBe(await registry.metrics());
  });

  test('HEAD answers without a body; other paths 404; other methods 405; no source yet 503', async () => {
    let source: ExpositionSource | undefined;
    metrics = await startMetricsServer({ port: 0, source: () => source });
    expect((await get(metrics.url)).status).toBe(503);
    source = registrySource(new Registry());
    const head = await get(metrics.url, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await get(metrics.url.replace('/metrics', '/'))).status).toBe(404);
    expect((await get(metrics.url.replace('/metrics', '/metrics/x'))).status).toBe(404);
    expect((await get(metrics.url, 'POST')).status).toBe(405);
    expect((await get(`${metrics.url}?name[]=x`)).status).toBe(200);
  });

  test('a failing render answers 500 with its reason', async () => {
    const broken: ExpositionSource = {
      metrics: () => Promise.reject(new Error('collect exploded')),
      metricsRegistry: { contentType: 'text/plain' },
    };
    metrics = await startMetricsServer({ port: 0, source: () => broken });
    const answer = await get(metrics.url);
    expect(answer.status).toBe(500);
    expect(answer.body).toContain('collect exploded');
  });

  test('binds another host only when asked, and rejects a taken port', async () => {
    metrics = await startMetricsServer({ port: 0, host: '::1', source: () => undefined }).catch(
      // A host without IPv6 loopback cannot bind ::1; 127.0.0.2 is loopback on Linux as well.
      () => startMetricsServer({ port: 0, host: '127.0.0.2', source: () => undefined }),
    );
    expect(['::1', '127.0.0.2']).toContain(metrics.host);
    await expect(
      startMetricsServer({ port: metrics.port, host: metrics.host, source: () => undefined }),
    ).rejects.toThrow(/EADDRINUSE/);
    await expect(startMetricsServer({ port: 70_000, source: () => undefined })).rejects.toThrow(
      /port must be an integer between 0 and 65535, got 70000/,
    );
  });
});

describe('h2flow load --metrics-port', () => {
  test('serves the client metrics on loopback while a real load runs, and stops with it', async () => {
    target = await startTestServer({ maxConcurrentStreams: 100, latencyMs: 20 });
    const stderr: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((text) => {
      stderr.push(String(text));
      return true;
    });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const run = buildLoadCommand().parseAsync(
      [target.url, '--rate', '400', '--duration', '4s', '--metrics-port', '0', '--json'],
      { from: 'user' },
    );
    // The command prints the endpoint before it sends anything.
    let url: string | undefined;
    const scrapes: Answer[] = [];
    const startedMs = Date.now();
    while (Date.now() - startedMs < 10_000 && scrapes.length < 3) {
      url ??= /metrics at (\S+)/.exec(stderr.join(''))?.[1];
      if (url !== undefined) {
        const answer = await get(url);
        if (answer.status === 200 && answer.body.includes(d.requests.name)) scrapes.push(answer);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await run;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(scrapes.length).toBe(3);
    const origin = new URL(target.url).origin;
    const [first, , last] = scrapes.map((s) => parseExposition(s.body));
    expect(scrapes[0]!.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const ok = (m: typeof first) =>
      sampleValue(m!, d.requests.name, { origin, outcome: 'succeeded' });
    // Mid-run: the counters move between scrapes, and the controller's gauges are live.
    expect(ok(first)).toBeGreaterThan(0);
    expect(ok(last)).toBeGreaterThan(ok(first));
    expect(sampleValue(last!, d.rateDecision.name, { origin })).toBeGreaterThan(0);
    expect(sampleValue(last!, d.sessions.name, { origin, state: 'ready' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(sumOf(last!, d.decisions.name, { origin })).toBeGreaterThan(0);
    expect(sampleValue(last!, d.wireCancellations.name, { origin })).toBe(0);
    // The endpoint goes away with the command.
    await expect(get(url!)).rejects.toThrow(/ECONNREFUSED/);
  }, 30_000);

  test('--metrics-host without --metrics-port is a one-line usage error', async () => {
    const stderr: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((text) => {
      stderr.push(String(text));
      return true;
    });
    const { main } = await import('../../src/cli/main.js');
    const code = await main([
      'load',
      'http://127.0.0.1:1/',
      '--rate',
      '10',
      '--metrics-host',
      '0.0.0.0',
    ]);
    expect(code).toBe(2);
    expect(stderr.join('')).toBe('h2flow: --metrics-host: only meaningful with --metrics-port\n');
  });
});
