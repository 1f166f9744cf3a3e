import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { wrapText } from '../../src/report/wrapText.js';

describe('wrapText', () => {
  it('breaks at spaces within the width and indents continuation lines', () => {
    expect(wrapText('naive: 23.0% of 180,000 requests timed out', 20, '  ')).toBe(
      'naive: 23.0% of\n  180,000 requests\n  timed out',
    );
  });

  it('gives a word longer than the width a line of its own', () => {
    expect(wrapText('a verylongword b', 5)).toBe('a\nverylongword\nb');
  });

  it('keeps every word, in order, and no line over the width unless a single word is', () => {
    const word = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'b', '–') });
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 40 }),
        fc.integer({ min: 4, max: 40 }),
        (words, width) => {
          const text = wrapText(words.join(' '), width, '  ');
          expect(text.split(/\s+/).filter((w) => w !== '')).toEqual(words);
          for (const line of text.split('\n')) {
            if ([...line].length > width) expect(line.trim()).not.toContain(' ');
          }
        },
      ),
    );
  });

  it('rejects a width below 1', () => {
    expect(() => wrapText('x', 0)).toThrow(RangeError);
  });
});
