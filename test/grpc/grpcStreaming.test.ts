/**
 * Streaming calls through `h2flow/grpc`, against a real grpc-js server on
 * 127.0.0.1:0: each kind (server, client, bidirectional) works end to end
 * and holds one stream slot for its whole life; a call without a deadline
 * is not cut short by the budget it waited under; and a long stream gives
 * the controller no latency sample, so the unary calls after it are not
 * shed as if each took as long.
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, expect, test } from '@jest/globals';
import { Registry } from 'prom-client';
import { createChannel, type H2flowChannel } from '../../src/grpc/index.js';
import { type StreamServer, startStreamServer, streamService } from './streamServer.js';

let server: StreamServer | undefined;
let channel: H2flowChannel | undefined;

afterEach(async () => {
  channel?.close();
  await server?.close();
  channel = undefined;
  server = undefined;
});

const StreamClient = grpc.makeGenericClientConstructor(streamService, 'Stream');
type Methods = Record<string, (...args: unknown[]) => unknown>;

interface Ended {
  readonly code: number;
  readonly details: string;
  readonly messages: string[];
}

/** A server-streaming Watch of `count` messages `intervalMs` apart, collected. */
function watch(
  client: grpc.Client,
  count: number,
  intervalMs: number,
  deadlineMs?: number,
): Promise<Ended> {
  const options = deadlineMs === undefined ? {} : { deadline: Date.now() + deadlineMs };
  const call = (client as unknown as Methods).Watch(
    Buffer.from(JSON.stringify({ count, intervalMs })),
    options,
  ) as grpc.ClientReadableStream<Buffer>;
  const messages: string[] = [];
  call.on('data', (m: Buffer) => messages.push(m.toString()));
  call.on('error', () => {});
  return new Promise((resolve) =>
    call.on('status', (s: grpc.StatusObject) =>
      resolve({ code: s.code, details: s.details, messages }),
    ),
  );
}

/** One unary Call, as its status code. */
function unary(client: grpc.Client, deadlineMs: number): Promise<number> {
  return new Promise((resolve) =>
    (client as unknown as Methods).Call(
      Buffer.from('u'),
      { deadline: Date.now() + deadlineMs },
      (error: grpc.ServiceError | null) => resolve(error?.code ?? 0),
    ),
  );
}

function open(options: Parameters<typeof createChannel>[2] = {}): grpc.Client {
  channel = createChannel(server!.target, grpc.credentials.createInsecure(), options);
  return new StreamClient(server!.target, grpc.credentials.createInsecure(), {
    channelOverride: channel,
  });
}

test('a server stream: every message, settled once as succeeded, and no latency sample in the metrics', async () => {
  server = await startStreamServer();
  const client = open({ metricsRegistry: new Registry(), origin: 'streams' });
  const ended = await watch(client, 5, 40, 5000);
  expect(ended).toEqual({
    code: 0,
    details: 'OK',
    messages: ['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5'],
  });
  expect(channel!.limiter.stats()).toMatchObject({ submitted: 1, succeeded: 1, inFlight: 0 });
  const text = await channel!.metrics();
  expect(text).toContain('h2flow_requests_total{origin="streams",outcome="succeeded"} 1');
  expect(text).toContain('h2flow_service_latency_seconds_count{origin="streams"} 0');
});

test('a client stream: every message reaches the server, and its answer comes back', async () => {
  server = await startStreamServer();
  const client = open();
  const answer = await new Promise<{ messages: number; bytes: number }>((resolve, reject) => {
    const call = (client as unknown as Methods).Gather(
      { deadline: Date.now() + 5000 },
      (error: grpc.ServiceError | null, value?: Buffer) =>
        error ? reject(error) : resolve(JSON.parse(value!.toString())),
    ) as grpc.ClientWritableStream<Buffer>;
    for (let i = 0; i < 20; i++) call.write(Buffer.alloc(1024, i));
    call.end();
  });
  expect(answer).toEqual({ messages: 20, bytes: 20 * 1024 });
  expect(channel!.limiter.stats()).toMatchObject({ succeeded: 1, inFlight: 0 });
});

test('a bidirectional stream: each message echoed, in order, until the client half-closes', async () => {
  server = await startStreamServer();
  const client = open();
  const call = (client as unknown as Methods).Chat({
    deadline: Date.now() + 5000,
  }) as grpc.ClientDuplexStream<Buffer, Buffer>;
  const echoed: string[] = [];
  const status = new Promise<number>((resolve) =>
    call.on('status', (s: grpc.StatusObject) => resolve(s.code)),
  );
  for (const word of ['one', 'two', 'three']) {
    call.write(Buffer.from(word));
    await new Promise<void>((resolve) =>
      call.once('data', (m: Buffer) => {
        echoed.push(m.toString());
        resolve();
      }),
    );
  }
  call.end();
  expect(await status).toBe(0);
  expect(echoed).toEqual(['one', 'two', 'three']);
  expect(channel!.limiter.stats()).toMatchObject({ succeeded: 1, inFlight: 0 });
});

test('a stream holds its slot for its life: a unary call behind it waits for the stream to end', async () => {
  server = await startStreamServer();
  const client = open({ policy: 'fixed', connections: 1, streamsPerConnection: 1 });
  const stream = watch(client, 4, 50, 5000);
  await new Promise((r) => setTimeout(r, 20));
  const code = await unary(client, 5000);
  expect((await stream).code).toBe(0);
  expect(code).toBe(0);
  expect(server.maxInHandler).toBe(1);
  const [watchSpan, callSpan] = server.spans;
  expect(callSpan!.startMs).toBeGreaterThanOrEqual(watchSpan!.endMs!);
});

test('a call without a deadline waits at most noDeadlineBudgetMs for a slot, then runs as long as it runs', async () => {
  server = await startStreamServer();
  const client = open({ noDeadlineBudgetMs: 150 });
  const ended = await watch(client, 6, 100); // 600 ms, four times its wait budget
  expect(ended.code).toBe(0);
  expect(ended.messages).toHaveLength(6);
  expect(channel!.limiter.stats()).toMatchObject({ succeeded: 1, timedOut: 0, cancelledOnWire: 0 });
});

test('a long stream is no latency sample: unary calls after it are not shed by the deadline rules', async () => {
  server = await startStreamServer({ unaryDelayMs: 5 });
  const client = open({ timeoutMs: 10_000 });
  expect(await unary(client, 2000)).toBe(0); // the connection first
  expect((await watch(client, 3, 400, 10_000)).code).toBe(0); // 1.2 s
  await new Promise((r) => setTimeout(r, 300)); // a control window or more closes on it
  const codes = await Promise.all(Array.from({ length: 20 }, () => unary(client, 500)));
  expect(codes).toEqual(codes.map(() => 0));
  expect(channel!.limiter.stats().rejectedByReason.deadline).toBe(0);
});
