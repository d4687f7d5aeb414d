/** A zero-based position in a source file (same convention as vscode.Position). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A half-open range [start, end) in a source file. */
export interface SourceRange {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
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

/** Builds a range on one line. */
export function lineRange(line: number, startColumn: number, endColumn: number): SourceRange {
  return { start: { line, column: startColumn }, end: { line, column: endColumn } };
}
