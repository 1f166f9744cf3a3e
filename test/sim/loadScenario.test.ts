import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { loadScenario, parseScenario } from '../../src/sim/loadScenario.js';
import { scenarioDurationS } from '../../src/sim/scenario.js';
import { ScenarioError } from '../../src/sim/scenarioError.js';

const seedFile = 'simulations/seed-52845-cap1.json';
/** The seed scenario as plain JSON, to break in one place per test. */
interface ScenarioDoc {
  server: Record<string, unknown> & { latency: Record<string, unknown> };
  client: Record<string, unknown>;
  load: Record<string, unknown>;
}
const seedJson = (): ScenarioDoc => JSON.parse(readFileSync(seedFile, 'utf8'));

/** The message `parseScenario` throws for `doc`, named `x.json`. */
function problem(doc: unknown): string {
  try {
    parseScenario(
      typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2),
      'simulations/x.json',
    );
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('loadScenario', () => {
  it('loads every shipped scenario', () => {
    const files = readdirSync('simulations').filter(
      (f) => f.endsWith('.json') && f !== 'scenario.schema.json',
    );
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const s = loadScenario(`simulations/${f}`);
      expect(s.name).toBe(f.replace(/\.json$/, ''));
      expect(scenarioDurationS(s)).toBeGreaterThan(0);
    }
  });

  it('fills defaults and resolves constant phases', () => {
    const s = loadScenario(seedFile);
    expect(s.load.phases).toEqual([{ durationS: 60, fromTps: 3000, toTps: 3000 }]);
    expect(s.http2).toEqual({
      streamWindowBytes: 65535,
      connectionWindowBytes: 65535,
      maxFrameBytes: 16384,
    });
    expect(s.server.workers).toBe(Infinity);
    expect(s.network.bandwidthBytesPerS).toBe(Infinity);
    expect(s.client.newConnectionMax).toBe(1024);
    expect(s.warmupS).toBe(5);
  });

  it('fills the server knobs from a named profile, and a knob the scenario sets wins', () => {
    const parse = (server: Record<string, unknown>) => {
      const doc = seedJson();
      Object.assign(doc.server, server);
      return parseScenario(JSON.stringify(doc), 'simulations/x.json').server;
    };
    expect(parse({})).toMatchObject({
      profile: undefined,
      slotHeldAfterReset: false,
      streamsOverLimit: 'refuse',
      goawayAfterRefusals: Infinity,
      resetFlood: undefined,
      resetRateLimit: undefined,
    });
    expect(parse({ profile: 'nginx', maxConcurrentStreams: 128 })).toMatchObject({
      profile: 'nginx',
      slotHeldAfterReset: true,
      streamsOverLimit: 'refuse',
      goawayAfterRefusals: 128,
    });
    expect(parse({ profile: 'nginx', maxConcurrentStreams: 10 }).goawayAfterRefusals).toBe(100);
    expect(parse({ profile: 'netty' })).toMatchObject({
      slotHeldAfterReset: false,
      resetFlood: { maxResets: 200, perS: 30 },
    });
    expect(parse({ profile: 'node' })).toMatchObject({
      streamsOverLimit: 'protocol-error',
      resetRateLimit: { burst: 1000, perS: 33 },
    });
    expect(
      parse({ profile: 'nginx', slotHeldAfterReset: false, goawayAfterRefusals: 5 }),
    ).toMatchObject({
      slotHeldAfterReset: false,
      goawayAfterRefusals: 5,
    });
    const doc = seedJson();
    doc.server.profile = 'apache';
    expect(problem(doc)).toBe(
      'simulations/x.json: /server/profile must be one of "nginx", "netty", "node", got "apache"',
    );
  });

  it('names the file, the JSON pointer and the bad value', () => {
    const doc = seedJson();
    doc.server.latency.meanMs = -5;
    expect(problem(doc)).toBe('simulations/x.json: /server/latency/meanMs must be > 0, got -5');
  });

  it('reports unknown properties with the known ones', () => {
    const doc = seedJson();
    doc.server.maxStreams = 10;
    expect(problem(doc)).toMatch(
      /^simulations\/x\.json: \/server\/maxStreams is not a known property \(known: maxConcurrentStreams, /,
    );
  });

  it('reports missing fields, bad enums and an unknown distribution', () => {
    const missing = seedJson();
    delete missing.client.timeoutMs;
    expect(problem(missing)).toBe('simulations/x.json: /client/timeoutMs is required but missing');
    const arrivals = seedJson();
    arrivals.load.arrivals = 'bursty';
    expect(problem(arrivals)).toBe(
      'simulations/x.json: /load/arrivals must be one of "poisson", "uniform", got "bursty"',
    );
    const dist = seedJson();
    dist.server.latency = { distribution: 'pareto', meanMs: 5 };
    expect(problem(dist)).toMatch(
      /\/server\/latency\/distribution must be one of .*"lognormal".*got "pareto"/,
    );
  });

  it('checks rules the schema cannot express', () => {
    const p99 = seedJson();
    p99.server.latency.p99Ms = 40;
    expect(problem(p99)).toBe(
      'simulations/x.json: /server/latency/p99Ms must be > meanMs (50) and <= 14.97 × meanMs for a lognormal, got 40',
    );
    const phase = seedJson();
    phase.load.phases = [{ durationS: 10, tps: 5, toTps: 9 }];
    expect(problem(phase)).toBe(
      'simulations/x.json: /load/phases/0 must give either tps or fromTps+toTps, not both',
    );
    const order = seedJson();
    order.server.settingsSchedule = [
      { atS: 20, maxConcurrentStreams: 10 },
      { atS: 10, maxConcurrentStreams: 100 },
    ];
    expect(problem(order)).toBe(
      "simulations/x.json: /server/settingsSchedule/1/atS must be >= the previous entry's atS (20), got 10",
    );
    const options = seedJson();
    options.client.options = { decreaseFactor: 2 };
    expect(problem(options)).toMatch(
      /^simulations\/x\.json: \/client\/options\/decreaseFactor must be .*got 2$/,
    );
    const reserved = seedJson();
    reserved.client.options = { policy: 'fixed' };
    expect(problem(reserved)).toMatch(/\/client\/options\/policy is set by the scenario itself/);
  });

  it('gives the line and column of a JSON syntax error', () => {
    const text = '{\n  "name": "x",\n  "load": { "phases": [] },\n  "server": { "latency": 5, }\n}';
    expect(problem(text)).toBe(
      'simulations/x.json: is not valid JSON: line 4, column 29: expected a property name in double quotes, found "}"',
    );
    expect(problem('{"name": "x"')).toBe(
      "simulations/x.json: is not valid JSON: line 1, column 13: expected ',' or '}' after a property value, found end of input",
    );
  });

  it('says when the file cannot be read', () => {
    expect(() => loadScenario('simulations/does-not-exist.json')).toThrow(
      'simulations/does-not-exist.json: cannot be read (ENOENT)',
    );
  });
});
