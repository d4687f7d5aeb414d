// A JSON parser for the pretty view that keeps every primitive's source text: JSON.parse would
// turn 12345678901234567890 into 12345678901234567000 and show the user a number the server never sent.

export type JsonNode =
  | { readonly type: 'object'; readonly entries: readonly (readonly [key: string, value: JsonNode])[] }
  | { readonly type: 'array'; readonly items: readonly JsonNode[] }
  | { readonly type: 'string' | 'number' | 'boolean' | 'null'; readonly raw: string };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
  }
}

/** Parses JSON text into a tree of nodes whose keys and primitives are the exact source text (keys with quotes). */
export function parseJsonTree(text: string): JsonNode {
  let i = 0;
  const n = text.length;

  const skipSpace = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };

  const readString = (): string => {
    const start = i;
    // indexOf is native and fast; a quote preceded by an odd number of backslashes is escaped.
    let quote = text.indexOf('"', i + 1);
    while (quote >= 0) {
      let backslashes = 0;
      while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) break;
      quote = text.indexOf('"', quote + 1);
    }
    if (quote < 0) throw new JsonSyntaxError('Unterminated string', start);
    i = quote + 1;
    return text.slice(start, i);
  };

  const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const readNumber = (): string => {
    const start = i;
    numberPattern.lastIndex = i;
    if (!numberPattern.test(text)) throw new JsonSyntaxError('Bad number', start);
    i = numberPattern.lastIndex;
    const next = text.charCodeAt(i);
    // "01", "1.", "1e": a digit, dot or exponent right after a complete number is malformed.
    if ((next >= 48 && next <= 57) || next === 46 || next === 101 || next === 69) throw new JsonSyntaxError('Bad number', start);
    return text.slice(start, i);
  };

  const readLiteral = (word: 'true' | 'false' | 'null'): string => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return word;
    }
    throw new JsonSyntaxError('Unexpected token', i);
  };

  // Iterative over containers so that deeply nested input cannot overflow the stack.
  type Frame = { readonly node: { type: 'object'; entries: [string, JsonNode][] } | { type: 'array'; items: JsonNode[] }; key?: string };
  const stack: Frame[] = [];
  let result: JsonNode | undefined;

  const attach = (value: JsonNode): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      result = value;
      return;
    }
    if (top.node.type === 'array') top.node.items.push(value);
    else top.node.entries.push([top.key as string, value]);
  };

  /** After a value inside a container: a comma (then the next key/value) or the closing bracket. */
  let expectValue = true;
  skipSpace();
  while (true) {
    const top = stack[stack.length - 1];
    if (expectValue) {
      if (top && top.node.type === 'object') {
        skipSpace();
        if (text.charCodeAt(i) !== 34) throw new JsonSyntaxError('Expected a key', i);
        top.key = readString();
        skipSpace();
        if (text.charCodeAt(i) !== 58) throw new JsonSyntaxError('Expected ":"', i);
        i++;
      }
      skipSpace();
      const c = text.charCodeAt(i);
      if (c === 123 || c === 91) {
        const node = c === 123 ? { type: 'object' as const, entries: [] as [string, JsonNode][] } : { type: 'array' as const, items: [] as JsonNode[] };
        attach(node);
        stack.push({ node });
        i++;
        skipSpace();
        const close = text.charCodeAt(i);
        if ((c === 123 && close === 125) || (c === 91 && close === 93)) {
          i++;
          stack.pop();
          expectValue = false;
        }
        continue;
      }
      if (c === 34) attach({ type: 'string', raw: readString() });
      else if (c === 45 || (c >= 48 && c <= 57)) attach({ type: 'number', raw: readNumber() });
      else if (c === 116) attach({ type: 'boolean', raw: readLiteral('true') });
      else if (c === 102) attach({ type: 'boolean', raw: readLiteral('false') });
      else if (c === 110) attach({ type: 'null', raw: readLiteral('null') });
      else throw new JsonSyntaxError(i >= n ? 'Unexpected end' : 'Unexpected token', i);
      expectValue = false;
      continue;
    }
    skipSpace();
    if (!top) break;
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      expectValue = true;
    } else if ((c === 125 && top.node.type === 'object') || (c === 93 && top.node.type === 'array')) {
      i++;
      stack.pop();
    } else throw new JsonSyntaxError(i >= n ? 'Unexpected end' : 'Expected "," or a closing bracket', i);
  }
  if (i < n) throw new JsonSyntaxError('Unexpected text after the value', i);
  return result as JsonNode;
}

/** Number of children of a container node (0 for primitives). */
export function childCount(node: JsonNode): number {
  return node.type === 'object' ? node.entries.length : node.type === 'array' ? node.items.length : 0;
}

/** Index ranges [start, end) that split a large container into groups for the view (like DevTools' [0 … 99]). */
export function chunkRanges(count: number, size = 100): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < count; start += size) ranges.push([start, Math.min(count, start + size)]);
  return ranges;
}
