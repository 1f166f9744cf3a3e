import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import { resolveClientOptions } from '../client/clientOptions.js';
import { maxLognormalP99Ratio } from '../core/lognormal.js';
import { isInvalidOptionError } from '../errors/InvalidOptionError.js';
import { findJsonSyntaxError } from './jsonSyntaxError.js';
import type { LatencySpec } from './latencyDistribution.js';
import type { LoadPhase, Scenario } from './scenario.js';
import { ScenarioError } from './scenarioError.js';
import { type ServerProfileName, serverProfiles } from './serverProfiles.js';

// ajv is CommonJS; under NodeNext its default export is the module object.
const Ajv = AjvModule as unknown as typeof AjvModule.default;

/** Client options a scenario sets through its own fields, so `client.options` may not. */
const reservedClientOptions = ['policy', 'connections', 'maxConnections', 'timeoutMs'];

/** Most connections a client may ask for (the client's own validation bound). */
const connectionCeiling = 1024;

let validator: ValidateFunction | undefined;

/** Path of `simulations/scenario.schema.json`, found by walking up from this module (src/, dist/ or .build/). */
export function scenarioSchemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'simulations', 'scenario.schema.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('simulations/scenario.schema.json not found above the h2flow module');
    dir = parent;
  }
}

function compiledValidator(): ValidateFunction {
  if (validator === undefined) {
    const schema = JSON.parse(readFileSync(scenarioSchemaPath(), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: false, discriminator: true, verbose: true, strict: true });
    validator = ajv.compile(schema);
  }
  return validator;
}

/** Reads, validates and resolves a scenario file. Errors are {@link ScenarioError}s naming `file`. */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScenarioError(file, '', `cannot be read (${code ?? (error as Error).message})`);
  }
  return parseScenario(text, file);
}

/** Validates and resolves scenario JSON text; `file` names it in error messages. */
export function parseScenario(text: string, file: string): Scenario {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const where = findJsonSyntaxError(text);
    const detail = where
      ? `line ${where.line}, column ${where.column}: ${where.message}`
      : (error as Error).message;
    throw new ScenarioError(file, '', `is not valid JSON: ${detail}`);
  }
  const validate = compiledValidator();
  if (!validate(data)) throw schemaError(file, validate.errors?.[0]);
  return resolve(data as ScenarioFile, file);
}

function schemaError(file: string, e: ErrorObject | undefined): ScenarioError {
  if (e === undefined) return new ScenarioError(file, '', 'does not match the scenario schema');
  const pointer = e.instancePath;
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return new ScenarioError(file, `${pointer}/${missing}`, 'is required but missing');
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(
        (e.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      return new ScenarioError(
        file,
        `${pointer}/${extra}`,
        `is not a known property (known: ${allowed.join(', ')})`,
      );
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      return new ScenarioError(
        file,
        pointer,
        `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${show(e.data)}`,
      );
    }
    case 'discriminator': {
      const { tag, tagValue } = e.params as { tag: string; tagValue: unknown };
      const options = (
        (e.parentSchema as { oneOf?: { properties: Record<string, { const: string }> }[] })
          ?.oneOf ?? []
      ).map((branch) => JSON.stringify(branch.properties[tag]?.const));
      return new ScenarioError(
        file,
        `${pointer}/${tag}`,
        `must be one of ${options.join(', ')}, got ${show(tagValue)}`,
      );
    }
    default:
      return new ScenarioError(file, pointer, `${e.message ?? 'is invalid'}, got ${show(e.data)}`);
  }
}

function show(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'nothing' : JSON.stringify(value);
  } catch {
    // Deeper than JSON.stringify's stack (5,000 nested arrays parse, but cannot be echoed back).
    text = Array.isArray(value) ? '[…]' : '{…}';
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The file as the schema admits it (optional fields may be absent). */
interface ScenarioFile {
  name: string;
  description?: string;
  seed?: number;
  warmupS?: number;
  load: {
    arrivals?: 'poisson' | 'uniform';
    phases: { durationS: number; tps?: number; fromTps?: number; toTps?: number }[];
  };
  request?: { method?: string; path?: string; bodyBytes?: number; headerBytes?: number };
  response?: { status?: number; bodyBytes?: number; headerBytes?: number };
  network?: { rttMs?: number; bandwidthBytesPerS?: number; setupRtts?: number };
  http2?: { streamWindowBytes?: number; connectionWindowBytes?: number; maxFrameBytes?: number };
  server: {
    maxConcurrentStreams?: number;
    settingsSchedule?: { atS: number; maxConcurrentStreams: number }[];
    latency: LatencySpec;
    latencySchedule?: { atS: number; factor: number }[];
    workers?: number;
    maxConnectionsPerClient?: number;
    goawayEveryStreams?: number;
    refuseWhenQueuedOver?: number;
    resetFlood?: { maxResets: number; perS: number };
    resetRateLimit?: { burst: number; perS: number };
    slotHeldAfterReset?: boolean;
    streamsOverLimit?: 'refuse' | 'protocol-error';
    goawayAfterRefusals?: number;
    profile?: ServerProfileName;
  };
  client: {
    count?: number;
    timeoutMs: number;
    maxConnections: number;
    naiveConnections?: number;
    newConnectionMax?: number;
    options?: Record<string, unknown>;
  };
}

/** Fills in defaults and checks what JSON Schema cannot express (cross-field rules). */
function resolve(f: ScenarioFile, file: string): Scenario {
  const phases = f.load.phases.map((p, i): LoadPhase => {
    const at = `/load/phases/${i}`;
    if (p.tps !== undefined) {
      if (p.fromTps !== undefined || p.toTps !== undefined)
        throw new ScenarioError(file, at, 'must give either tps or fromTps+toTps, not both');
      return { durationS: p.durationS, fromTps: p.tps, toTps: p.tps };
    }
    if (p.fromTps === undefined || p.toTps === undefined)
      throw new ScenarioError(file, at, 'must give tps, or both fromTps and toTps');
    return { durationS: p.durationS, fromTps: p.fromTps, toTps: p.toTps };
  });
  const latency = f.server.latency;
  if (latency.distribution === 'lognormal') {
    const ratio = latency.p99Ms / latency.meanMs;
    if (!(ratio > 1) || ratio > maxLognormalP99Ratio)
      throw new ScenarioError(
        file,
        '/server/latency/p99Ms',
        `must be > meanMs (${latency.meanMs}) and <= ${maxLognormalP99Ratio.toFixed(2)} × meanMs for a lognormal, got ${latency.p99Ms}`,
      );
  }
  requireSorted(file, '/server/settingsSchedule', f.server.settingsSchedule ?? []);
  requireSorted(file, '/server/latencySchedule', f.server.latencySchedule ?? []);
  const options = f.client.options ?? {};
  checkClientOptions(file, options, f.client.maxConnections, f.client.timeoutMs);
  const maxConnectionsPerClient = f.server.maxConnectionsPerClient ?? Infinity;
  return {
    name: f.name,
    description: f.description ?? '',
    seed: f.seed ?? 1,
    warmupS: f.warmupS ?? 5,
    load: { arrivals: f.load.arrivals ?? 'poisson', phases },
    request: {
      method: f.request?.method ?? 'POST',
      path: f.request?.path ?? '/',
      bodyBytes: f.request?.bodyBytes ?? 75,
      headerBytes: f.request?.headerBytes ?? 40,
    },
    response: {
      status: f.response?.status ?? 200,
      bodyBytes: f.response?.bodyBytes ?? 64,
      headerBytes: f.response?.headerBytes ?? 20,
    },
    network: {
      rttMs: f.network?.rttMs ?? 1,
      bandwidthBytesPerS: f.network?.bandwidthBytesPerS ?? Infinity,
      setupRtts: f.network?.setupRtts ?? 2,
    },
    http2: {
      streamWindowBytes: f.http2?.streamWindowBytes ?? 65_535,
      connectionWindowBytes: f.http2?.connectionWindowBytes ?? 65_535,
      maxFrameBytes: f.http2?.maxFrameBytes ?? 16_384,
    },
    server: resolveServer(f.server, maxConnectionsPerClient),
    client: {
      count: f.client.count ?? 1,
      timeoutMs: f.client.timeoutMs,
      maxConnections: f.client.maxConnections,
      naiveConnections: f.client.naiveConnections ?? 1,
      newConnectionMax:
        f.client.newConnectionMax ?? Math.min(connectionCeiling, maxConnectionsPerClient),
      options,
    },
  };
}

/** The server knobs: the scenario's own, then its profile's, then the defaults (no limits, a plain server). */
function resolveServer(
  server: ScenarioFile['server'],
  maxConnectionsPerClient: number,
): Scenario['server'] {
  const maxConcurrentStreams = server.maxConcurrentStreams ?? 100;
  const profile = server.profile === undefined ? undefined : serverProfiles[server.profile];
  return {
    maxConcurrentStreams,
    settingsSchedule: server.settingsSchedule ?? [],
    latency: server.latency,
    latencySchedule: server.latencySchedule ?? [],
    workers: server.workers ?? Infinity,
    maxConnectionsPerClient,
    goawayEveryStreams: server.goawayEveryStreams ?? Infinity,
    refuseWhenQueuedOver: server.refuseWhenQueuedOver ?? Infinity,
    resetFlood: server.resetFlood ?? profile?.resetFlood,
    resetRateLimit: server.resetRateLimit ?? profile?.resetRateLimit,
    slotHeldAfterReset: server.slotHeldAfterReset ?? profile?.slotHeldAfterReset ?? false,
    streamsOverLimit: server.streamsOverLimit ?? profile?.streamsOverLimit ?? 'refuse',
    goawayAfterRefusals:
      server.goawayAfterRefusals ??
      profile?.goawayAfterRefusals?.(maxConcurrentStreams) ??
      Infinity,
    profile: server.profile,
  };
}

function requireSorted(file: string, pointer: string, schedule: readonly { atS: number }[]): void {
  for (let i = 1; i < schedule.length; i++) {
    if (schedule[i]!.atS < schedule[i - 1]!.atS)
      throw new ScenarioError(
        file,
        `${pointer}/${i}/atS`,
        `must be >= the previous entry's atS (${schedule[i - 1]!.atS}), got ${schedule[i]!.atS}`,
      );
  }
}

/** `client.options` go to the AdaptiveClient; let it judge them now, so a typo fails before the run. */
function checkClientOptions(
  file: string,
  options: Record<string, unknown>,
  maxConnections: number,
  timeoutMs: number,
): void {
  for (const key of reservedClientOptions) {
    if (key in options)
      throw new ScenarioError(
        file,
        `/client/options/${key}`,
        'is set by the scenario itself (client.timeoutMs, client.maxConnections, policy), not here',
      );
  }
  try {
    resolveClientOptions({ ...options, policy: 'adaptive', maxConnections, timeoutMs });
  } catch (error) {
    if (!isInvalidOptionError(error)) throw error;
    const name = error.option.replace(/^options\./, '');
    throw new ScenarioError(file, `/client/options/${name}`, error.message.replace(/^\S+ /, ''));
  }
}
