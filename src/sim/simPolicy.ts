import type { ClientOptions } from '../client/clientOptions.js';
import type { Scenario } from './scenario.js';

/**
 * The client policies a simulation compares, all run by the same
 * `AdaptiveClient`:
 * - `naive`: a fixed pool (`client.naiveConnections`, default 1), no rate
 *   control, an unbounded queue served as Go's strict x/net/http2
 *   transport was measured to serve it (`fifo-restart`: oldest first until
 *   one is sent too late, then the backlog is left to time out), and one
 *   deadline per request that sends RST_STREAM(CANCEL) when it fires in
 *   flight: the seed's client, as `h2flow load --policy naive` runs it;
 * - `new-connection`: another connection whenever every stream slot is busy,
 *   no rate control: Go's default transport;
 * - `adaptive`: h2flow's controller, capped at `client.maxConnections`.
 */
export type SimPolicy = 'naive' | 'new-connection' | 'adaptive';

/** Every policy, in report order. */
export const simPolicies: readonly SimPolicy[] = ['naive', 'new-connection', 'adaptive'];

/** The most connections `policy` may open in `scenario` (the `connections` of the capacity formula). */
export function policyConnectionCap(scenario: Scenario, policy: SimPolicy): number {
  const c = scenario.client;
  const cap =
    policy === 'naive'
      ? c.naiveConnections
      : policy === 'new-connection'
        ? c.newConnectionMax
        : c.maxConnections;
  return Math.min(cap, scenario.server.maxConnectionsPerClient);
}

/** The AdaptiveClient options that make it behave as `policy` in `scenario`. */
export function policyClientOptions(scenario: Scenario, policy: SimPolicy): Partial<ClientOptions> {
  const c = scenario.client;
  const common = { ...(c.options as Partial<ClientOptions>), timeoutMs: c.timeoutMs };
  switch (policy) {
    case 'naive':
      return {
        // `client.options.queueOrder` may still say `fifo` (nghttp2's queue, `--policy naive-fifo`).
        queueOrder: 'fifo-restart',
        ...common,
        policy: 'fixed',
        connections: c.naiveConnections,
        maxConnections: Math.max(c.naiveConnections, c.maxConnections),
      };
    case 'new-connection':
      return { ...common, policy: 'new-connection', maxConnections: c.newConnectionMax };
    case 'adaptive':
      return { ...common, policy: 'adaptive', maxConnections: c.maxConnections };
  }
}
