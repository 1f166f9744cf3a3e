/**
 * A refused stream through `h2flow/grpc`: a raw HTTP/2 server that answers
 * gRPC refuses streams with RST_STREAM(REFUSED_STREAM), which a grpc-js
 * server never does. A refused call is retried once, with every message it
 * had sent; a second refusal ends it UNAVAILABLE; a client stream that sent
 * more than `replayLimitBytes` is not retried (its messages were not kept).
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, expect, test } from '@jest/globals';
import { replayLimitBytes } from '../../src/core/replayLimit.js';
import { createChannel, type H2flowChannel } from '../../src/grpc/index.js';
import { type RefusingServer, startRefusingServer } from './refusingServer.js';
import { streamService } from './streamServer.js';

let server: RefusingServer | undefined;
let channel: H2flowChannel | undefined;

afterEach(async () => {
  channel?.close();
  await server?.close();
  channel = undefined;
  server = undefined;
});

const Client = grpc.makeGenericClientConstructor(streamService, 'Stream');
type Methods = Record<string, (...args: unknown[]) => unknown>;

interface Result {
  readonly code: number;
  readonly details: string;
  readonly value?: string | undefined;
}

function open(): grpc.Client {
  channel = createChannel(server!.target, grpc.credentials.createInsecure(), {
    retryBackoffMs: 10,
  });
  return new Client(server!.target, grpc.credentials.createInsecure(), {
    channelOverride: channel,
  });
}

/** A call's callback that resolves with its status, or with OK and the answer. */
function settle(resolve: (r: Result) => void) {
  return (error: grpc.ServiceError | null, value?: Buffer) =>
    resolve(
      error
        ? { code: error.code, details: error.details }
        : { code: 0, details: '', value: value!.toString() },
    );
}

/** A client stream (Gather) of `messages`, as its status and the server's answer. */
function gather(client: grpc.Client, messages: readonly Buffer[]): Promise<Result> {
  return new Promise((resolve) => {
    const call = (client as unknown as Methods).Gather(
      { deadline: Date.now() + 5000 },
      settle(resolve),
    ) as grpc.ClientWritableStream<Buffer>;
    for (const m of messages) call.write(m);
    call.end();
  });
}

test('a refused unary call is retried once and answered; the limiter counts one retry', async () => {
  server = await startRefusingServer(1);
  const client = open();
  const result = await new Promise<Result>((resolve) =>
    (client as unknown as Methods).Call(
      Buffer.from('again'),
      { deadline: Date.now() + 5000 },
      settle(resolve),
    ),
  );
  expect(result).toEqual({ code: 0, details: '', value: 'again' });
  expect(server.arrivals).toBe(2);
  expect(channel!.limiter.stats()).toMatchObject({ succeeded: 1, retries: 1, inFlight: 0 });
});

test('a refused client stream is resent whole: the retry carries every message', async () => {
  server = await startRefusingServer(1);
  const client = open();
  const words = ['a', 'bb', 'ccc', 'dddd'].map((w) => Buffer.from(w));
  expect(await gather(client, words)).toEqual({ code: 0, details: '', value: 'abbcccdddd' });
  expect(server.arrivals).toBe(2);
  expect(channel!.limiter.stats().retries).toBe(1);
});

test('refused twice: the call ends UNAVAILABLE, naming the exhausted retry', async () => {
  server = await startRefusingServer(2);
  const client = open();
  const result = await gather(client, [Buffer.from('x')]);
  expect(result.code).toBe(grpc.status.UNAVAILABLE);
  expect(result.details).toMatch(/^H2FLOW_TRANSPORT: .*refused-stream again after one retry/);
  expect(server.arrivals).toBe(2);
  expect(channel!.limiter.stats()).toMatchObject({ failed: 1, retries: 1, inFlight: 0 });
});

test('a client stream past replayLimitBytes is not kept, so a refusal ends it as grpc-js would', async () => {
  server = await startRefusingServer(1);
  const client = open();
  const big = Array.from({ length: 3 }, () => Buffer.alloc(Math.ceil(replayLimitBytes / 2), 1));
  const result = await gather(client, big);
  expect(result).toEqual({ code: grpc.status.UNAVAILABLE, details: 'Stream refused by server' });
  expect(server.arrivals).toBe(1);
  expect(channel!.limiter.stats()).toMatchObject({ retries: 0, failed: 1, inFlight: 0 });
});
