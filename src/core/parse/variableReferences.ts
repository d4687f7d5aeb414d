import type { VariableReference } from '../model/request';
import { rangeBetween, type SourcePosition } from '../model/source';

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
  const match: ReferenceMatch = { start: 0, end: 0 };
  let open = text.indexOf('{{');
  while (open !== -1) {
    matchReference(text, open, text.length, match);
    if (match.end < 0) unterminated.push(match.start);
    else spans.push({ start: match.start, end: match.end, expression: referenceExpression(text, match) });
    open = text.indexOf('{{', match.end < 0 ? match.start + 2 : match.end);
  }
  return { spans, unterminated };
}

/** A reference found by matchReference; one object reused for a whole scan, so scanning allocates nothing. */
export interface ReferenceMatch {
  /** Offset of its `{{`. */
  start: number;
  /** Offset just after its `}}`; -1 when the `{{` is not closed on its line before another `{{` opens. */
  end: number;
}

/**
 * Matches the reference that opens with the `{{` at `open`, within `text` up to `to`. In a run like
 * `{{{x}}}` (a JSON object around a reference) the reference is the innermost `{{`.
 */
export function matchReference(text: string, open: number, to: number, match: ReferenceMatch): void {
  let start = open;
  while (start + 2 < to && text.charCodeAt(start + 2) === 123) start += 1;
  match.start = start;
  match.end = -1;
  for (let index = start + 2; index < to - 1; index++) {
    const code = text.charCodeAt(index);
    if (code === 10 || code === 13) return;
    const next = text.charCodeAt(index + 1);
    if (code === 123 && next === 123) return;
    if (code === 125 && next === 125) {
      match.end = index + 2;
      return;
    }
  }
}

/** The expression between a matched reference's braces, trimmed. */
export function referenceExpression(text: string, match: ReferenceMatch): string {
  const inner = text.slice(match.start + 2, match.end - 2);
  // Most expressions have no padding; trim() would copy them again only when it has something to remove.
  const first = inner.charCodeAt(0);
  const last = inner.charCodeAt(inner.length - 1);
  return first > 32 && first < 127 && last > 32 && last < 127 ? inner : inner.trim();
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
      range: rangeBetween(locate(span.start), locate(span.end)),
    })),
    unterminated: unterminated.map(locate),
  };
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
