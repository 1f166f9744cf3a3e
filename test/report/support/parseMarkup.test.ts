import { describe, expect, it } from '@jest/globals';
import { findAll, findByClass, parseMarkup, textOf } from './parseMarkup.js';

// The HTML report tests lean on this parser's strictness; these pin it down.
describe('parseMarkup', () => {
  it('builds the tree of well-formed markup with void, self-closing and raw-text elements', () => {
    const doc = parseMarkup(
      '<!DOCTYPE html><html><head><meta charset="utf-8"><style>a < b {}</style></head>' +
        '<body><p class="x y">a &amp; b</p><svg><path d="M0,0L1,1"/></svg></body></html>',
    );
    expect(findAll(doc, 'p').map(textOf)).toEqual(['a & b']);
    expect(findByClass(doc, 'y', 'x')).toHaveLength(1);
    expect(findAll(doc, 'path')[0]?.attrs.d).toBe('M0,0L1,1');
    expect(findAll(doc, 'style')[0]?.children).toEqual(['a < b {}']);
  });

  it.each([
    ['a mismatched close', '<div><p></div></p>'],
    ['an unclosed element', '<div><p></p>'],
    ['an unquoted attribute', '<div class=x></div>'],
    ['a duplicate attribute', '<div id="a" id="b"></div>'],
    ['a stray <', '<div>1 < 2</div>'],
  ])('rejects %s', (_, markup) => {
    expect(() => parseMarkup(markup)).toThrow();
  });
});
