import {
  type ChannelCredentials,
  type ChannelInterface,
  type ChannelOptions,
  connectivityState,
  type Deadline,
} from '@grpc/grpc-js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { Limiter } from '../limiter/Limiter.js';
import type { LimiterOptions } from '../limiter/limiterOptions.js';
import { type MetricsRegistry, requireOrigin, requireRegistry } from '../metrics/metricsOptions.js';
import { OnDemandMetrics } from '../metrics/onDemandMetrics.js';
import { realTimeScheduler } from '../streams/realTimeScheduler.js';
import { AdmittedCall, type CallHost, type GrpcCall } from './admittedCall.js';
import { ChildChannels } from './childChannels.js';

/** Options of {@link createChannel}: the limiter's (controller, policy, connections), and gRPC's own. */
export interface GrpcChannelOptions extends Partial<LimiterOptions> {
  /**
   * Calls one connection takes at once: the server's
   * SETTINGS_MAX_CONCURRENT_STREAMS, which grpc-js does not expose. Default
   * 100 (what grpc-js, Go and most servers send); set it to the server's.
   */
  readonly streamsPerConnection?: number | undefined;
  /** The budget of a call that has no deadline, ms. Default: `timeoutMs`. */
  readonly noDeadlineBudgetMs?: number | undefined;
  /** grpc-js channel options for every connection (`grpc.*`). */
  readonly channelOptions?: ChannelOptions | undefined;
  /** Value of the `origin` label on the channel's metrics. Default: the target. */
  readonly origin?: string | undefined;
  /**
   * prom-client registry for the channel's metrics, the client's metrics
   * (docs/metrics.md). Default: none; metrics are opt-in, and a private
   * registry is made on the first call to `metrics()` or `metricsRegistry`.
   */
  readonly metricsRegistry?: MetricsRegistry | undefined;
}

type ConnectivityState = ReturnType<ChannelInterface['getConnectivityState']>;

/**
 * A grpc-js `ChannelInterface` with h2flow's controller in it, for
 * `new Client(target, credentials, { channelOverride: channel })`. Every
 * call is admitted through one {@link Limiter} (deadline-aware admission, a
 * bounded queue, the control loop) and runs on one of N real grpc-js
 * channels, each its own HTTP/2 connection, N decided by the controller
 * within `maxConnections`.
 */
export class H2flowChannel implements ChannelInterface {
  /** The controller: its `decisions$`, `samples$`, `stats()`, as a client's. */
  readonly limiter: Limiter;
  readonly #target: string;
  readonly #children: ChildChannels;
  readonly #host: CallHost;
  readonly #metrics: OnDemandMetrics;
  #closed = false;

  constructor(target: string, credentials: ChannelCredentials, options: GrpcChannelOptions = {}) {
    const {
      streamsPerConnection = 100,
      noDeadlineBudgetMs,
      channelOptions = {},
      origin = target,
      metricsRegistry,
      ...limiterOptions
    } = options;
    if (!(Number.isInteger(streamsPerConnection) && streamsPerConnection >= 1)) {
      throw new InvalidOptionError('streamsPerConnection', streamsPerConnection, 'an integer ≥ 1');
    }
    this.#target = target;
    const registry =
      metricsRegistry === undefined
        ? undefined
        : requireRegistry('metricsRegistry', metricsRegistry);
    this.#children = new ChildChannels(
      target,
      credentials,
      channelOptions,
      streamsPerConnection,
      () => realTimeScheduler.now(),
    );
    this.limiter = new Limiter(this.#children, limiterOptions, realTimeScheduler);
    const budgetMs = noDeadlineBudgetMs ?? this.limiter.options.timeoutMs;
    if (!(Number.isFinite(budgetMs) && budgetMs > 0)) {
      throw new InvalidOptionError('noDeadlineBudgetMs', budgetMs, 'a finite number > 0');
    }
    let calls = 0;
    this.#host = {
      limiter: this.limiter,
      children: this.#children,
      target,
      noDeadlineBudgetMs: budgetMs,
      nextCallNumber: () => ++calls,
    };
    const children = this.#children;
    this.#metrics = new OnDemandMetrics(this.limiter, () => children.capacity(), {
      origin: requireOrigin('origin', origin),
      registry,
    });
    this.#children.resize(this.limiter.connectionsTarget);
  }

  /**
   * The prom-client registry holding the channel's metrics (the client's
   * names, docs/metrics.md): `options.metricsRegistry`, or a private one
   * made on first use.
   */
  get metricsRegistry(): MetricsRegistry {
    return this.#metrics.registry;
  }

  /** The Prometheus exposition text of {@link metricsRegistry}. */
  metrics(): Promise<string> {
    return this.#metrics.metrics();
  }

  createCall(
    method: string,
    deadline: Deadline,
    host: string | null | undefined,
    parentCall: Parameters<ChannelInterface['createCall']>[3],
    propagateFlags: number | null | undefined,
  ): GrpcCall {
    if (this.#closed) throw new Error('Channel has been shut down');
    return new AdmittedCall(this.#host, { method, deadline, host, parentCall, propagateFlags });
  }

  getTarget(): string {
    return this.#target;
  }

  /** READY if any connection is, else CONNECTING, IDLE, TRANSIENT_FAILURE (round_robin's rule); SHUTDOWN once closed. */
  getConnectivityState(tryToConnect: boolean): ConnectivityState {
    if (this.#closed) return connectivityState.SHUTDOWN;
    const states = this.#children.children.map((c) => c.channel.getConnectivityState(tryToConnect));
    for (const s of [
      connectivityState.READY,
      connectivityState.CONNECTING,
      connectivityState.IDLE,
    ]) {
      if (states.includes(s)) return s;
    }
    return connectivityState.TRANSIENT_FAILURE;
  }

  /** Calls back once the aggregate state differs from `currentState`, or with an error at `deadline`. */
  watchConnectivityState(
    currentState: ConnectivityState,
    deadline: Date | number,
    callback: (error?: Error) => void,
  ): void {
    if (this.#closed) throw new Error('Channel has been shut down');
    let settled = false;
    const check = (error?: Error): void => {
      if (settled) return;
      if (error !== undefined || this.getConnectivityState(false) !== currentState) {
        settled = true;
        callback(error);
        return;
      }
      arm();
    };
    const arm = (): void => {
      for (const c of this.#children.children) {
        c.channel.watchConnectivityState(c.channel.getConnectivityState(false), deadline, check);
      }
    };
    check();
  }

  getChannelzRef(): ReturnType<ChannelInterface['getChannelzRef']> {
    const first = this.#children.children[0];
    if (first === undefined) throw new Error('Channel has been shut down');
    return first.channel.getChannelzRef();
  }

  /** New calls throw; queued and in-flight ones finish within their deadlines; then the connections close. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    void this.limiter.close().then(() => {
      this.#children.close();
      this.#metrics.close();
    });
  }
}

/**
 * Creates a grpc-js channel with h2flow's controller in it: pass it to any
 * client as `new Client(target, credentials, { channelOverride: channel })`
 * (`docs/grpc.md`). Bad options throw an `InvalidOptionError` naming the
 * option and its value.
 */
export function createChannel(
  target: string,
  credentials: ChannelCredentials,
  options: GrpcChannelOptions = {},
): H2flowChannel {
  return new H2flowChannel(target, credentials, options);
}
