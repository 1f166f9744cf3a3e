import type { TopLevelSpec } from 'vega-lite';

/** A chart rendered to SVG, with what Vega-Lite and Vega warned about while doing it. */
export interface RenderedSvg {
  /** The standalone `<svg>` element. */
  readonly svg: string;
  /** Warnings (e.g. an encoding that was dropped); empty for a well-formed spec. */
  readonly warnings: readonly string[];
}

type Logger = NonNullable<NonNullable<Parameters<VegaLibraries['compile']>[1]>['logger']>;

/** The Vega and Vega-Lite functions {@link renderVegaLiteSvg} uses. */
interface VegaLibraries {
  readonly parse: typeof import('vega').parse;
  readonly View: typeof import('vega').View;
  readonly compile: typeof import('vega-lite').compile;
}

let libraries: Promise<VegaLibraries> | undefined;

/**
 * Imports Vega, then Vega-Lite, once per process; concurrent renders share the
 * one pending import. One after the other, because Jest's ES module loader
 * (the tests run under it) fails two concurrent imports of graphs that share
 * modules ("request for './accessor.js' is not in cache"). A failed import is
 * forgotten, so the next render tries again.
 */
function vegaLibraries(): Promise<VegaLibraries> {
  libraries ??= (async () => {
    const { parse, View } = await import('vega');
    const { compile } = await import('vega-lite');
    return { parse, View, compile };
  })().catch((error: unknown) => {
    libraries = undefined;
    throw error;
  });
  return libraries;
}

// vega-util's level numbers (None 0, Error 1, Warn 2, Info 3, Debug 4).
const warnLevel = 2;

/**
 * A logger that records warnings instead of printing them: the CLI may be
 * writing JSON to stdout and a report to a file, and a stray console line
 * from a chart library does not belong in either.
 */
function collectingLogger(warnings: string[]): Logger {
  const logger: Logger = {
    level(level?: number) {
      return level === undefined ? warnLevel : logger;
    },
    error(...args: unknown[]) {
      throw new Error(args.map(String).join(' '));
    },
    warn(...args: unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

/**
 * Renders a Vega-Lite spec to an SVG string in Node, with no browser, canvas
 * or network: Vega-Lite compiles it to a Vega spec, and a headless Vega view
 * with the `none` renderer draws the scenegraph to SVG markup. Text widths
 * are estimated rather than measured (there is no canvas), which only
 * affects label layout slightly. The spec's data must be inline.
 *
 * Vega and Vega-Lite (about 50 packages with d3) are imported on the first
 * call, not with this module: importing `h2flow/report` for the text or JSON
 * renderers stays cheap, and vega-canvas's top-level await is out of the graph
 * `require('h2flow/report')` loads synchronously (require() of an ES module
 * graph with top-level await throws ERR_REQUIRE_ASYNC_MODULE).
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<RenderedSvg> {
  const { parse, View, compile } = await vegaLibraries();
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const vegaSpec = compile(spec, { logger }).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none', logger, logLevel: warnLevel });
  try {
    const svg = await view.toSVG();
    return { svg, warnings };
  } finally {
    view.finalize();
  }
}
