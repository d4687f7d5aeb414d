/** Line boundaries of a text: line `i` is `text.slice(starts[i], ends[i])`, without its line break. */
export interface SourceLines {
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** Splits at LF, CRLF and lone CR (as VS Code does), so every line-end style gives the same positions. */
export function splitLines(text: string): SourceLines {
  // Room for lines of 16 characters on average, so a large file's table is rarely grown (each growth zero-fills and copies it).
  // Read once: a read of it first made after V8 optimised this loop would throw that code away.
  const length = text.length;
  const capacity = Math.max(256, length >> 4);
  let starts: Int32Array = new Int32Array(capacity);
  let ends: Int32Array = new Int32Array(capacity);
  let count = 0;
  // A BOM is not part of the document VS Code shows; skipping it keeps line 0's columns the same.
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // indexOf is much faster than a charCodeAt loop. The next CR and the next LF are each searched for again only
  // once passed: searching for the LF on every line would scan to the end of a file of CR-only lines each time.
  let cr = text.indexOf('\r', start);
  let lf = text.indexOf('\n', start);
  for (;;) {
    if (lf >= 0 && lf < start) lf = text.indexOf('\n', start);
    if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
    let end = lf;
    let next = lf + 1;
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      end = cr;
      next = cr + 1 === lf ? lf + 1 : cr + 1;
    }
    if (count === starts.length) {
      starts = grow(starts);
      ends = grow(ends);
    }
    starts[count] = start;
    if (end < 0) {
      ends[count++] = length;
      return { count, starts, ends };
    }
    ends[count++] = end;
    start = next;
  }
}

/** A copy of `array` with twice its length. */
export function grow(array: Int32Array): Int32Array {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

/** Space, tab, vertical tab, form feed, no-break space and BOM: what a line may be indented or padded with. */
export function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 11 || code === 12 || code === 0xa0 || code === 0xfeff;
}
