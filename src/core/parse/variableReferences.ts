import type { VariableReference } from '../model/request';
import type { SourcePosition } from '../model/source';

/** A `{{ expr }}` found in a string: `text.slice(start, end)` is the whole reference. */
export interface ReferenceSpan {
  readonly start: number;
  readonly end: number;
  /** Between the braces, trimmed. */
  readonly expression: string;
}

/**
 * Finds the `{{ expr }}` occurrences in `text` as string offsets. A reference never spans lines;
 * a `{{` not closed by `}}` on its line before another `{{` opens is reported in `unterminated`.
 */
export function findReferenceSpans(text: string): { spans: ReferenceSpan[]; unterminated: number[] } {
  const spans: ReferenceSpan[] = [];
  const unterminated: number[] = [];
  let index = text.indexOf('{{');
  while (index !== -1) {
    // In a run like `{{{x}}}` (a JSON object around a reference) the reference is the innermost `{{`.
    while (text[index + 2] === '{') index += 1;
    const close = findCloseOnLine(text, index + 2);
    if (close === -1) {
      unterminated.push(index);
      index = text.indexOf('{{', index + 2);
    } else {
      spans.push({ start: index, end: close + 2, expression: text.slice(index + 2, close).trim() });
      index = text.indexOf('{{', close + 2);
    }
  }
  return { spans, unterminated };
}

/**
 * Finds the `{{ expr }}` occurrences in `text`, which starts at `origin` in its file.
 * `\n`, `\r\n` and `\r` each move to the next line, column 0.
 */
export function findVariableReferences(
  text: string,
  origin: { line: number; column: number },
): { references: VariableReference[]; unterminated: SourcePosition[] } {
  const { spans, unterminated } = findReferenceSpans(text);
  const locate = positionLocator(text, origin);
  return {
    references: spans.map((span) => ({
      expression: span.expression,
      range: { start: locate(span.start), end: locate(span.end) },
    })),
    unterminated: unterminated.map(locate),
  };
}

/** Index of the next `}}` on the same line, or -1 when the line ends or another `{{` opens first. */
function findCloseOnLine(text: string, from: number): number {
  for (let index = from; index < text.length - 1; index++) {
    const char = text[index];
    if (char === '\n' || char === '\r') return -1;
    if (char === '{' && text[index + 1] === '{') return -1;
    if (char === '}' && text[index + 1] === '}') return index;
  }
  return -1;
}

/** Maps offsets in `text` to file positions, given where `text` starts. */
function positionLocator(text: string, origin: { line: number; column: number }): (offset: number) => SourcePosition {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\r' && text[index + 1] === '\n') index += 1;
    if (char === '\n' || char === '\r') lineStarts.push(index + 1);
  }
  // Binary search: a long body full of references stays linear-logarithmic, not quadratic.
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    const line = low;
    return { line: origin.line + line, column: (line === 0 ? origin.column : 0) + offset - lineStarts[line] };
  };
}
