/**
 * A small parser for the Prometheus text exposition format (version 0.0.4),
 * so tests assert on what a scraper would read rather than on prom-client's
 * internal objects.
 */

/** One sample line: `name{labels} value`. */
export interface ExpositionSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A parsed exposition: samples, and the `# TYPE` and `# HELP` of each metric family. */
export interface Exposition {
  readonly samples: readonly ExpositionSample[];
  readonly types: ReadonlyMap<string, string>;
  readonly helps: ReadonlyMap<string, string>;
  /** How many `# HELP` lines each family had (a registry must print each once). */
  readonly helpLines: ReadonlyMap<string, number>;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'Nan' || text === 'NaN') return NaN;
  const n = Number(text);
  if (Number.isNaN(n)) throw new Error(`not a sample value: ${text}`);
  return n;
}

function parseLabels(body: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const eq = body.indexOf('=', i);
    const name = body.slice(i, eq).trim();
    if (body[eq + 1] !== '"') throw new Error(`unquoted label value in {${body}}`);
    let j = eq + 2;
    let value = '';
    while (body[j] !== '"') {
      if (body[j] === '\\') {
        const escaped = body[j + 1];
        value += escaped === 'n' ? '\n' : escaped;
        j += 2;
      } else value += body[j++];
    }
    labels[name] = value;
    i = j + 1;
    if (body[i] === ',') i++;
  }
  return labels;
}

/** Parses exposition text; throws on a line it cannot read. */
export function parseExposition(text: string): Exposition {
  const samples: ExpositionSample[] = [];
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  const helpLines = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (kind === 'TYPE') types.set(name, rest);
      else {
        helps.set(name, rest);
        helpLines.set(name, (helpLines.get(name) ?? 0) + 1);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`unreadable exposition line: ${line}`);
    const [, name, body, value] = sample as unknown as [string, string, string | undefined, string];
    samples.push({ name, labels: body ? parseLabels(body) : {}, value: parseValue(value) });
  }
  return { samples, types, helps, helpLines };
}

/** The samples named `name` whose labels include every pair in `labels`. */
export function matching(
  exposition: Exposition,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): ExpositionSample[] {
  return exposition.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

/** The value of the one sample named `name` with `labels`; throws if there is not exactly one. */
export function sampleValue(
  exposition: Exposition,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const found = matching(exposition, name, labels);
  if (found.length !== 1) {
    throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}, expected 1`);
  }
  return found[0]!.value;
}

/** The sum over every sample named `name` with `labels`. */
export function sumOf(
  exposition: Exposition,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  return matching(exposition, name, labels).reduce((sum, s) => sum + s.value, 0);
}
