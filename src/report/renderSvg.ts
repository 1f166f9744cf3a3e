import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A chart rendered to SVG, with what Vega-Lite and Vega warned about while doing it. */
export interface RenderedSvg {
  /** The standalone `<svg>` element. */
  readonly svg: string;
  /** Warnings (e.g. an encoding that was dropped); empty for a well-formed spec. */
  readonly warnings: readonly string[];
}

type Logger = NonNullable<NonNullable<Parameters<typeof compile>[1]>['logger']>;

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
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<RenderedSvg> {
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
