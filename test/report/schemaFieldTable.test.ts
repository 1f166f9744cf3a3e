import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { runReportSchema } from '../../src/report/runReportSchema.js';
import { formatSchemaFieldTable } from '../../src/report/schemaFieldTable.js';

describe('formatSchemaFieldTable', () => {
  it('lists nested fields as paths, marks optional ones and escapes pipes', () => {
    const table = formatSchemaFieldTable({
      type: 'object',
      required: ['a'],
      properties: {
        a: { type: 'string', enum: ['x', 'y'], description: 'A | B.' },
        list: {
          type: 'array',
          description: 'Items.',
          items: {
            anyOf: [{ type: 'null' }, { type: 'object', properties: { n: { type: 'integer' } } }],
          },
        },
      },
    });
    expect(table.split('\n')).toEqual([
      '| field | type | description |',
      '| --- | --- | --- |',
      '| `a` | string | A \\| B. One of `x`, `y`. |',
      '| `list` | array of (null or object), optional | Items. |',
      '| `list[].n` | integer, optional |  |',
    ]);
  });

  it('matches the table in docs/reports.md', () => {
    const docs = readFileSync(new URL('../../docs/reports.md', import.meta.url), 'utf8');
    const block = /<!-- schema-table:start -->\n([\s\S]*?)\n<!-- schema-table:end -->/.exec(docs);
    expect(block?.[1]).toBe(formatSchemaFieldTable(runReportSchema));
  });
});
