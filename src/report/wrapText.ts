/**
 * Wraps `text` at spaces into lines of at most `widthChars` code points (a
 * longer word gets a line of its own), continuation lines prefixed by
 * `indent`. For paragraphs printed to a terminal, which would otherwise
 * break them mid-word.
 */
export function wrapText(text: string, widthChars: number, indent = ''): string {
  if (!Number.isInteger(widthChars) || widthChars < 1) {
    throw new RangeError(`widthChars must be an integer >= 1, got ${widthChars}`);
  }
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    const prefix = lines.length === 0 ? '' : indent;
    if (line !== '' && [...prefix, ...candidate].length > widthChars) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
}
