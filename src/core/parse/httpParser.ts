import type {
  BodySegment,
  DirectiveComment,
  FileVariable,
  ParsedFile,
  RequestTemplate,
  ResponseHandler,
  VariableReference,
} from '../model/request';
import { lineRange, type Diagnostic, type Severity, type SourcePosition, type SourceRange } from '../model/source';
import { applyDirective, type DirectiveTarget } from './directives';
import { isBlank, splitLines, type SourceLines } from './sourceLines';
import { findReferenceSpans } from './variableReferences';

/** Parses a `.http` / `.rest` file (JetBrains HTTP Client and REST Client syntax); never throws. */
export function parseHttpFile(text: string): ParsedFile {
  return new HttpFileParser(text).parse();
}

/** Where the current block is: before its request line, in its URL continuation, headers, body, handlers. */
type Phase = 'preamble' | 'url' | 'headers' | 'body' | 'handlers' | 'skip';

/** The line being read: its offsets and those of its content without surrounding whitespace. */
interface Line {
  index: number;
  start: number;
  end: number;
  /** Offset of the first non-blank character (`end` for a blank line). */
  first: number;
  /** Offset just after the last non-blank character. */
  last: number;
}

/** A `{% ... %}` script still waiting for its `%}`. */
interface OpenScript {
  /** Response handlers are kept; pre-request scripts are only reported. */
  readonly kind: 'response' | 'pre-request';
  /** The opening line, where an unterminated script is reported. */
  readonly openRange: SourceRange;
  readonly start: SourcePosition;
  readonly contentStart: number;
}

interface FileInclude {
  readonly line: number;
  readonly path: string;
  readonly substitute: boolean;
  readonly endColumn: number;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

interface MutableHeader {
  name: string;
  value: string;
  range: SourceRange;
}

const knownMethods = new Set([
  'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'REPORT', 'SEARCH',
  'GRAPHQL', 'WEBSOCKET',
]);
const customMethod = /^[A-Z][A-Z0-9_-]*$/;
const httpVersion = /^HTTP\/\d(?:\.\d)?$/;
const identifier = /^[A-Za-z_][\w-]*$/;
/** `Name:` followed by a space or the end: a header, where `localhost:8080` and `http://` are not. */
const headerLike = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:(?:\s|$)/;
const directiveComment = /^(?:#|\/\/)\s*@([A-Za-z][\w-]*)(?=\s|$)(.*)$/;

const enum Char {
  Bang = 33,
  Hash = 35,
  Colon = 58,
  Ampersand = 38,
  Slash = 47,
  Less = 60,
  Greater = 62,
  Question = 63,
  At = 64,
  OpenBracket = 91,
  OpenBrace = 123,
}

class HttpFileParser {
  private readonly lines: SourceLines;
  /** Reused for every line: one object per line would be most of the parser's garbage. */
  private readonly line: Line = { index: 0, start: 0, end: 0, first: 0, last: 0 };
  private readonly requests: RequestTemplate[] = [];
  private readonly fileVariables: FileVariable[] = [];
  private readonly diagnostics: Diagnostic[] = [];

  // The block being read: everything from one `###` (or the file start) to the next.
  private phase: Phase = 'preamble';
  private title: string | undefined;
  private target: DirectiveTarget = { directives: {} };
  private directiveComments: DirectiveComment[] = [];
  private blockStart: SourcePosition | undefined;
  private script: OpenScript | undefined;
  private method = 'GET';
  private urlParts: string[] = [];
  private version: string | undefined;
  private requestStart: SourcePosition = { line: 0, column: 0 };
  private requestLineStart: SourcePosition = { line: 0, column: 0 };
  // Kept as numbers: they move on every line and become positions once per request.
  private requestLineEndLine = 0;
  private requestLineEndColumn = 0;
  private lastContentLine = 0;
  private lastContentColumn = 0;
  private headers: MutableHeader[] = [];
  private bodyStart = -1;
  private bodyLast = -1;
  private includes: FileInclude[] = [];
  private body: BodySegment[] | undefined;
  private handlers: ResponseHandler[] = [];
  private references: VariableReference[] = [];
  /** Offset of the next `{{` at or after the last scanned offset (the text's length when there is none). */
  private nextBraces = -1;

  constructor(private readonly text: string) {
    this.lines = splitLines(text);
  }

  parse(): ParsedFile {
    const { count, starts, ends } = this.lines;
    for (let index = 0; index < count; index++) {
      const line = this.measure(index, starts[index], ends[index]);
      if (this.isSeparator(line)) {
        this.finishBlock();
        this.startBlock(line);
        continue;
      }
      if (this.script) {
        if (line.first < line.last) this.noteContent(line);
        this.closeScriptOn(line, line.start);
        continue;
      }
      this.readLine(line);
    }
    this.finishBlock();
    return { requests: this.requests, fileVariables: this.fileVariables, diagnostics: this.diagnostics };
  }

  private readLine(line: Line): void {
    const blank = line.first === line.last;
    if (!blank) this.noteContent(line);
    switch (this.phase) {
      case 'preamble':
        if (!blank) this.readPreamble(line);
        return;
      case 'url':
        if (blank) this.phase = 'body';
        else if (this.isUrlContinuation(line)) this.readUrlContinuation(line);
        else this.readHeaderLine(line);
        return;
      case 'headers':
        if (blank) this.phase = 'body';
        else this.readHeaderLine(line);
        return;
      case 'body':
        this.readBodyLine(line, blank);
        return;
      case 'handlers':
        if (!blank && !this.isComment(line) && !this.readHandler(line, line.first)) {
          this.report(line, 'warning', 'unexpected-text-after-handler', 'Text after a response handler is ignored; start a new request with ###');
        }
        return;
      case 'skip':
        return;
    }
  }

  // ---- block boundaries

  private isSeparator(line: Line): boolean {
    return line.end - line.start >= 3 && this.text.startsWith('###', line.start);
  }

  private startBlock(line: Line): void {
    let titleStart = line.start;
    while (titleStart < line.end && this.text.charCodeAt(titleStart) === Char.Hash) titleStart++;
    const title = this.text.slice(titleStart, line.last).trim();
    this.title = title || undefined;
  }

  private finishBlock(): void {
    if (this.script) {
      const kind = this.script.kind === 'response' ? 'response handler' : 'pre-request script';
      this.diagnostics.push({
        range: this.script.openRange,
        severity: 'error',
        code: 'unterminated-script',
        message: `This ${kind} has no closing %}`,
      });
      this.script = undefined;
    }
    if (this.phase === 'body') this.closeBody();
    if (this.phase !== 'preamble' && this.phase !== 'skip') this.emitRequest();
    this.phase = 'preamble';
    this.title = undefined;
    this.target = { directives: {} };
    this.directiveComments = [];
    this.blockStart = undefined;
    this.urlParts = [];
    this.version = undefined;
    this.method = 'GET';
    this.headers = [];
    this.bodyStart = -1;
    this.bodyLast = -1;
    this.includes = [];
    this.body = undefined;
    this.handlers = [];
    this.references = [];
  }

  private emitRequest(): void {
    const name = this.target.name ?? (this.title && identifier.test(this.title) ? this.title : undefined);
    const request: Writable<RequestTemplate> = {
      method: this.method,
      url: this.urlParts.length === 1 ? this.urlParts[0] : this.urlParts.join(''),
      headers: exactSize(this.headers),
      directives: this.target.directives,
      handlers: exactSize(this.handlers),
      variableReferences: exactSize(this.references),
      range: { start: this.requestStart, end: { line: this.lastContentLine, column: this.lastContentColumn } },
      requestLineRange: { start: this.requestLineStart, end: { line: this.requestLineEndLine, column: this.requestLineEndColumn } },
    };
    // Absent rather than undefined, and assigned rather than spread: spreading in a literal is slow.
    if (name !== undefined) request.name = name;
    if (this.title !== undefined) request.title = this.title;
    if (this.version !== undefined) request.httpVersion = this.version;
    if (this.body !== undefined) request.body = this.body;
    if (this.directiveComments.length > 0) request.directiveComments = exactSize(this.directiveComments);
    this.requests.push(request);
  }

  // ---- before the request line: comments, directives, file variables, pre-request scripts

  private readPreamble(line: Line): void {
    const code = this.text.charCodeAt(line.first);
    if (this.isComment(line)) {
      this.blockStart ??= this.position(line, line.first);
      this.readDirective(line);
    } else if (code === Char.At) {
      this.blockStart = undefined; // comments above a file variable belong to the variable, not the request
      this.readFileVariable(line);
    } else if (code === Char.Less && this.readPreRequestScript(line)) {
      this.blockStart ??= this.position(line, line.first);
    } else if (this.looksLikeHeaderOrBody(line)) {
      this.report(line, 'error', 'missing-request-line', 'This request has headers or a body but no request line such as GET https://example.com');
      this.phase = 'skip';
    } else {
      this.readRequestLine(line);
    }
  }

  private isComment(line: Line): boolean {
    const code = this.text.charCodeAt(line.first);
    return code === Char.Hash || (code === Char.Slash && this.text.charCodeAt(line.first + 1) === Char.Slash);
  }

  private readDirective(line: Line): void {
    const content = this.text.slice(line.first, line.last);
    if (!content.includes('@')) return;
    const match = directiveComment.exec(content);
    if (!match) return;
    const [, name, argument] = match;
    const value = argument.trim();
    const outcome = applyDirective(this.target, name, value);
    if (outcome === 'applied') this.directiveComments.push({ name, value, range: this.range(line, line.first, line.last) });
    else if (outcome !== 'unknown') this.report(line, 'warning', 'invalid-directive', outcome.problem);
  }

  private readFileVariable(line: Line): void {
    const content = this.text.slice(line.first, line.last);
    const equals = content.indexOf('=');
    const name = equals > 0 ? content.slice(1, equals).trim() : '';
    if (!name || /\s/.test(name)) {
      this.report(line, 'warning', 'malformed-file-variable', 'A file variable is written @name = value');
      return;
    }
    let valueStart = line.first + equals + 1;
    while (valueStart < line.last && isBlank(this.text.charCodeAt(valueStart))) valueStart++;
    const value = this.text.slice(valueStart, line.last);
    const variableReferences: VariableReference[] = [];
    this.scanReferences(line, valueStart, line.last, variableReferences);
    this.fileVariables.push({ name, value, range: this.range(line, line.first, line.last), variableReferences });
  }

  /** `< {% ... %}` or `< script.js` before the request line (JetBrains pre-request scripts), which we do not run. */
  private readPreRequestScript(line: Line): boolean {
    let at = line.first + 1;
    if (at === line.last || !isBlank(this.text.charCodeAt(at))) return false;
    while (isBlank(this.text.charCodeAt(at))) at++;
    if (this.text.startsWith('{%', at)) this.openScript(line, 'pre-request', at + 2);
    else this.reportPreRequestScript(this.range(line, line.first, line.last));
    return true;
  }

  private reportPreRequestScript(range: SourceRange): void {
    this.diagnostics.push({ range, severity: 'info', code: 'pre-request-script-ignored', message: 'Pre-request scripts are not run' });
  }

  private looksLikeHeaderOrBody(line: Line): boolean {
    const code = this.text.charCodeAt(line.first);
    const next = this.text.charCodeAt(line.first + 1);
    if (code === Char.OpenBrace) return next !== Char.OpenBrace;
    if (code === Char.OpenBracket) return next !== Char.Colon; // `[::1]:8080` is an IPv6 host
    if (code === Char.Less) return true;
    return headerLike.test(this.text.slice(line.first, Math.min(line.last, line.first + 200)));
  }

  // ---- the request line and its continuation lines

  private readRequestLine(line: Line): void {
    const content = this.text.slice(line.first, line.last);
    let rest = content;
    let restOffset = line.first;
    const space = firstBlankIndex(content);
    if (space > 0) {
      const word = content.slice(0, space);
      const upper = word.toUpperCase();
      if (knownMethods.has(upper) || customMethod.test(word)) {
        this.method = upper;
        let urlStart = space;
        while (isBlank(content.charCodeAt(urlStart))) urlStart++;
        rest = content.slice(urlStart);
        restOffset = line.first + urlStart;
      }
    } else if (knownMethods.has(content)) {
      rest = '';
    }
    this.requestLineStart = this.position(line, line.first);
    this.requestStart = this.blockStart ?? this.requestLineStart;
    this.setRequestLineEnd(line);
    if (!this.readUrlPart(line, rest, restOffset)) {
      this.phase = 'skip';
      return;
    }
    this.phase = 'url';
  }

  /** Adds one piece of the URL (with a trailing `HTTP/x.y` taken off); false after reporting an error. */
  private readUrlPart(line: Line, part: string, partOffset: number): boolean {
    let url = part;
    const space = lastBlankIndex(part);
    const lastWord = space < 0 ? part : part.slice(space + 1);
    if (lastWord.startsWith('HTTP/')) {
      if (!httpVersion.test(lastWord)) {
        const column = partOffset - line.start + space + 1;
        this.diagnostics.push({
          range: { start: { line: line.index, column }, end: { line: line.index, column: column + lastWord.length } },
          severity: 'error',
          code: 'invalid-http-version',
          message: `${lastWord} is not an HTTP version; write HTTP/1.1 or HTTP/2`,
        });
        return false;
      }
      this.version = lastWord;
      url = space < 0 ? '' : part.slice(0, space).trimEnd();
    }
    if (!url && this.urlParts.length === 0) {
      this.report(line, 'error', 'missing-url', 'The request line has no URL');
      return false;
    }
    this.urlParts.push(url);
    this.scanReferences(line, partOffset, partOffset + url.length, this.references);
    return true;
  }

  private isUrlContinuation(line: Line): boolean {
    const code = this.text.charCodeAt(line.first);
    return line.first > line.start || code === Char.Question || code === Char.Ampersand;
  }

  private readUrlContinuation(line: Line): void {
    this.setRequestLineEnd(line);
    if (!this.readUrlPart(line, this.text.slice(line.first, line.last), line.first)) this.phase = 'skip';
  }

  // ---- headers

  private readHeaderLine(line: Line): void {
    this.phase = 'headers';
    const previous = this.headers[this.headers.length - 1];
    if (line.first > line.start && previous) {
      const value = this.text.slice(line.first, line.last);
      previous.value = previous.value ? `${previous.value} ${value}` : value;
      previous.range = { start: previous.range.start, end: this.position(line, line.last) };
      this.scanReferences(line, line.first, line.last, this.references);
      return;
    }
    if (this.isComment(line) || this.readHandler(line, line.start)) return;
    // Offsets into the text rather than a sliced line: headers are the most common lines.
    let colon = line.first;
    while (colon < line.last && this.text.charCodeAt(colon) !== Char.Colon) colon++;
    let nameEnd = colon;
    while (nameEnd > line.first && isBlank(this.text.charCodeAt(nameEnd - 1))) nameEnd--;
    // Malformed: no colon, an empty name, or a blank inside the name.
    let malformed = nameEnd === line.first || colon === line.last;
    for (let at = line.first; !malformed && at < nameEnd; at++) malformed = isBlank(this.text.charCodeAt(at));
    if (malformed) {
      this.report(line, 'error', 'malformed-header', 'A header is written Name: value; leave a blank line before the body');
      return;
    }
    let valueStart = colon + 1;
    while (valueStart < line.last && isBlank(this.text.charCodeAt(valueStart))) valueStart++;
    this.headers.push({
      name: this.text.slice(line.first, nameEnd),
      value: this.text.slice(valueStart, line.last),
      range: this.range(line, line.first, line.last),
    });
    this.scanReferences(line, line.first, line.last, this.references);
  }

  // ---- body

  private readBodyLine(line: Line, blank: boolean): void {
    if (blank) return;
    if (this.readHandler(line, line.start)) return;
    if (this.bodyStart < 0) this.bodyStart = line.index;
    this.bodyLast = line.index;
    const include = this.matchInclude(line);
    if (include) this.includes.push(include);
    // References are collected line by line, in source order, include paths among them.
    this.scanReferences(line, include ? line.last - include.path.length : line.start, line.end, this.references);
  }

  /** `< path` (sent verbatim) or `<@ path` / `<@latin1 path` (variables substituted); not `<tag>`. */
  private matchInclude(line: Line): FileInclude | undefined {
    if (line.first !== line.start || this.text.charCodeAt(line.start) !== Char.Less) return undefined;
    let at = line.start + 1;
    const substitute = this.text.charCodeAt(at) === Char.At;
    if (substitute) {
      at++;
      while (at < line.last && isEncodingChar(this.text.charCodeAt(at))) at++;
    }
    if (at >= line.last || !isBlank(this.text.charCodeAt(at))) return undefined;
    while (isBlank(this.text.charCodeAt(at))) at++;
    return { line: line.index, path: this.text.slice(at, line.last), substitute, endColumn: line.last - line.start };
  }

  /** Turns the body lines into text and file segments; text keeps the file's own line breaks. */
  private closeBody(): void {
    if (this.bodyStart < 0) return;
    const { starts, ends } = this.lines;
    const segments: BodySegment[] = [];
    let textStart = starts[this.bodyStart];
    let textStartPosition: SourcePosition = { line: this.bodyStart, column: 0 };
    for (const include of this.includes) {
      const lineStart = starts[include.line];
      if (lineStart > textStart) this.addText(segments, textStart, textStartPosition, lineStart, { line: include.line, column: 0 });
      const range = lineRange(include.line, 0, include.endColumn);
      segments.push({ kind: 'file', path: include.path, substitute: include.substitute, range });
      textStart = ends[include.line];
      textStartPosition = { line: include.line, column: ends[include.line] - lineStart };
    }
    let textEnd = ends[this.bodyLast];
    while (textEnd > textStart && isBlank(this.text.charCodeAt(textEnd - 1))) textEnd--;
    if (textEnd > textStart) this.addText(segments, textStart, textStartPosition, textEnd, { line: this.bodyLast, column: textEnd - starts[this.bodyLast] });
    this.body = exactSize(segments);
    this.bodyStart = -1;
  }

  private addText(segments: BodySegment[], from: number, start: SourcePosition, to: number, end: SourcePosition): void {
    segments.push({ kind: 'text', text: this.text.slice(from, to), range: { start, end } });
  }

  // ---- response handlers: kept, never run, never part of the body

  /** Reads `> {% %}`, `> file.js`, `>> file`, `>>! file` or `<> file` starting at `at`; false when the line is none of them. */
  private readHandler(line: Line, at: number): boolean {
    const code = this.text.charCodeAt(at);
    const next = this.text.charCodeAt(at + 1);
    let kind: ResponseHandler['kind'];
    let pathAt: number;
    if (code === Char.Greater && next === Char.Greater) {
      kind = 'output';
      pathAt = this.text.charCodeAt(at + 2) === Char.Bang ? at + 3 : at + 2;
    } else if (code === Char.Less && next === Char.Greater) {
      kind = 'reference';
      pathAt = at + 2;
    } else if (code === Char.Greater) {
      kind = 'scriptFile';
      pathAt = at + 1;
    } else {
      return false;
    }
    if (pathAt >= line.last || !isBlank(this.text.charCodeAt(pathAt))) return false;
    while (isBlank(this.text.charCodeAt(pathAt))) pathAt++;
    if (this.phase === 'body') this.closeBody();
    this.phase = 'handlers';
    if (kind === 'scriptFile' && this.text.startsWith('{%', pathAt)) {
      this.openScript(line, 'response', pathAt + 2, at);
    } else {
      this.handlers.push({ kind, text: this.text.slice(pathAt, line.last), range: this.range(line, at, line.last) });
    }
    return true;
  }

  private openScript(line: Line, kind: OpenScript['kind'], contentStart: number, at = line.first): void {
    this.script = { kind, openRange: this.range(line, at, line.last), start: this.position(line, at), contentStart };
    this.closeScriptOn(line, contentStart);
  }

  /** Closes the open script if `%}` occurs on this line at or after `from`. */
  private closeScriptOn(line: Line, from: number): void {
    const script = this.script;
    if (!script) return;
    const close = this.text.slice(from, line.end).indexOf('%}');
    if (close < 0) return;
    const closeOffset = from + close;
    const range = { start: script.start, end: this.position(line, closeOffset + 2) };
    if (script.kind === 'response') {
      this.handlers.push({ kind: 'script', text: this.text.slice(script.contentStart, closeOffset), range });
    } else {
      this.reportPreRequestScript(range);
    }
    this.script = undefined;
  }

  // ---- helpers

  private measure(index: number, start: number, end: number): Line {
    let first = start;
    while (first < end && isBlank(this.text.charCodeAt(first))) first++;
    let last = end;
    while (last > first && isBlank(this.text.charCodeAt(last - 1))) last--;
    const line = this.line;
    line.index = index;
    line.start = start;
    line.end = end;
    line.first = first;
    line.last = last;
    return line;
  }

  private noteContent(line: Line): void {
    this.lastContentLine = line.index;
    this.lastContentColumn = line.last - line.start;
  }

  private setRequestLineEnd(line: Line): void {
    this.requestLineEndLine = line.index;
    this.requestLineEndColumn = line.last - line.start;
  }

  private position(line: Line, offset: number): SourcePosition {
    return { line: line.index, column: offset - line.start };
  }

  private range(line: Line, from: number, to: number): SourceRange {
    return lineRange(line.index, from - line.start, to - line.start);
  }

  private report(line: Line, severity: Severity, code: string, message: string): void {
    this.diagnostics.push({ range: this.range(line, line.first, line.last), severity, code, message });
  }

  /** Adds the `{{references}}` between offsets `from` and `to` of `line` to `into`; call in source order. */
  private scanReferences(line: Line, from: number, to: number, into: VariableReference[]): void {
    // One forward indexOf cursor for the whole file: most lines have no `{{`, and none is searched twice.
    if (this.nextBraces < from) {
      const next = this.text.indexOf('{{', from);
      this.nextBraces = next < 0 ? this.text.length : next;
    }
    if (this.nextBraces >= to) return;
    const { spans, unterminated } = findReferenceSpans(this.text.slice(from, to));
    const column = from - line.start;
    for (const span of spans) {
      into.push({ expression: span.expression, range: lineRange(line.index, column + span.start, column + span.end) });
    }
    for (const offset of unterminated) {
      this.diagnostics.push({
        range: lineRange(line.index, column + offset, column + offset + 2),
        severity: 'warning',
        code: 'unterminated-variable',
        message: '{{ has no closing }} on this line',
      });
    }
  }
}

/** A copy without the spare capacity `push` leaves (about 140 bytes an array); the result outlives the parse. */
function exactSize<T>(items: T[]): T[] {
  return items.length === 0 ? items : items.slice();
}

function isEncodingChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 95;
}

function firstBlankIndex(text: string): number {
  for (let index = 0; index < text.length; index++) if (isBlank(text.charCodeAt(index))) return index;
  return -1;
}

function lastBlankIndex(text: string): number {
  for (let index = text.length - 1; index >= 0; index--) if (isBlank(text.charCodeAt(index))) return index;
  return -1;
}
