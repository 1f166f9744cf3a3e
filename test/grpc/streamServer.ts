import * as grpc from '@grpc/grpc-js';

const bytes = {
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
};

/** A service over raw bytes with one method of each gRPC kind. */
export const streamService = {
  /** Unary: echoes the request. */
  Call: { path: '/test.Stream/Call', requestStream: false, responseStream: false, ...bytes },
  /** Server streaming: the request is JSON `{ count, intervalMs }`; answers `count` messages, one per interval. */
  Watch: { path: '/test.Stream/Watch', requestStream: false, responseStream: true, ...bytes },
  /** Client streaming: answers JSON `{ messages, bytes }` once the client half-closes. */
  Gather: { path: '/test.Stream/Gather', requestStream: true, responseStream: false, ...bytes },
  /** Bidirectional: echoes each message; ends when the client half-closes. */
  Chat: { path: '/test.Stream/Chat', requestStream: true, responseStream: true, ...bytes },
} as unknown as grpc.ServiceDefinition;

/** A running stream server and what it counted. */
export interface StreamServer {
  readonly target: string;
  /** Calls that reached a handler, by method name. */
  readonly arrivals: Record<string, number>;
  /** Calls in a handler now, and the most at once. */
  inHandler: number;
  maxInHandler: number;
  /** When each call's handler started and ended (ms, `Date.now()`), in arrival order. */
  readonly spans: { method: string; startMs: number; endMs?: number }[];
  close(): Promise<void>;
}

/** A grpc-js server on 127.0.0.1:0 serving {@link streamService}. */
export async function startStreamServer(
  options: { maxConcurrentStreams?: number; unaryDelayMs?: number } = {},
): Promise<StreamServer> {
  const counts = {
    arrivals: {} as Record<string, number>,
    inHandler: 0,
    maxInHandler: 0,
    spans: [] as { method: string; startMs: number; endMs?: number }[],
  };
  const enter = (method: string): (() => void) => {
    counts.arrivals[method] = (counts.arrivals[method] ?? 0) + 1;
    counts.inHandler++;
    counts.maxInHandler = Math.max(counts.maxInHandler, counts.inHandler);
    const span: { method: string; startMs: number; endMs?: number } = {
      method,
      startMs: Date.now(),
    };
    counts.spans.push(span);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      counts.inHandler--;
      span.endMs = Date.now();
    };
  };
  const server = new grpc.Server({
    'grpc.max_concurrent_streams': options.maxConcurrentStreams ?? 100,
  });
  server.addService(streamService, {
    Call: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const leave = enter('Call');
      setTimeout(() => {
        leave();
        callback(null, call.request);
      }, options.unaryDelayMs ?? 5);
    },
    Watch: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      const leave = enter('Watch');
      const { count, intervalMs } = JSON.parse(call.request.toString()) as {
        count: number;
        intervalMs: number;
      };
      let sent = 0;
      const timer = setInterval(() => {
        call.write(Buffer.from(`tick ${++sent}`));
        if (sent === count) {
          clearInterval(timer);
          leave();
          call.end();
        }
      }, intervalMs);
      call.on('cancelled', () => {
        clearInterval(timer);
        leave();
      });
    },
    Gather: (
      call: grpc.ServerReadableStream<Buffer, Buffer>,
      callback: grpc.sendUnaryData<Buffer>,
    ) => {
      const leave = enter('Gather');
      let messages = 0;
      let total = 0;
      call.on('data', (m: Buffer) => {
        messages++;
        total += m.length;
      });
      call.on('end', () => {
        leave();
        callback(null, Buffer.from(JSON.stringify({ messages, bytes: total })));
      });
    },
    Chat: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      const leave = enter('Chat');
      call.on('data', (m: Buffer) => call.write(m));
      call.on('end', () => {
        leave();
        call.end();
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, p) =>
      error ? reject(error) : resolve(p),
    ),
  );
  return Object.assign(counts, {
    target: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  });
}
