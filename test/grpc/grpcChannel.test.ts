/**
 * `h2flow/grpc` with a real grpc-js server on 127.0.0.1:0: a generic client
 * (`makeGenericClientConstructor`) and a `@grpc/proto-loader` one take the
 * channel through `channelOverride`; calls are admitted through the
 * limiter; a shed call ends with RESOURCE_EXHAUSTED before the server sees
 * it; a call never holds more than `streamsPerConnection` streams on a
 * connection; deadlines and cancels end as grpc-js's would.
 */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterEach, expect, test } from '@jest/globals';
import { Registry } from 'prom-client';
import {
  type EchoServer,
  echoService,
  startEchoServer,
} from '../../bench/lib/grpcSeed/echoServer.js';
import { createChannel, type H2flowChannel } from '../../src/grpc/index.js';

let server: EchoServer | undefined;
let channel: H2flowChannel | undefined;

afterEach(async () => {
  channel?.close();
  await server?.close();
  channel = undefined;
  server = undefined;
});

const EchoClient = grpc.makeGenericClientConstructor(echoService, 'Echo');

interface CallResult {
  readonly code: number;
  readonly details: string;
  readonly value?: Buffer | undefined;
}

/** One unary call through `client`, as its result or its status. */
function call(client: grpc.Client, deadlineMs: number, text = 'hi'): Promise<CallResult> {
  return new Promise((resolve) => {
    (client as unknown as Record<string, (...args: unknown[]) => unknown>).Call(
      Buffer.from(text),
      { deadline: Date.now() + deadlineMs },
      (error: grpc.ServiceError | null, value?: Buffer) =>
        resolve(
          error ? { code: error.code, details: error.details } : { code: 0, details: '', value },
        ),
    );
  });
}

test('a generic client through channelOverride: every call answered, counted by the limiter', async () => {
  server = await startEchoServer({ delayMs: 20 });
  channel = createChannel(server.target, grpc.credentials.createInsecure(), { timeoutMs: 2000 });
  const client = new EchoClient(server.target, grpc.credentials.createInsecure(), {
    channelOverride: channel,
  });
  const results = await Promise.all(
    Array.from({ length: 30 }, (_, i) => call(client, 2000, `m${i}`)),
  );
  expect(results.map((r) => r.code)).toEqual(results.map(() => 0));
  expect(results.map((r) => r.value?.toString())).toEqual(results.map((_, i) => `m${i}`));
  expect(channel.limiter.stats()).toMatchObject({
    submitted: 30,
    succeeded: 30,
    inFlight: 0,
    queued: 0,
  });
  expect(server.arrivals).toBe(30);
});

test('a shed call ends with RESOURCE_EXHAUSTED naming H2FLOW_OVERLOAD, before the server sees it', async () => {
  server = await startEchoServer({ delayMs: 200 });
  channel = createChannel(server.target, grpc.credentials.createInsecure(), {
    policy: 'fixed',
    connections: 1,
    streamsPerConnection: 2,
    maxQueueLength: 2,
  });
  const client = new EchoClient(server.target, grpc.credentials.createInsecure(), {
    channelOverride: channel,
  });
  const results = await Promise.all(Array.from({ length: 10 }, () => call(client, 3000)));
  const shed = results.filter((r) => r.code === grpc.status.RESOURCE_EXHAUSTED);
  expect(shed.length).toBe(6);
  expect(shed[0]!.details).toMatch(/^H2FLOW_OVERLOAD: overloaded \(queue-full\).*queued 0 ms/);
  expect(results.filter((r) => r.code === 0)).toHaveLength(4);
  expect(server.arrivals).toBe(4);
  expect(channel.limiter.stats()).toMatchObject({ rejected: 6, succeeded: 4 });
});

test('a connection never carries more than streamsPerConnection calls at once; the rest wait in the limiter', async () => {
  server = await startEchoServer({ delayMs: 50, maxConcurrentStreams: 100 });
  channel = createChannel(server.target, grpc.credentials.createInsecure(), {
    policy: 'fixed',
    connections: 1,
    streamsPerConnection: 5,
  });
  const client = new EchoClient(server.target, grpc.credentials.createInsecure(), {
    channelOverride: channel,
  });
  const results = await Promise.all(Array.from({ length: 40 }, () => call(client, 5000)));
  expect(results.every((r) => r.code === 0)).toBe(true);
  expect(server.maxInHandler).toBe(5);
});

test('a deadline in flight ends DEADLINE_EXCEEDED, counted as a timeout; a cancel ends CANCELLED', async () => {
  server = await startEchoServer({ delayMs: 400 });
  channel = createChannel(server.target, grpc.credentials.createInsecure(), { timeoutMs: 5000 });
  const client = new EchoClient(server.target, grpc.credentials.createInsecure(), {
    channelOverride: channel,
  });
  await call(client, 2000); // the connection first
  const late = await call(client, 100);
  expect(late.code).toBe(grpc.status.DEADLINE_EXCEEDED);
  const cancelled = await new Promise<CallResult>((resolve) => {
    const c = (client as unknown as Record<string, (...args: unknown[]) => unknown>).Call(
      Buffer.from('x'),
      { deadline: Date.now() + 2000 },
      (error: grpc.ServiceError | null) =>
        resolve({ code: error?.code ?? 0, details: error?.details ?? '' }),
    ) as grpc.ClientUnaryCall;
    setTimeout(() => c.cancel(), 50);
  });
  expect(cancelled.code).toBe(grpc.status.CANCELLED);
  await new Promise((r) => setTimeout(r, 50));
  expect(channel.limiter.stats()).toMatchObject({ timedOut: 1, failed: 1, inFlight: 0 });
});

test('a @grpc/proto-loader client takes the channel too', async () => {
  const definition = loadSync(join(import.meta.dirname, 'fixtures', 'echo.proto'));
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    h2flowtest: { Echo: grpc.ServiceClientConstructor };
  };
  const Echo = loaded.h2flowtest.Echo;
  server = await startEchoServer({ delayMs: 10, proto: { service: Echo.service, method: 'Say' } });
  channel = createChannel(server.target, grpc.credentials.createInsecure());
  const client = new Echo(server.target, grpc.credentials.createInsecure(), {
    channelOverride: channel,
  });
  const reply = await new Promise<{ text: string }>((resolve, reject) =>
    (client as unknown as Record<string, (...args: unknown[]) => unknown>).Say(
      { text: 'over h2flow' },
      { deadline: Date.now() + 2000 },
      (error: Error | null, value: { text: string }) => (error ? reject(error) : resolve(value)),
    ),
  );
  expect(reply.text).toBe('over h2flow');
});

test('metrics: the client metrics on the registry given, labelled with the target, counted at scrape', async () => {
  server = await startEchoServer({ delayMs: 100 });
  const registry = new Registry();
  channel = createChannel(server.target, grpc.credentials.createInsecure(), {
    policy: 'fixed',
    connections: 1,
    streamsPerConnection: 2,
    maxQueueLength: 2,
    metricsRegistry: registry,
  });
  expect(channel.metricsRegistry).toBe(registry);
  const client = new EchoClient(server.target, grpc.credentials.createInsecure(), {
    channelOverride: channel,
  });
  const results = await Promise.all(Array.from({ length: 10 }, () => call(client, 3000)));
  expect(results.filter((r) => r.code === 0)).toHaveLength(4);
  const text = await channel.metrics();
  const origin = `origin="${server.target}"`;
  expect(text).toContain(`h2flow_requests_total{${origin},outcome="succeeded"} 4`);
  expect(text).toContain(`h2flow_requests_total{${origin},outcome="rejected"} 6`);
  expect(text).toContain(`h2flow_rejected_requests_total{${origin},reason="queue_full"} 6`);
  expect(text).toContain(`h2flow_service_latency_seconds_count{${origin}} 4`);
  expect(text).toMatch(new RegExp(`h2flow_streams_in_flight\\{${origin}\\} 0`));
  expect(await registry.metrics()).toBe(text);
});

test('metrics without a registry: a private one on first use; a bad registry is named', async () => {
  server = await startEchoServer({ delayMs: 1 });
  channel = createChannel(server.target, grpc.credentials.createInsecure(), { origin: 'orders' });
  expect(await channel.metrics()).toContain(
    'h2flow_requests_total{origin="orders",outcome="succeeded"} 0',
  );
  expect(() =>
    createChannel(server!.target, grpc.credentials.createInsecure(), {
      metricsRegistry: {} as Registry,
    }),
  ).toThrow(/metricsRegistry/);
});
