/**
 * A strict parser for the HTML the report renderer writes (no HTML parser is
 * installed in this project). It accepts only well-formed markup: every
 * element closed in order (HTML void elements and `/>` excepted), attribute
 * values quoted, raw text in `<style>`/`<script>`. Anything else throws with
 * its offset, so a malformed report fails the test instead of being guessed
 * at, as a lenient browser parser would.
 */

/** An element with its attributes and children (text children are strings, entities left encoded). */
export interface MarkupElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: (MarkupElement | string)[];
}

const voidElements = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const rawTextElements = new Set(['style', 'script']);

const openTag = /<([a-zA-Z][\w:.-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>/y;
const closeTag = /<\/([a-zA-Z][\w:.-]*)\s*>/y;
const attribute = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g;

/** Parses `markup` into a `#document` element; throws on anything not well-formed. */
export function parseMarkup(markup: string): MarkupElement {
  const root: MarkupElement = { name: '#document', attrs: {}, children: [] };
  const stack: MarkupElement[] = [root];
  let i = 0;
  const top = (): MarkupElement => stack[stack.length - 1]!;
  while (i < markup.length) {
    const lt = markup.indexOf('<', i);
    const textEnd = lt === -1 ? markup.length : lt;
    if (textEnd > i) top().children.push(markup.slice(i, textEnd));
    if (lt === -1) break;
    i = lt;
    if (markup.startsWith('<!--', i)) {
      const end = markup.indexOf('-->', i);
      if (end === -1) throw new Error(`unterminated comment at ${i}`);
      i = end + 3;
      continue;
    }
    if (/^<!doctype /i.test(markup.slice(i, i + 10))) {
      i = markup.indexOf('>', i) + 1;
      continue;
    }
    closeTag.lastIndex = i;
    const close = closeTag.exec(markup);
    if (close) {
      const name = close[1]!.toLowerCase();
      if (top().name !== name) {
        throw new Error(`</${name}> at ${i} closes <${top().name}>`);
      }
      stack.pop();
      i = closeTag.lastIndex;
      continue;
    }
    openTag.lastIndex = i;
    const open = openTag.exec(markup);
    if (!open) throw new Error(`malformed tag at ${i}: ${markup.slice(i, i + 60)}`);
    const name = open[1]!.toLowerCase();
    const attrs: Record<string, string> = {};
    for (const a of open[2]!.matchAll(attribute)) {
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} on <${name}> at ${i}`);
      attrs[a[1]!] = a[2] ?? a[3] ?? '';
    }
    const element: MarkupElement = { name, attrs, children: [] };
    top().children.push(element);
    i = openTag.lastIndex;
    if (open[3] === '/' || voidElements.has(name)) continue;
    if (rawTextElements.has(name)) {
      const end = markup.indexOf(`</${name}>`, i);
      if (end === -1) throw new Error(`unterminated <${name}> at ${i}`);
      element.children.push(markup.slice(i, end));
      i = end + name.length + 3;
      continue;
    }
    stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${top().name}>`);
  return root;
}

/** Every element named `name` under `el`, in document order. */
export function findAll(el: MarkupElement, name: string): MarkupElement[] {
  const found: MarkupElement[] = [];
  for (const child of el.children) {
    if (typeof child === 'string') continue;
    if (child.name === name) found.push(child);
    found.push(...findAll(child, name));
  }
  return found;
}

/** Every element under `el` whose `class` attribute has all of `classes`. */
export function findByClass(el: MarkupElement, ...classes: string[]): MarkupElement[] {
  const found: MarkupElement[] = [];
  for (const child of el.children) {
    if (typeof child === 'string') continue;
    const has = new Set((child.attrs.class ?? '').split(/\s+/));
    if (classes.every((c) => has.has(c))) found.push(child);
    found.push(...findByClass(child, ...classes));
  }
  return found;
}

/** The concatenated text under `el`, with the few entities the renderer writes decoded. */
export function textOf(el: MarkupElement): string {
  return el.children
    .map((c) => (typeof c === 'string' ? c : textOf(c)))
    .join('')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Every element under `el` (including itself), for attribute-wide checks. */
export function allElements(el: MarkupElement): MarkupElement[] {
  return [el, ...el.children.flatMap((c) => (typeof c === 'string' ? [] : allElements(c)))];
}
