/**
 * A scenario file that cannot be used: bad JSON, a schema violation or an
 * inconsistent value. The message is one line that names the file, the JSON
 * pointer and the bad value, e.g.
 * `simulations/x.json: /server/latency/meanMs must be > 0, got -5`.
 */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  /** Stable code. */
  readonly code = 'H2FLOW_SCENARIO' as const;
  /** The file as the caller named it. */
  readonly file: string;
  /** JSON pointer of the bad value (`''` for the whole document or a syntax error). */
  readonly pointer: string;

  constructor(file: string, pointer: string, problem: string) {
    super(oneLine(`${file}: ${pointer === '' ? '' : `${pointer} `}${problem}`));
    this.file = file;
    this.pointer = pointer;
  }
}

/**
 * The message with its control and line-separator characters escaped (`\u000a`): a property
 * name may hold any of them (`"max\nStreams"` in the JSON), and the message must stay one line.
 */
function oneLine(text: string): string {
  return text.replace(
    /[\p{Cc}\u2028\u2029]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** True when `value` is a {@link ScenarioError}. */
export function isScenarioError(value: unknown): value is ScenarioError {
  return value instanceof ScenarioError;
}
