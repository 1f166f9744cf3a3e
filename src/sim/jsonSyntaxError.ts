/** Where a JSON text first goes wrong. */
export interface JsonSyntaxProblem {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (in UTF-16 code units). */
  readonly column: number;
  /** What was expected there. */
  readonly message: string;
}

/**
 * Finds the first syntax error in `text`, or `undefined` if it is valid JSON.
 *
 * Node 20's `JSON.parse` often reports only the offending token (`Unexpected
 * token '}', "…" is not valid JSON`), without a position, and a scenario
 * author needs the line and column. This is a small recursive-descent
 * checker of RFC 8259 grammar used only after `JSON.parse` has failed, so
 * its speed does not matter.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw new Located(i, message);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const describeHere = (): string =>
    i >= text.length ? 'end of input' : `${JSON.stringify(text[i])}`;
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`expected a value, found ${describeHere()}`);
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('bad escape in string');
      } else if (c < ' ') fail('control character in string');
      else i++;
    }
    fail('unterminated string');
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail(`expected a value, found ${describeHere()}`);
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') object();
    else if (c === '[') array();
    else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  const object = (): void => {
    i++;
    ws();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"')
        fail(`expected a property name in double quotes, found ${describeHere()}`);
      string();
      ws();
      if (text[i] !== ':') fail(`expected ':' after a property name, found ${describeHere()}`);
      i++;
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail(`expected ',' or '}' after a property value, found ${describeHere()}`);
    }
  };
  const array = (): void => {
    i++;
    ws();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail(`expected ',' or ']' after an array element, found ${describeHere()}`);
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${describeHere()} after the JSON value`);
    return undefined;
  } catch (error) {
    // Nesting deeper than the stack (e.g. 100,000 '[') must not escape as a RangeError (test/input).
    if (error instanceof RangeError)
      return { ...lineAndColumn(text, i), message: 'nested too deeply' };
    if (!(error instanceof Located)) throw error;
    return { ...lineAndColumn(text, error.offset), message: error.message };
  }
}

class Located extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
