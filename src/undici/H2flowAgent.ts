import type { AdaptiveClient } from '../client/AdaptiveClient.js';
import type { StreamRequest, StreamSink } from '../client/streamRequest.js';
import { breakdownAt } from '../core/budget.js';
import { type CreateClientOptions, createClient, splitClientOptions } from '../createClient.js';
import { ClosedError } from '../errors/ClosedError.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { composeInterceptors, type DispatchInterceptor } from './composeInterceptors.js';
import { gatherBody } from './gatherBody.js';
import { type HandlerSink, handlerSink } from './handlerSink.js';
import { rerouteOnNoH2 } from './noH2Fallback.js';
import { originOf, originOrEmpty } from './originOf.js';
import { toStreamRequest } from './toStreamRequest.js';
import type { DispatchHandler, DispatchOptions } from './undiciHandlers.js';

/** Options of {@link createAgent}: every client option, for all origins, and per origin. */
export interface AgentOptions extends CreateClientOptions {
  /** Options for one origin (`https://api.example.com`), over the agent's own. */
  readonly origins?: Readonly<Record<string, CreateClientOptions>> | undefined;
  /**
   * Where requests go for an origin that does not speak HTTP/2 (an HTTP/1.x
   * server on `http://`, a TLS server that does not select `h2` by ALPN):
   * any undici dispatcher, such as undici's `new Agent()`. The request that
   * finds it out, and every later one to that origin, go there, without
   * h2flow's controller. Without it such requests fail with
   * `H2FLOW_NOT_H2` or `H2FLOW_ALPN_NOT_H2` as their `causeCode`.
   */
  readonly fallback?: FallbackDispatcher | undefined;
}

/**
 * Any undici dispatcher (undici's `Agent`, `Pool`, `Client`, or one of its
 * own): h2flow calls only its `dispatch`, with the options and handler it
 * was given, so the parameters are undici's types, which h2flow does not
 * load.
 */
export interface FallbackDispatcher {
  /** Starts one request, as undici's `Dispatcher.dispatch`. */
  dispatch(options: never, handler: never): unknown;
}

/** What an agent and its `withTimeout` copies share besides their clients. */
interface AgentState {
  closed: boolean;
  /** Origins found not to speak HTTP/2, whose requests go to the fallback. */
  readonly noH2: Set<string>;
}

/** What `fetch`, `undici.request` and `setGlobalDispatcher` need of a dispatcher. */
export interface Dispatcher {
  /** Starts one request; always true (h2flow queues and sheds by deadline instead of asking to wait). */
  dispatch(opts: DispatchOptions, handler: DispatchHandler): boolean;
}

/**
 * An undici dispatcher with h2flow under it: one adaptive client (limiter
 * and `node:http2` sessions) per origin, created on first use. `fetch`,
 * `undici.request` and undici's global dispatcher drive it; every request
 * is admitted, queued, sent and settled by its origin's client, and the
 * handler hears one `onComplete` or `onError` (a typed h2flow error with its
 * `code` and budget breakdown, which `fetch` shows as the `cause` of its
 * `TypeError('fetch failed')`).
 */
export class H2flowAgent implements Dispatcher {
  readonly #options: AgentOptions;
  readonly #timeoutMs: number | undefined;
  readonly #clients: Map<string, AdaptiveClient>;
  readonly #state: AgentState;
  /** The fallback, called with what this agent was given (undici's own types underneath). */
  readonly #fallback: Dispatcher | undefined;

  /** @internal Use {@link createAgent}. */
  constructor(
    options: AgentOptions,
    shared?: {
      clients: Map<string, AdaptiveClient>;
      state: AgentState;
      timeoutMs: number;
    },
  ) {
    this.#options = options;
    this.#clients = shared?.clients ?? new Map();
    this.#state = shared?.state ?? { closed: false, noH2: new Set() };
    this.#timeoutMs = shared?.timeoutMs;
    this.#fallback = options.fallback as Dispatcher | undefined;
  }

  dispatch(opts: DispatchOptions, handler: DispatchHandler): boolean {
    if (handler === null || typeof handler !== 'object') {
      throw new InvalidOptionError('handler', handler, 'an undici dispatch handler object');
    }
    const fallback = this.#fallback;
    const noH2 = this.#state.noH2;
    // Read the origin here only once one is known to need it: the client's path reads it below.
    if (
      fallback !== undefined &&
      noH2.size > 0 &&
      !this.#state.closed &&
      noH2.has(originOrEmpty(opts?.origin))
    ) {
      return fallback.dispatch(opts, handler);
    }
    const sink = handlerSink(handler);
    const early = sink.start();
    if (early !== undefined) {
      sink.fail(early);
      return true;
    }
    try {
      const origin = originOf(opts?.origin);
      const client = this.#clientFor(origin);
      const request = toStreamRequest(opts, this.#timeoutMs, undefined);
      const body = request.body;
      if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
        sink.attach(client.stream(request, this.#streamSink(sink, origin, opts, body, handler)));
      } else {
        gatherBody(body).then(
          (gathered) =>
            submit(
              client,
              withBody(request, gathered),
              sink,
              this.#streamSink(sink, origin, opts, gathered, handler),
            ),
          (error: unknown) => sink.fail(error instanceof Error ? error : new Error(String(error))),
        );
      }
    } catch (error) {
      sink.fail(error as Error);
    }
    return true;
  }

  /** What the client hears the request through: `sink`, rerouted to the fallback (if any) when the origin speaks no HTTP/2. */
  #streamSink(
    sink: HandlerSink,
    origin: string,
    opts: DispatchOptions,
    sent: StreamRequest['body'],
    handler: DispatchHandler,
  ): StreamSink {
    const fallback = this.#fallback;
    if (fallback === undefined) return sink;
    return rerouteOnNoH2(sink, () => this.#toFallback(origin, fallback, opts, sent, handler));
  }

  /**
   * Gives a request its origin's client failed for not speaking HTTP/2 to
   * `fallback`, with the body it was sent (a stream's, gathered), and routes
   * the origin's later requests there; its client, which has no session and
   * never will, closes.
   */
  #toFallback(
    origin: string,
    fallback: Dispatcher,
    opts: DispatchOptions,
    body: StreamRequest['body'],
    handler: DispatchHandler,
  ): void {
    if (!this.#state.noH2.has(origin)) {
      this.#state.noH2.add(origin);
      const client = this.#clients.get(origin);
      this.#clients.delete(origin);
      void client?.close();
    }
    try {
      fallback.dispatch(body === opts.body ? opts : { ...opts, body: body ?? null }, handler);
    } catch (error) {
      handlerSink(handler).fail(error as Error);
    }
  }

  /**
   * The same agent (its clients and connections) with another budget per
   * request, ms: `fetch(url, { dispatcher: agent.withTimeout(250) })`.
   */
  withTimeout(timeoutMs: number): H2flowAgent {
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw new InvalidOptionError('timeoutMs', timeoutMs, 'a finite number > 0');
    }
    return new H2flowAgent(this.#options, {
      clients: this.#clients,
      state: this.#state,
      timeoutMs,
    });
  }

  /**
   * The agent with undici interceptors around its `dispatch`, the last
   * outermost, as undici's `compose`: `agent.compose(interceptors.retry())`.
   */
  compose(...interceptors: (DispatchInterceptor | readonly DispatchInterceptor[])[]): Dispatcher {
    const own = (o: DispatchOptions, h: DispatchHandler): boolean => this.dispatch(o, h);
    return { dispatch: composeInterceptors(own, interceptors.flat()) };
  }

  /** The client of `origin`, if a request has gone there (for its `stats()`, `decisions$` and metrics). */
  client(origin: string | URL): AdaptiveClient | undefined {
    return this.#clients.get(originOf(origin));
  }

  /** Every origin's client, by origin. */
  clients(): ReadonlyMap<string, AdaptiveClient> {
    return this.#clients;
  }

  /** Closes every client gracefully: queued and in-flight requests finish within their budgets; new ones fail `H2FLOW_CLOSED`. */
  close(callback?: () => void): Promise<void> {
    this.#state.closed = true;
    const closing = Promise.all([...this.#clients.values()].map((c) => c.close())).then(() => {});
    if (callback) void closing.then(callback);
    return closing;
  }

  /** As {@link close} (h2flow never drops a request unsettled), for undici's Dispatcher contract. */
  destroy(callback?: () => void): Promise<void> {
    return this.close(callback);
  }

  #clientFor(key: string): AdaptiveClient {
    let client = this.#clients.get(key);
    if (client !== undefined) return client;
    if (this.#state.closed) {
      const nowMs = Date.now();
      const budgetMs = this.#timeoutMs ?? this.#options.timeoutMs ?? 0;
      throw new ClosedError(breakdownAt({ submittedAtMs: nowMs }, budgetMs, nowMs));
    }
    const { origins, fallback: _, ...shared } = this.#options;
    const own = Object.entries(origins ?? {}).find(([o]) => originOf(o) === key)?.[1];
    client = createClient(key, { ...shared, ...own });
    this.#clients.set(key, client);
    return client;
  }
}

/** Hands a request whose body was gathered to its client, unless the handler aborted meanwhile. */
/** `request` with `body`, as a literal: once per request, where V8 copies a spread on a slow path. */
function withBody(request: StreamRequest, body: StreamRequest['body']): StreamRequest {
  return {
    method: request.method,
    path: request.path,
    headers: request.headers,
    body,
    timeoutMs: request.timeoutMs,
    signal: request.signal,
  };
}

function submit(
  client: AdaptiveClient,
  request: StreamRequest,
  sink: HandlerSink,
  streamSink: StreamSink,
): void {
  const early = sink.earlyAbort();
  if (early !== undefined) {
    sink.fail(early);
    return;
  }
  try {
    sink.attach(client.stream(request, streamSink));
  } catch (error) {
    sink.fail(error as Error);
  }
}

/**
 * Creates an undici dispatcher that puts h2flow under `fetch`:
 * `fetch(url, { dispatcher: createAgent() })`, or for every call in the
 * process `setGlobalDispatcher(createAgent())` (from undici; Node's global
 * `fetch` reads the same slot). `http://` origins speak h2c with prior
 * knowledge, `https://` ones TLS with ALPN `h2` and verification on. Bad
 * options throw an `InvalidOptionError` naming the option and its value.
 */
export function createAgent(options: AgentOptions = {}): H2flowAgent {
  validate(options);
  return new H2flowAgent(options);
}

/** Checks every option set now, with the client's own validation, opening nothing. */
function validate(options: AgentOptions): void {
  const { origins, fallback, ...shared } = options;
  if (
    fallback !== undefined &&
    (typeof fallback !== 'object' ||
      fallback === null ||
      typeof (fallback as Partial<FallbackDispatcher>).dispatch !== 'function')
  ) {
    throw new InvalidOptionError('fallback', fallback, 'a dispatcher: an object with dispatch()');
  }
  if (origins !== undefined && (typeof origins !== 'object' || origins === null)) {
    throw new InvalidOptionError('origins', origins, 'an object of options by origin');
  }
  for (const [origin, own] of Object.entries(origins ?? {})) {
    if (originOf(origin) !== origin.replace(/\/$/, '')) {
      throw new InvalidOptionError(
        `origins['${origin}']`,
        origin,
        'an origin: scheme://host[:port]',
      );
    }
    splitClientOptions({ ...shared, ...own });
  }
  splitClientOptions(shared);
}
