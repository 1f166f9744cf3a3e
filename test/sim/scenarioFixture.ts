import type { Scenario } from '../../src/sim/scenario.js';

/** A small resolved scenario for unit tests, with `overrides` merged at the top level. */
export function scenarioWith(overrides: Partial<Scenario>): Scenario {
  const base: Scenario = {
    name: 'fixture',
    description: '',
    seed: 1,
    warmupS: 0,
    load: { arrivals: 'poisson', phases: [{ durationS: 10, fromTps: 100, toTps: 100 }] },
    request: { method: 'POST', path: '/', bodyBytes: 75, headerBytes: 40 },
    response: { status: 200, bodyBytes: 120, headerBytes: 20 },
    network: { rttMs: 2, bandwidthBytesPerS: Infinity, setupRtts: 2 },
    http2: { streamWindowBytes: 65_535, connectionWindowBytes: 65_535, maxFrameBytes: 16_384 },
    server: {
      maxConcurrentStreams: 100,
      settingsSchedule: [],
      latency: { distribution: 'constant', meanMs: 10 },
      latencySchedule: [],
      workers: Infinity,
      maxConnectionsPerClient: Infinity,
      goawayEveryStreams: Infinity,
      refuseWhenQueuedOver: Infinity,
      resetFlood: undefined,
      resetRateLimit: undefined,
      slotHeldAfterReset: false,
      streamsOverLimit: 'refuse',
      goawayAfterRefusals: Infinity,
      profile: undefined,
    },
    client: {
      count: 1,
      timeoutMs: 5000,
      maxConnections: 8,
      naiveConnections: 1,
      newConnectionMax: 1024,
      options: {},
    },
  };
  return { ...base, ...overrides };
}
