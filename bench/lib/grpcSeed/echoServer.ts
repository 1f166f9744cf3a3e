import * as grpc from '@grpc/grpc-js';

/** A generic unary method over raw bytes: `/test.Echo/Call`. */
export const echoMethod = {
  path: '/test.Echo/Call',
  requestStream: false,
  responseStream: false,
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
} as const;

/** The service the generic client is made from. */
export const echoService = { Call: echoMethod } as unknown as grpc.ServiceDefinition;

/** A running grpc-js server and what it counted. */
export interface EchoServer {
  readonly target: string;
  /** Calls whose metadata reached the server. */
  arrivals: number;
  /** Calls in its handler now, and the most at once. */
  inHandler: number;
  maxInHandler: number;
  /** Calls the client cancelled before the handler answered. */
  cancelled: number;
  close(): Promise<void>;
}

/**
 * A grpc-js server on 127.0.0.1:0 whose handler answers after `delayMs`,
 * with `grpc.max_concurrent_streams` set. It counts arrivals (a server
 * interceptor), calls in the handler at once, and calls cancelled before
 * their answer (grpc-js ≥ 1.10 also emits 'cancelled' after an answer, so
 * only those still unanswered count).
 */
export async function startEchoServer(options: {
  delayMs: number;
  maxConcurrentStreams?: number;
  proto?: { service: grpc.ServiceDefinition; method: string };
}): Promise<EchoServer> {
  const counts = { arrivals: 0, inHandler: 0, maxInHandler: 0, cancelled: 0 };
  const server = new grpc.Server({
    'grpc.max_concurrent_streams': options.maxConcurrentStreams ?? 100,
    interceptors: [
      (_descriptor, call) =>
        new grpc.ServerInterceptingCall(call, {
          start: (next) =>
            next(
              new grpc.ServerListenerBuilder()
                .withOnReceiveMetadata((metadata, nextMd) => {
                  counts.arrivals++;
                  nextMd(metadata);
                })
                .build(),
            ),
        }),
    ],
  });
  const handler = (
    call: grpc.ServerUnaryCall<unknown, unknown>,
    callback: grpc.sendUnaryData<unknown>,
  ) => {
    let answered = false;
    counts.inHandler++;
    counts.maxInHandler = Math.max(counts.maxInHandler, counts.inHandler);
    call.on('cancelled', () => {
      if (!answered) counts.cancelled++;
    });
    setTimeout(() => {
      counts.inHandler--;
      answered = true;
      callback(null, call.request);
    }, options.delayMs);
  };
  if (options.proto) server.addService(options.proto.service, { [options.proto.method]: handler });
  else server.addService(echoService, { Call: handler });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, p) =>
      error ? reject(error) : resolve(p),
    ),
  );
  return Object.assign(counts, {
    target: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  }) as EchoServer;
}
