import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { npmPackagesOf } from './npmPackages.js';
import { packageEntries, packageRoot } from './packageEntries.js';
import { runNodeFixture } from './runNodeFixture.js';

/** What importFootprint.mjs prints. */
interface ImportFootprint {
  readonly importMs: number;
  readonly heapUsedBytes: number;
  readonly exportNames: readonly string[];
  readonly modules?: readonly string[];
}

/** What requireFootprint.cjs prints. */
interface RequireFootprint {
  readonly exportNames: readonly string[];
  readonly modules: readonly string[];
}

/** What loading one entry is expected to load from `node_modules/`. */
interface Expected {
  readonly specifier: string;
  /** Exactly which of h2flow's own dependencies (package.json "dependencies") it loads. */
  readonly dependencies: readonly string[];
  /** Exactly which npm packages it loads, theirs included; only where the list is ours to keep short. */
  readonly packages?: readonly string[];
}

/** Dependencies the client never needs: the report's, the simulator's, the test server's, the CLI's. */
const notForTheClient = /^(vega|vega-.+|d3-.+|ajv|commander|selfsigned|cli-progress)$/;

const expectations: readonly Expected[] = [
  {
    specifier: 'h2flow',
    dependencies: ['prom-client', 'rxjs'],
    packages: [
      '@opentelemetry/api', // prom-client
      'bintrees', // prom-client (tdigest)
      'prom-client',
      'rxjs',
      'tdigest', // prom-client
    ],
  },
  // The controller as a component: nothing but rxjs (issue 15).
  { specifier: 'h2flow/limiter', dependencies: ['rxjs'], packages: ['rxjs'] },
  { specifier: 'h2flow/testing', dependencies: ['selfsigned'] },
  // Vega, Vega-Lite and d3 load on the first renderHtmlReport() call, not with the entry.
  // ajv comes with fast-json-stringify, not with the simulator's scenario validation.
  { specifier: 'h2flow/report', dependencies: ['ajv', 'fast-json-stringify'] },
  // The fetch agent is the client under undici's contract: the client's packages, and never undici.
  {
    specifier: 'h2flow/undici',
    dependencies: ['prom-client', 'rxjs'],
    packages: ['@opentelemetry/api', 'bintrees', 'prom-client', 'rxjs', 'tdigest'],
  },
  // The gRPC channel is the limiter over the application's grpc-js (a peer dependency), with the
  // client's metrics: rxjs and prom-client of ours (no prom-client code runs until metrics are asked for).
  { specifier: 'h2flow/grpc', dependencies: ['prom-client', 'rxjs'] },
  // prom-client comes with the client, which the simulator runs unchanged.
  { specifier: 'h2flow/sim', dependencies: ['ajv', 'hdr-histogram-js', 'prom-client', 'rxjs'] },
];

const ownDependencies = new Set(
  Object.keys(
    (
      JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
        readonly dependencies: Record<string, string>;
      }
    ).dependencies,
  ),
);
const entries = packageEntries();
const built = entries.every((entry) => entry.built);
// Needs dist/ (`make test` builds before jest runs); a bare jest run without a build skips, and says so.
const whenBuilt = built ? test : test.skip;
if (!built) {
  console.warn('importFootprint.test.ts: dist/ is missing or incomplete; run `make build` first');
}

const recordings = new Map<string, Promise<ImportFootprint>>();

/** The recorded import of `specifier`, run once and shared by the tests that need it. */
function recordedImport(specifier: string): Promise<ImportFootprint> {
  let recording = recordings.get(specifier);
  if (recording === undefined) {
    recording = runNodeFixture<ImportFootprint>('importFootprint.mjs', [specifier, '--record']);
    recordings.set(specifier, recording);
  }
  return recording;
}

/** One line per entry for the test output: time and heap of an unrecorded import. */
const summary: string[] = [];

describe('what each package entry loads', () => {
  afterAll(() => {
    if (summary.length > 0) {
      console.log(
        `import() in a fresh node ${process.version} (one run each, not a benchmark; docs/benchmarks.md has medians):\n${summary.join('\n')}`,
      );
    }
  });

  test('every entry of package.json "exports" has an expectation here', () => {
    expect(expectations.map((e) => e.specifier).sort()).toEqual(
      entries.map((e) => e.specifier).sort(),
    );
  });

  describe.each(expectations)('$specifier', ({ specifier, dependencies, packages }) => {
    whenBuilt('import loads exactly the listed packages', async () => {
      const recorded = await recordedImport(specifier);
      const loaded = npmPackagesOf(recorded.modules ?? []);
      expect(loaded.filter((name) => ownDependencies.has(name))).toEqual(dependencies);
      if (packages !== undefined) expect(loaded).toEqual(packages);
      if (specifier === 'h2flow') {
        expect(loaded.filter((name) => notForTheClient.test(name))).toEqual([]);
      }

      const plain = await runNodeFixture<ImportFootprint>('importFootprint.mjs', [specifier]);
      summary.push(
        `  ${specifier.padEnd(16)} ${plain.importMs.toFixed(0).padStart(5)} ms  ` +
          `heapUsed ${(plain.heapUsedBytes / 2 ** 20).toFixed(1).padStart(5)} MiB  ` +
          `${loaded.length} npm packages`,
      );
    });

    whenBuilt('require() loads the same packages and exports the same names', async () => {
      const imported = await recordedImport(specifier);
      const required = await runNodeFixture<RequireFootprint>('requireFootprint.cjs', [specifier]);
      expect(npmPackagesOf(required.modules)).toEqual(npmPackagesOf(imported.modules ?? []));
      expect([...required.exportNames].sort()).toEqual([...imported.exportNames].sort());
    });
  });
});
