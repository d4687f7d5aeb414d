/** Line boundaries of a text: line `i` is `text.slice(starts[i], ends[i])`, without its line break. */
export interface SourceLines {
  readonly starts: number[];
  readonly ends: number[];
}

/** Splits at LF, CRLF and lone CR (as VS Code does), so every line-end style gives the same positions. */
export function splitLines(text: string): SourceLines {
  const starts: number[] = [];
  const ends: number[] = [];
  // A BOM is not part of the document VS Code shows; skipping it keeps line 0's columns the same.
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 10 && code !== 13) continue;
    starts.push(start);
    ends.push(index);
    if (code === 13 && text.charCodeAt(index + 1) === 10) index++;
    start = index + 1;
  }
  starts.push(start);
  ends.push(text.length);
  return { starts, ends };
}

/** Space, tab, vertical tab, form feed, no-break space and BOM: what a line may be indented or padded with. */
export function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 11 || code === 12 || code === 0xa0 || code === 0xfeff;
}
