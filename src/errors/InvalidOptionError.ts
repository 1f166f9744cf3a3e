const brand = Symbol.for('h2flow.InvalidOptionError');

/**
 * An option, flag or scenario field has a value h2flow cannot use. It is a
 * `RangeError`, and its message names the option and the bad value, e.g.
 * `maxConnections must be an integer >= minConnections (2), got 1`.
 */
export class InvalidOptionError extends RangeError {
  /** Stable code. */
  readonly code = 'H2FLOW_INVALID_OPTION' as const;
  override readonly name = 'InvalidOptionError';
  /** The option's name (a path such as `server.latency.meanMs` for nested fields). */
  readonly option: string;
  /** The value that was given. */
  readonly value: unknown;
  readonly [brand] = true;

  constructor(option: string, value: unknown, requirement: string) {
    super(`${option} must be ${requirement}, got ${describe(value)}`);
    this.option = option;
    this.value = value;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value === undefined ||
    value === null
  ) {
    return String(value);
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A BigInt inside a null-prototype object defeats both JSON and String (test/input fuzzing).
    try {
      return String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

/** True when `value` is an {@link InvalidOptionError}. */
export function isInvalidOptionError(value: unknown): value is InvalidOptionError {
  return (
    typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true
  );
}
