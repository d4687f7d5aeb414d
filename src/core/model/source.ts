/** A zero-based position in a source file (same convention as vscode.Position). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * A half-open range [start, end) in a source file, zero-based, as four numbers (the shape of Monaco's
 * IRange): one small object per range, where a pair of position objects made ranges most of a parse's garbage.
 */
export interface SourceRange {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in user input, located in its file. The parser never throws; it reports these. */
export interface Diagnostic {
  readonly range: SourceRange;
  readonly message: string;
  readonly severity: Severity;
  /** Stable machine-readable id, e.g. `unresolved-variable`. */
  readonly code?: string;
}

/** Builds a range from its four numbers. */
export function sourceRange(startLine: number, startColumn: number, endLine: number, endColumn: number): SourceRange {
  return { startLine, startColumn, endLine, endColumn };
}

/** Builds a range on one line. */
export function lineRange(line: number, startColumn: number, endColumn: number): SourceRange {
  return { startLine: line, startColumn, endLine: line, endColumn };
}

/** The range from `start` to `end`. */
export function rangeBetween(start: SourcePosition, end: SourcePosition): SourceRange {
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

/** Where a range starts. */
export function rangeStart(range: SourceRange): SourcePosition {
  return { line: range.startLine, column: range.startColumn };
}
