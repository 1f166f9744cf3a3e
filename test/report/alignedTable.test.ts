import { describe, expect, it } from '@jest/globals';
import { formatAlignedTable } from '../../src/report/alignedTable.js';

describe('formatAlignedTable', () => {
  const rows = [
    ['', 'naive', 'adaptive'],
    ['submitted', '180,000', '9'],
    ['path state', 'none', 'stream-bound'],
  ];

  it('pads each column to its widest cell, text left and numbers right, with a header rule', () => {
    expect(formatAlignedTable(rows).split('\n')).toEqual([
      '               naive       adaptive',
      '----------   -------   ------------',
      'submitted    180,000              9',
      'path state      none   stream-bound',
    ]);
  });

  it('follows the given alignment and gap, and can leave out the rule', () => {
    const text = formatAlignedTable(rows, {
      align: ['right', 'left', 'left'],
      gapChars: 1,
      headerRule: false,
    });
    expect(text.split('\n')).toEqual([
      '           naive   adaptive',
      ' submitted 180,000 9',
      'path state none    stream-bound',
    ]);
  });

  it('measures width in code points and pads short rows', () => {
    const lines = formatAlignedTable([['a', 'b'], ['–'], ['÷÷÷', 'x']], {
      headerRule: false,
    }).split('\n');
    expect(lines).toEqual(['a     b', '–', '÷÷÷   x']);
  });

  it('never leaves trailing spaces and handles no rows', () => {
    expect(formatAlignedTable([])).toBe('');
    for (const line of formatAlignedTable([
      ['x', ''],
      ['', 'y'],
    ]).split('\n')) {
      expect(line).toBe(line.trimEnd());
    }
  });

  it('rejects a negative or fractional gap', () => {
    expect(() => formatAlignedTable(rows, { gapChars: -1 })).toThrow(RangeError);
    expect(() => formatAlignedTable(rows, { gapChars: 1.5 })).toThrow(
      'gapChars must be an integer >= 0, got 1.5',
    );
  });
});
