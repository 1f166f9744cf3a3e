import { describe, expect, it } from '@jest/globals';
import type { RunReport } from '../../src/core/runResult.js';
import { formatResultsTable } from '../../src/report/textReport.js';
import { naiveLoadReport, seedRunReport } from './fixtures/seedRunReport.js';

// The seed report with round numbers for naive, so expected cells can be written out.
function roundSeed(): RunReport {
  const seed = seedRunReport();
  const [naive, ...rest] = seed.results;
  return {
    ...seed,
    results: [
      {
        ...naive!,
        submitted: 180_000,
        succeeded: 138_600,
        timedOut: 41_400,
        rejected: 0,
        failed: 0,
        cancelledOnWire: 1_204,
        goodputTps: 1950.4,
        capacityTps: 2000,
        efficiency: 0.9752,
        queueWaitP99Ms: 4998.2,
      },
      ...rest,
    ],
    serverStats: [
      { ...seed.serverStats![0]!, rstReceived: { CANCEL: 1_200, PROTOCOL_ERROR: 4 } },
      ...seed.serverStats!.slice(1),
    ],
  };
}

interface Table {
  readonly header: string;
  readonly rows: ReadonlyMap<string, string>;
}

// The table is the block after the title lines; its header is the line above the '---' rule.
function tableOf(text: string): Table {
  const lines = text.split('\n');
  const rule = lines.findIndex((l) => /^-+( {3}-+)+$/.test(l));
  const end = lines.indexOf('', rule);
  const rows = new Map<string, string>();
  for (const line of lines.slice(rule + 1, end)) rows.set(line.split(/ {3,}/)[0]!, line);
  return { header: lines[rule - 1]!, rows };
}

// The cells of a row, split on the three-space gaps (cells themselves hold single spaces).
const cellsOf = (line: string): string[] => line.split(/ {3,}/).slice(1);

describe('formatResultsTable', () => {
  const report = roundSeed();
  const text = formatResultsTable(report);
  const table = tableOf(text);

  it('starts with the title and the set-up', () => {
    const [title, setup] = text.split('\n');
    expect(title).toBe(report.title);
    expect(setup).toBe(`${report.description}, seed 52845`);
  });

  it('has one column per policy, in order', () => {
    expect(table.header.trim().split(/ {3,}/)).toEqual(report.results.map((r) => r.policy));
  });

  it('shows counts with thousands separators and shares of submitted', () => {
    expect(cellsOf(table.rows.get('submitted')!)[0]).toBe('180,000');
    expect(cellsOf(table.rows.get('timed out')!)[0]).toBe('41,400 (23.0%)');
    expect(cellsOf(table.rows.get('succeeded')!)[0]).toBe('138,600 (77.0%)');
    expect(cellsOf(table.rows.get('cancelled on wire')!)).toEqual(['1,204', '0', '0']);
    expect(cellsOf(table.rows.get('goodput (req/s)')!)[0]).toBe('1,950');
    expect(cellsOf(table.rows.get('efficiency')!)[0]).toBe('97.5%');
    expect(cellsOf(table.rows.get('queue-wait p99 (ms)')!)[0]).toBe('4,998');
    expect(cellsOf(table.rows.get('path state')!)).toEqual([
      'none',
      'stream-bound',
      'demand-bound',
    ]);
  });

  it('adds up every RST_STREAM code the server counted', () => {
    expect(cellsOf(table.rows.get('RST_STREAM at server')!)).toEqual(['1,204', '0', '0']);
  });

  it('right-aligns every cell under its policy name', () => {
    const headerEnds = report.results.map((r) => table.header.indexOf(r.policy) + r.policy.length);
    for (const [label, line] of table.rows) {
      const ends: number[] = [];
      let from = label.length;
      for (const cell of cellsOf(line)) {
        const at = line.indexOf(cell, from);
        ends.push(at + cell.length);
        from = at + cell.length;
      }
      expect({ label, ends }).toEqual({ label, ends: headerEnds });
    }
  });

  it('fits a 100-column terminal with three policies', () => {
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('ends with one verdict paragraph per policy, in plain words', () => {
    const verdicts = text.slice(text.lastIndexOf('\n\n') + 2).replace(/\n {2}/g, ' ');
    const lines = verdicts.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^naive: 23\.0% of 180,000 requests timed out and 1,204 streams were cancelled on the wire \(the server counted 1,204 RST_STREAMs\)\./,
    );
    expect(lines[1]).toMatch(
      /^adaptive \(max 1\): no request timed out and no stream was cancelled on the wire/,
    );
    expect(lines[2]).toMatch(/^adaptive \(max 4\): .*on up to 2 connections/);
  });

  it('without server counters or a known capacity, leaves those rows out or shows –', () => {
    const load = tableOf(formatResultsTable(naiveLoadReport()));
    expect(load.rows.has('RST_STREAM at server')).toBe(false);
    expect(cellsOf(load.rows.get('capacity (req/s)')!)).toEqual(['–']);
    expect(cellsOf(load.rows.get('efficiency')!)).toEqual(['–']);
  });

  it('shows – for a policy whose server counters are missing', () => {
    const seed = seedRunReport();
    const partial = tableOf(
      formatResultsTable({ ...seed, serverStats: [null, ...seed.serverStats!.slice(1)] }),
    );
    expect(cellsOf(partial.rows.get('RST_STREAM at server')!)).toEqual(['–', '0', '0']);
  });

  it('never prints NaN or Infinity', () => {
    const seed = seedRunReport();
    const broken = {
      ...seed,
      results: seed.results.map((r) => ({
        ...r,
        efficiency: Number.NaN,
        latencyP99Ms: Number.POSITIVE_INFINITY,
      })),
    };
    expect(formatResultsTable(broken)).not.toMatch(/NaN|Infinity/);
  });
});
