import type { AdaptiveClient } from '../client/AdaptiveClient.js';
import type { StreamRequest } from '../client/streamRequest.js';
import { breakdownAt } from '../core/budget.js';
import { type CreateClientOptions, createClient, splitClientOptions } from '../createClient.js';
import { ClosedError } from '../errors/ClosedError.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { composeInterceptors, type DispatchInterceptor } from './composeInterceptors.js';
import { gatherBody } from './gatherBody.js';
import { type HandlerSink, handlerSink } from './handlerSink.js';
import { toStreamRequest } from './toStreamRequest.js';
import type { DispatchHandler, DispatchOptions } from './undiciHandlers.js';

/** Options of {@link createAgent}: every client option, for all origins, and per origin. */
export interface AgentOptions extends CreateClientOptions {
  /** Options for one origin (`https://api.example.com`), over the agent's own. */
  readonly origins?: Readonly<Record<string, CreateClientOptions>> | undefined;
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
  readonly #state: { closed: boolean };

  /** @internal Use {@link createAgent}. */
  constructor(
    options: AgentOptions,
    shared?: {
      clients: Map<string, AdaptiveClient>;
      state: { closed: boolean };
      timeoutMs: number;
    },
  ) {
    this.#options = options;
    this.#clients = shared?.clients ?? new Map();
    this.#state = shared?.state ?? { closed: false };
    this.#timeoutMs = shared?.timeoutMs;
  }

  dispatch(opts: DispatchOptions, handler: DispatchHandler): boolean {
    if (handler === null || typeof handler !== 'object') {
      throw new InvalidOptionError('handler', handler, 'an undici dispatch handler object');
    }
    const sink = handlerSink(handler);
    const early = sink.start();
    if (early !== undefined) {
      sink.fail(early);
      return true;
    }
    try {
      const client = this.#clientFor(opts?.origin);
      const request = toStreamRequest(opts, this.#timeoutMs, undefined);
      const body = request.body;
      if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
        sink.attach(client.stream(request, sink));
      } else {
        gatherBody(body).then(
          (gathered) => submit(client, withBody(request, gathered), sink),
          (error: unknown) => sink.fail(error instanceof Error ? error : new Error(String(error))),
        );
      }
    } catch (error) {
      sink.fail(error as Error);
    }
    return true;
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

  #clientFor(origin: string | URL | undefined): AdaptiveClient {
    const key = originOf(origin);
    let client = this.#clients.get(key);
    if (client !== undefined) return client;
    if (this.#state.closed) {
      const nowMs = Date.now();
      const budgetMs = this.#timeoutMs ?? this.#options.timeoutMs ?? 0;
      throw new ClosedError(breakdownAt({ submittedAtMs: nowMs }, budgetMs, nowMs));
    }
    const { origins, ...shared } = this.#options;
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

function submit(client: AdaptiveClient, request: StreamRequest, sink: HandlerSink): void {
  const early = sink.earlyAbort();
  if (early !== undefined) {
    sink.fail(early);
    return;
  }
  try {
    sink.attach(client.stream(request, sink));
  } catch (error) {
    sink.fail(error as Error);
  }
}

/** `scheme://host:port` of an undici origin, or an error naming it. */
function originOf(origin: string | URL | undefined): string {
  let url: URL;
  try {
    url = new URL(String(origin));
  } catch {
    throw new InvalidOptionError('origin', origin, 'an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOptionError('origin', origin, 'an http:// or https:// URL');
  }
  return url.origin;
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
  const { origins, ...shared } = options;
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
