import type { VariableReference } from '../model/request';
import type { SourcePosition } from '../model/source';

export interface VariableReferenceScan {
  readonly references: VariableReference[];
  /** Positions of `{{` not closed by `}}` on the same line before another `{{`. */
  readonly unterminated: SourcePosition[];
}

/**
 * Finds the `{{ expr }}` occurrences in `text`, which starts at `origin` in its file.
 * A reference never spans lines; `\n`, `\r\n` and `\r` each move to the next line, column 0.
 */
export function findVariableReferences(
  text: string,
  origin: { line: number; column: number },
): VariableReferenceScan {
  const references: VariableReference[] = [];
  const unterminated: SourcePosition[] = [];
  let line = origin.line;
  let lineStart = 0; // index in `text` of the current line's first character
  let firstLine = true;
  const position = (index: number): SourcePosition => ({
    line,
    column: (firstLine ? origin.column : 0) + index - lineStart,
  });

  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '\n' || char === '\r') {
      index += char === '\r' && text[index + 1] === '\n' ? 2 : 1;
      line += 1;
      lineStart = index;
      firstLine = false;
      continue;
    }
    if (char !== '{' || text[index + 1] !== '{') {
      index += 1;
      continue;
    }
    // In a run like `{{{x}}}` (a JSON object around a reference) the reference is the innermost `{{`.
    while (text[index + 2] === '{') index += 1;
    const close = findCloseOnLine(text, index + 2);
    if (close === -1) {
      unterminated.push(position(index));
      index += 2;
      continue;
    }
    references.push({
      expression: text.slice(index + 2, close).trim(),
      range: { start: position(index), end: position(close + 2) },
    });
    index = close + 2;
  }
  return { references, unterminated };
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
