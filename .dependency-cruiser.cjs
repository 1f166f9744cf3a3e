/**
 * Layering rules for h2flow (see docs/architecture.md). Imports flow one way:
 *   errors <- core <- stats <- streams <- limiter <- transport <- {h2, sim, server} <- client/report <- cli
 * dependency-cruiser parses TypeScript with swc here, because TypeScript 7 has
 * no JavaScript compiler API for its default parser.
 */
const layer = (name, forbidden, comment) => ({
  name: `${name}-layer`,
  severity: 'error',
  comment,
  from: { path: `^src/${name}/` },
  to: { path: forbidden },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make the layering meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      comment: 'cli/ is the outermost layer; nothing may import it.',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'errors-imports-nothing-of-ours-or-node',
      severity: 'error',
      comment: 'errors/ is the base layer: no project code, no rxjs, no node built-ins.',
      from: { path: '^src/errors/' },
      to: { pathNot: '^src/errors/' },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'core/ is pure: no rxjs, no node:* built-ins, only errors/ and itself.',
      from: { path: '^src/core/' },
      to: { pathNot: '^src/(core|errors)/' },
    },
    {
      name: 'core-errors-no-builtins',
      severity: 'error',
      comment: 'core/ and errors/ take time as numbers; they import no node built-in.',
      from: { path: '^src/(core|errors)/' },
      to: { dependencyTypes: ['core'] },
    },
    layer(
      'stats',
      '^src/(streams|transport|h2|sim|server|client|report|cli)/|node_modules/rxjs/|^http2$',
      'stats/ are histogram-backed accumulators over core; no rxjs, no transport.',
    ),
    layer(
      'streams',
      '^src/(transport|h2|sim|server|client|report|cli)/|^http2$',
      'streams/ are RxJS operators over core; no transport, no node:http2.',
    ),
    layer(
      'limiter',
      '^src/(transport|h2|sim|server|metrics|client|report|load|tune|cli)/|^http2$|node_modules/(?!rxjs/)',
      'limiter/ is the controller as a component (h2flow/limiter): it drives no transport and loads no npm package but rxjs.',
    ),
    layer(
      'transport',
      '^src/(h2|sim|server|client|report|cli)/|^http2$',
      'transport/ is the interface and the pool both implementations share; it loads no node:http2, so the simulator runs the same pool without sockets.',
    ),
    layer(
      'metrics',
      '^src/(streams|transport|h2|sim|server|client|report|cli)/|^http2$',
      'metrics/ turns client observables and stats into prom-client metrics; client/ imports it, so it sees only errors, core, stats, rxjs types and prom-client.',
    ),
    layer(
      'client',
      '^src/(h2|sim|server|cli|undici)/',
      'client/ drives the Transport interface only; h2/ and sim/ implement it.',
    ),
    layer('h2', '^src/(sim|server|client|report|cli|undici)/', 'h2/ implements transport/ only.'),
    layer(
      'grpc',
      '^src/(client|h2|sim|server|report|load|tune|cli|undici)/|^http2$',
      "grpc/ is h2flow/grpc: the limiter over grpc-js channels (the application's @grpc/grpc-js, a peer dependency) and the client's metrics; no h2flow transport, no client.",
    ),
    layer(
      'undici',
      '^src/(sim|server|report|load|tune|cli|metrics)/|node_modules/undici/',
      "undici/ is h2flow/undici: undici's dispatcher contract over the client (src/createClient.ts); it never loads undici, so Node's global fetch needs nothing installed.",
    ),
    layer(
      'sim',
      '^src/(h2|server|report|cli)/',
      'sim/ composes the real AdaptiveClient with a simulated transport; it never touches node:http2 code.',
    ),
    layer(
      'report',
      '^src/(sim|h2|server|cli)/',
      'report/ renders results; it does not run anything.',
    ),
    layer(
      'load',
      '^src/cli/',
      'load/ is the reusable load-generation engine (open-loop arrivals, run recording, the demo) that load, demo, tune and benchmarks share; it may use client, h2, server, report and below, never cli.',
    ),
    {
      name: 'only-its-entry-imports-grpc',
      severity: 'error',
      comment:
        "src/grpc/ and @grpc/grpc-js belong to h2flow/grpc alone: no other entry may load the application's grpc-js.",
      from: { pathNot: '^src/grpc/' },
      to: { path: '^src/grpc/|node_modules/@grpc/' },
    },
    {
      name: 'only-outer-layers-import-load',
      severity: 'error',
      comment: 'load/ sits above report; the layers it builds on must not import it back.',
      from: {
        path: '^src/(errors|core|stats|streams|transport|h2|sim|server|metrics|client|report)/',
      },
      to: { path: '^src/load/' },
    },
    layer('server', '^src/(sim|h2|client|report|cli)/', 'server/ is a standalone test server.'),
    {
      name: 'main-entry-stays-small',
      severity: 'error',
      comment:
        "The package's main entry (`h2flow`) is the client only: the report's, test server's, simulator's and CLI's dependencies have their own entries (src/report.ts, src/testing.ts, src/sim.ts) and must not be reachable from it. test/package/importFootprint.test.ts checks what the built entry loads at run time.",
      from: { path: '^src/index\\.ts$' },
      to: {
        path: 'node_modules/(vega|vega-[^/]+|d3-[^/]+|ajv|commander|selfsigned|cli-progress)/',
        reachable: true,
      },
    },
    layer(
      'tune',
      '^src/(sim|cli)/',
      'tune/ probes a real endpoint through the client; never the simulator, never cli/.',
    ),
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
