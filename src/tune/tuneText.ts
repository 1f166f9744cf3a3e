import { formatAlignedTable } from '../report/alignedTable.js';
import { formatMs, formatPercent, formatRateTps } from '../report/formatNumber.js';
import { wrapText } from '../report/wrapText.js';
import { clientSnippet } from './clientSnippet.js';
import type { StageResult, TuneResult } from './tuneResult.js';

/** Paragraphs wrap here, so the output reads in a 100-column terminal. */
const textWidthChars = 100;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const endText: Readonly<Record<StageResult['end'], string>> = {
  saturated: 'knee',
  'max-rate': 'carried --max-rate',
  congestion: 'congestion: backed off',
  'time-limit': 'out of time',
  'no-connection': 'no connection',
};

/** One row per stage: what n connections carried and how the stage ended. */
function stageRows(stages: readonly StageResult[]): string[][] {
  const rows = [
    ['connections', 'carried (req/s)', '±', 'ended', 'bound', 'service p50', 'queue p99 max'],
  ];
  for (const s of stages) {
    rows.push([
      String(s.connections),
      formatRateTps(s.goodputTps),
      formatPercent(2 * s.goodputRelStdErr),
      endText[s.end],
      s.bound ?? '–',
      `${formatMs(s.serviceP50Ms)} ms`,
      `${formatMs(s.queueWaitP99MaxMs)} ms`,
    ]);
  }
  return rows;
}

/** Responses by status and the top causes of the rest, one line each; none when nothing settled. */
function outcomeLines(o: TuneResult['outcomes']): string[] {
  const list = (counts: Readonly<Record<string, number>>, most: number): string =>
    Object.entries(counts)
      .slice(0, most)
      .map(([key, n]) => `${key} ${n.toLocaleString('en-US')}`)
      .join(', ');
  const lines: string[] = [];
  if (Object.keys(o.statuses).length > 0) lines.push(`responses by status: ${list(o.statuses, 8)}`);
  if (Object.keys(o.failuresByCause).length > 0) {
    lines.push(
      wrapText(`did not succeed, by cause: ${list(o.failuresByCause, 5)}`, textWidthChars, '  '),
    );
  }
  return lines;
}

/**
 * The probe as a person reads it: the stages, responses by status and the
 * causes of failures, the recommendation with its
 * margin and reasons, the confirmation's latency, the notes, and the
 * `createClient` snippet.
 */
export function tuneText(result: TuneResult): string {
  const r = result.recommendation;
  const title = `h2flow tune ${result.url}: ${plural(result.stages.length, 'stage')} in ${(result.durationMs / 1000).toFixed(1)} s, timeout ${result.timeoutMs} ms`;
  if (r.maxSafeTps <= 0) {
    // Nothing measured: say what happened, and offer no numbers to paste.
    return [
      title,
      '',
      formatAlignedTable(stageRows(result.stages)),
      '',
      ...outcomeLines(result.outcomes),
      `nothing to recommend (stopped: ${r.stop})`,
      ...r.notes.map((n) => wrapText(`- ${n}`, textWidthChars, '  ')),
      '',
    ].join('\n');
  }
  const c = result.confirm;
  const perConnection = r.perConnectionIsLimit
    ? `${formatRateTps(r.perConnectionTps)} req/s`
    : `≥ ${formatRateTps(r.perConnectionTps)} req/s (the server limited it)`;
  const rows: string[][] = [
    ['recommendation', ''],
    ['connections', String(r.connections)],
    ['maxSafeTps', `${formatRateTps(r.maxSafeTps)} req/s`],
    ['measured capacity', `${formatRateTps(r.capacityTps)} req/s`],
    ['margin', formatPercent(r.marginFraction)],
    ['per connection', perConnection],
    [
      'per connection (Little)',
      `${formatRateTps(r.perConnectionLittleTps)} req/s = ${r.maxConcurrentStreams} streams ÷ unloaded service p50`,
    ],
    ['maxConcurrentStreams', String(r.maxConcurrentStreams)],
    ['path', r.pathState],
    ['stopped', r.stop],
  ];
  if (c !== undefined) {
    rows.push(
      [
        'latency at maxSafeTps',
        `p50 ${formatMs(c.latencyP50Ms)} ms, p99 ${formatMs(c.latencyP99Ms)} ms (submit to response end)`,
      ],
      [
        'service latency',
        `p50 ${formatMs(c.serviceP50Ms)} ms, p99 ${formatMs(c.serviceP99Ms)} ms (on the wire and in the server)`,
      ],
      ['queue-wait p99', `${formatMs(c.queueWaitP99Ms)} ms`],
      [
        'confirmed',
        c.held
          ? `yes: ${formatRateTps(c.goodputTps)} req/s succeeded, no congestion`
          : `no: ${formatRateTps(c.goodputTps)} req/s succeeded (see the notes)`,
      ],
    );
  }
  const lines = [
    title,
    '',
    formatAlignedTable(stageRows(result.stages)),
    '',
    ...outcomeLines(result.outcomes),
    formatAlignedTable(rows, { align: ['left', 'left'] }),
  ];
  lines.push(
    '',
    wrapText(`Why a ${formatPercent(r.marginFraction)} margin: ${r.marginReason}.`, textWidthChars),
  );
  if (r.notes.length > 0)
    lines.push('', ...r.notes.map((n) => wrapText(`- ${n}`, textWidthChars, '  ')));
  lines.push('', 'createClient options:', '', clientSnippet(result), '');
  return lines.join('\n');
}
