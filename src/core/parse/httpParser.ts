import type {
  BodySegment,
  FileVariable,
  HeaderTemplate,
  ParsedFile,
  RequestTemplate,
  ResponseHandler,
  VariableReference,
} from '../model/request';
import { lineRange, sourceRange, type Diagnostic, type Severity, type SourceRange } from '../model/source';
import { curlCommandContinues, readCurlTemplate } from './curlCommand';
import { applyDirective, type DirectiveTarget, type RequestDirectives } from './directiveTable';
import { grow, isBlank, splitLines, type SourceLines } from './sourceLines';
import { matchReference, referenceExpression, type ReferenceMatch } from './variableReferences';

/** Parses a `.http` / `.rest` file (JetBrains HTTP Client and REST Client syntax); never throws. */
export function parseHttpFile(text: string): ParsedFile {
  return new HttpFileParser(text).parse();
}

/**
 * Where the current block is: before its request line, in its URL continuation, headers, body, handlers.
 * Numbers, not strings: unoptimised code (most of a one-off parse) switches on small numbers through a jump table.
 */
const enum Phase {
  Preamble,
  Url,
  Headers,
  Body,
  Handlers,
  Skip,
  Curl,
}

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

/** A `{% ... %}` script still waiting for its `%}`, or an httpYac `{{` block waiting for its `}}` line. */
interface OpenScript {
  /** Before the request (pre-request scripts) or after its response (handlers). */
  readonly kind: 'response' | 'pre-request';
  readonly httpYac: boolean;
  /** The opening line, where an unterminated script is reported. */
  readonly openRange: SourceRange;
  readonly contentStart: number;
}

interface FileInclude {
  readonly line: number;
  readonly path: string;
  readonly substitute: boolean;
  readonly endColumn: number;
}

/** A body line that is not body text: a file include, or a comment line (`#` or `//` at its start, JetBrains spec §2.4). */
type BodyBreak = FileInclude | { readonly line: number; readonly comment: true };

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** `@name = value`. */
const fileVariableLine = /^@[\w.-]+\s*=/;
/** Each known method to itself: every request of a file shares one string per method. */
const knownMethods: ReadonlyMap<string, string> = new Map(
  [
    'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT',
    'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'REPORT', 'SEARCH',
    'GRAPHQL', 'WEBSOCKET',
  ].map((method) => [method, method]),
);
const customMethod = /^[A-Z][A-Z0-9_-]*$/;
const httpVersion = /^HTTP\/\d(?:\.\d)?$/;
const identifier = /^[A-Za-z_][\w-]*$/;
/** `Name:` followed by a space or the end: a header, where `localhost:8080` and `http://` are not. Sticky: tried at a line's offset. */
const headerLike = /[!#$%&'*+.^_`|~0-9A-Za-z-]+:(?:\s|$)/y;
/**
 * A header line's name (no blank inside, blanks allowed before the colon), its colon and the blanks after it; no match
 * when the line is malformed (no colon, no name, a blank inside the name). Sticky: tried at the line's first non-blank,
 * with `test`, which leaves the value's offset in `lastIndex`: `exec`'s match array per header was a quarter of
 * everything a parse allocated.
 */
const headerStart = /[^:\t\v\f \u00a0\ufeff\r\n]+[\t\v\f \u00a0\ufeff]*:[\t\v\f \u00a0\ufeff]*/y;
/** What a request without directives or items shares: the model's lists and options are read-only. */
const noItems: readonly never[] = Object.freeze([]);
const noDirectives: Readonly<RequestDirectives> = Object.freeze({});

const enum Char {
  Bang = 33,
  Hash = 35,
  Colon = 58,
  Ampersand = 38,
  Slash = 47,
  Less = 60,
  Equals = 61,
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
  private readonly setupScripts: ResponseHandler[] = [];

  // The block being read: everything from one `###` (or the file start) to the next.
  private phase = Phase.Preamble;
  /** The file's `# @auth` default, from a directive block before the first request. */
  private fileAuth: string | undefined;
  private title: string | undefined;
  /** Created by the block's first directive. */
  private target: DirectiveTarget | undefined;
  // The block's lists are reused from block to block; each request gets an exact-size copy.
  /** Line and column of the block's first comment or script; -1 when the block has none yet. */
  private blockStartLine = -1;
  private blockStartColumn = 0;
  private script: OpenScript | undefined;
  /** The end of the `/* … *\/` or `<!-- … -->` comment the current line is in (httpYac, pasted HTML); undefined outside one. */
  private blockCommentEnd: string | undefined;
  private method = 'GET';
  /** Offset where the block's `curl …` command starts while its lines are still being read; -1 otherwise. */
  private curlStart = -1;
  private readonly urlParts = new ScratchList<string>();
  private version: string | undefined;
  // Kept as numbers: they move on every line and become ranges once per request.
  private requestStartLine = 0;
  private requestStartColumn = 0;
  private requestLineStartColumn = 0;
  private requestLineStartLine = 0;
  private requestLineEndLine = 0;
  private requestLineEndColumn = 0;
  private lastContentLine = 0;
  private lastContentColumn = 0;
  private readonly headers = new ScratchList<HeaderTemplate>();
  /** The block's last header line, which indented lines below it continue. */
  private lastHeader: ParsedHeader | undefined;
  private bodyStart = -1;
  private bodyLast = -1;
  private readonly includes = new ScratchList<BodyBreak>();
  private readonly segments = new ScratchList<BodySegment>();
  private body: readonly BodySegment[] | undefined;
  private readonly handlers = new ScratchList<ResponseHandler>();
  private readonly preRequestScripts = new ScratchList<ResponseHandler>();
  /** The ranges of requests and headers, made into objects when read. */
  private readonly ranges: RangeTable;
  /** The `{{references}}` of every request, in source order; each request reads its own run of them when asked. */
  private readonly references: ReferenceTable;
  /** Where the current block's references start in `references`. */
  private blockFirstReference = 0;
  private readonly fileVariableReferences: ReferenceTable;
  // One forward cursor for the whole file per needle: most lines have none, and no line is searched to the end of the file each.
  private readonly openBraces: ForwardSearch;
  private readonly scriptClose: ForwardSearch;
  private readonly versionMarks: ForwardSearch;
  private readonly match: ReferenceMatch = { start: 0, end: 0 };

  constructor(private readonly text: string) {
    this.lines = splitLines(text);
    this.openBraces = new ForwardSearch(text, '{{');
    this.scriptClose = new ForwardSearch(text, '%}');
    this.versionMarks = new ForwardSearch(text, 'HTTP/');
    // Sized from the line count (a range for most request and header lines, a reference for some), so they rarely grow.
    this.ranges = new RangeTable(this.lines.count >> 1);
    this.references = new ReferenceTable(text, this.lines.starts, this.lines.count >> 2);
    this.fileVariableReferences = new ReferenceTable(text, this.lines.starts, 16);
  }

  parse(): ParsedFile {
    const { text, line } = this;
    const { count, starts, ends } = this.lines;
    // The loop measures each line itself: until V8 optimises it, this code runs unoptimised, where a call per line costs.
    for (let index = 0; index < count; index++) {
      const start = starts[index];
      const end = ends[index];
      let first = start;
      while (first < end && isBlank(text.charCodeAt(first))) first++;
      let last = end;
      while (last > first && isBlank(text.charCodeAt(last - 1))) last--;
      line.index = index;
      line.start = start;
      line.end = end;
      line.first = first;
      line.last = last;
      if (end - start >= 3 && text.charCodeAt(start) === Char.Hash && text.startsWith('###', start)) {
        this.finishBlock();
        this.startBlock(line);
        continue;
      }
      if (this.script) {
        if (first < last) this.noteContent(line);
        this.closeScriptOn(line, start);
        continue;
      }
      if (this.blockCommentEnd !== undefined) {
        if (text.slice(start, end).includes(this.blockCommentEnd)) this.blockCommentEnd = undefined;
        continue;
      }
      this.readLine(line);
    }
    this.finishBlock();
    const file: Writable<ParsedFile> = { requests: this.requests, fileVariables: this.fileVariables, diagnostics: this.diagnostics };
    if (this.setupScripts.length > 0) file.setupScripts = this.setupScripts;
    return file;
  }

  private readLine(line: Line): void {
    const blank = line.first === line.last;
    if (!blank) {
      if (this.phase === Phase.Body && this.startsRequestInBody(line)) this.finishBlock();
      this.noteContent(line);
      // Only lines starting with one of these characters can be a block comment or an httpYac line.
      const code = this.text.charCodeAt(line.first);
      if (code === Char.Slash || code === Char.Less || code === Char.Question || code === Char.OpenBrace) {
        if (this.phase !== Phase.Body && this.phase !== Phase.Skip && this.phase !== Phase.Curl && this.readBlockComment(line)) return;
        if (this.phase !== Phase.Skip && this.phase !== Phase.Curl && this.readHttpYacLine(line)) return;
      }
    }
    switch (this.phase) {
      case Phase.Preamble:
        if (!blank) this.readPreamble(line);
        return;
      case Phase.Url:
        if (blank) this.phase = Phase.Body;
        else if (this.isUrlContinuation(line)) this.readUrlContinuation(line);
        else this.readHeaderLine(line);
        return;
      case Phase.Headers:
        if (blank) this.phase = Phase.Body;
        else this.readHeaderLine(line);
        return;
      case Phase.Body:
        this.readBodyLine(line, blank);
        return;
      case Phase.Handlers:
        if (!blank && !this.isComment(line) && !this.readHandler(line, line.first)) {
          this.report(line, 'warning', 'unexpected-text-after-handler', 'Text after a response handler is ignored; start a new request with ###');
        }
        return;
      case Phase.Curl:
        if (this.curlStart >= 0) this.readCurlLine(line);
        else if (!blank && !this.isComment(line) && !this.readHandler(line, line.first)) {
          this.report(line, 'warning', 'text-after-curl', 'Text after a curl command is ignored: end its lines with \\ to continue it, or start a new request with ###');
        }
        return;
      case Phase.Skip:
        return;
    }
  }

  // ---- block boundaries

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
        message: this.script.httpYac ? 'This {{ script block has no closing }} line' : `This ${kind} has no closing %}`,
      });
      this.script = undefined;
    }
    if (this.phase === Phase.Body) this.closeBody();
    if (this.curlStart >= 0) this.closeCurl(this.lines.ends[this.lastContentLine]);
    if (this.phase !== Phase.Preamble && this.phase !== Phase.Skip) this.emitRequest();
    else if (this.phase === Phase.Preamble) {
      // A block of httpYac `{{ }}` scripts and no request: they run before every request of the file (httpYac's global scripts).
      for (let index = 0; index < this.preRequestScripts.size; index++) this.setupScripts.push(this.preRequestScripts.get(index));
      // `# @auth name` in a block of its own before the first request: the file's default, as `requests.Session().auth`.
      if (this.requests.length === 0 && this.target?.directives.auth !== undefined) this.fileAuth = this.target.directives.auth;
    }
    this.phase = Phase.Preamble;
    this.title = undefined;
    this.target = undefined;
    this.blockStartLine = -1;
    this.urlParts.clear();
    this.version = undefined;
    this.method = 'GET';
    this.headers.clear();
    this.lastHeader = undefined;
    this.bodyStart = -1;
    this.bodyLast = -1;
    this.includes.clear();
    this.body = undefined;
    this.handlers.clear();
    this.preRequestScripts.clear();
    this.blockFirstReference = this.references.size;
  }

  private emitRequest(): void {
    const name = this.target?.name ?? (this.title && identifier.test(this.title) ? this.title : undefined);
    const rangeIndex = this.ranges.add(this.requestStartLine, this.requestStartColumn, this.lastContentLine, this.lastContentColumn);
    this.ranges.add(this.requestLineStartLine, this.requestLineStartColumn, this.requestLineEndLine, this.requestLineEndColumn);
    const request: Writable<ParsedRequest> = new ParsedRequest(this.ranges, rangeIndex, this.references, this.blockFirstReference, this.references.size);
    request.method = this.method;
    request.url = this.urlParts.size === 1 ? this.urlParts.get(0) : this.urlParts.copy().join('');
    request.headers = this.headers.copy();
    request.directives =
      this.fileAuth !== undefined && this.target?.directives.auth === undefined ? { ...this.target?.directives, auth: this.fileAuth } : (this.target?.directives ?? noDirectives);
    request.handlers = this.handlers.copy();
    // Absent rather than undefined, and assigned rather than spread: spreading in a literal is slow.
    if (name !== undefined) request.name = name;
    if (this.title !== undefined) request.title = this.title;
    if (this.version !== undefined) request.httpVersion = this.version;
    if (this.body !== undefined) request.body = this.body;
    if (this.preRequestScripts.size > 0) request.preRequestScripts = this.preRequestScripts.copy();
    this.requests.push(request);
  }

  // ---- before the request line: comments, directives, file variables, pre-request scripts

  private readPreamble(line: Line): void {
    const code = this.text.charCodeAt(line.first);
    if (this.isComment(line)) {
      this.noteBlockStart(line);
      this.readDirective(line);
    } else if (code === Char.At) {
      this.blockStartLine = -1; // comments above a file variable belong to the variable, not the request
      this.readFileVariable(line);
    } else if (code === Char.Less && this.readPreRequestScript(line)) {
      this.noteBlockStart(line);
    } else if (this.looksLikeHeaderOrBody(line)) {
      this.report(line, 'error', 'missing-request-line', 'This request has headers or a body but no request line such as GET https://example.com');
      this.phase = Phase.Skip;
    } else {
      this.readRequestLine(line);
    }
  }

  private isComment(line: Line): boolean {
    const code = this.text.charCodeAt(line.first);
    return code === Char.Hash || (code === Char.Slash && this.text.charCodeAt(line.first + 1) === Char.Slash);
  }

  /** `# @name value` or `// @name value`: a word after `@`, then a blank or the end of the line. */
  private readDirective(line: Line): void {
    const text = this.text;
    let at = line.first + (text.charCodeAt(line.first) === Char.Hash ? 1 : 2);
    while (at < line.last && isSpace(text.charCodeAt(at))) at++;
    if (text.charCodeAt(at) !== Char.At || !isLetter(text.charCodeAt(at + 1))) return;
    const nameStart = at + 1;
    at = nameStart + 1;
    while (at < line.last && isNameChar(text.charCodeAt(at))) at++;
    if (at < line.last && !isSpace(text.charCodeAt(at)) && text.charCodeAt(at) !== Char.Equals) return;
    const name = text.slice(nameStart, at);
    while (at < line.last && isSpace(text.charCodeAt(at))) at++;
    // `# @name = login` is read as `# @name login` (files written for REST Client and JetBrains use both).
    if (text.charCodeAt(at) === Char.Equals) {
      at++;
      while (at < line.last && isSpace(text.charCodeAt(at))) at++;
    }
    const value = text.slice(at, line.last);
    this.target ??= { directives: {} };
    const outcome = applyDirective(this.target, name, value);
    if (outcome !== 'applied' && outcome !== 'unknown') this.report(line, 'warning', 'invalid-directive', outcome.problem);
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
    const references = this.fileVariableReferences;
    references.clear();
    this.scanReferences(line, valueStart, line.last, references);
    this.fileVariables.push({ name, value, range: this.range(line, line.first, line.last), variableReferences: references.materialise(0, references.size) });
  }

  /** `< {% ... %}` or `< script.js` before the request line (JetBrains pre-request scripts), which we do not run. */
  private readPreRequestScript(line: Line): boolean {
    let at = line.first + 1;
    if (at === line.last || !isBlank(this.text.charCodeAt(at))) return false;
    while (isBlank(this.text.charCodeAt(at))) at++;
    if (this.text.startsWith('{%', at)) this.openScript(line, 'pre-request', at + 2);
    else this.preRequestScripts.push({ kind: 'scriptFile', text: this.text.slice(at, line.last), range: this.range(line, line.first, line.last) });
    return true;
  }

  private looksLikeHeaderOrBody(line: Line): boolean {
    const code = this.text.charCodeAt(line.first);
    const next = this.text.charCodeAt(line.first + 1);
    if (code === Char.OpenBrace) return next !== Char.OpenBrace;
    if (code === Char.OpenBracket) return next !== Char.Colon; // `[::1]:8080` is an IPv6 host
    if (code === Char.Less) return true;
    return this.isHeaderLike(line);
  }

  private isHeaderLike(line: Line): boolean {
    headerLike.lastIndex = line.first;
    return headerLike.test(this.text);
  }

  // ---- the request line and its continuation lines

  private readRequestLine(line: Line): void {
    const text = this.text;
    let urlStart = line.first;
    let wordEnd = line.first;
    while (wordEnd < line.last && !isBlank(text.charCodeAt(wordEnd))) wordEnd++;
    if (wordEnd < line.last) {
      const word = text.slice(line.first, wordEnd);
      // Most files write methods in capitals: looked up as written first, without an upper-cased copy.
      const method = knownMethods.get(word) ?? knownMethods.get(word.toUpperCase()) ?? (customMethod.test(word) ? word : undefined);
      if (method !== undefined) {
        this.method = method;
        urlStart = wordEnd;
        while (isBlank(text.charCodeAt(urlStart))) urlStart++;
      }
    } else if (knownMethods.has(text.slice(line.first, line.last))) {
      urlStart = line.last;
    }
    this.requestLineStartLine = line.index;
    this.requestLineStartColumn = line.first - line.start;
    const hasPreamble = this.blockStartLine >= 0;
    this.requestStartLine = hasPreamble ? this.blockStartLine : this.requestLineStartLine;
    this.requestStartColumn = hasPreamble ? this.blockStartColumn : this.requestLineStartColumn;
    this.setRequestLineEnd(line);
    if (wordEnd - line.first === 4 && text.startsWith('curl', line.first)) {
      this.phase = Phase.Curl;
      this.curlStart = line.first;
      this.readCurlLine(line);
      return;
    }
    this.phase = this.readUrlPart(line, urlStart) ? Phase.Url : Phase.Skip;
  }

  // ---- a `curl …` command as the request (REST Client): its lines go on while it is open

  private readCurlLine(line: Line): void {
    this.setRequestLineEnd(line);
    this.scanReferences(line, line.first, line.last, this.references);
    if (!curlCommandContinues(this.text.slice(this.curlStart, line.end))) this.closeCurl(line.end);
  }

  private closeCurl(end: number): void {
    const curl = readCurlTemplate(this.text, this.curlStart, end, this.lines);
    this.curlStart = -1;
    this.diagnostics.push(...curl.diagnostics);
    if (!('url' in curl)) {
      this.phase = Phase.Skip;
      return;
    }
    this.method = curl.method;
    this.urlParts.push(curl.url);
    for (const header of curl.headers) this.headers.push(header);
    this.body = curl.body;
    if (Object.keys(curl.directives).length > 0) {
      this.target ??= { directives: {} };
      // A `# @timeout` above the command wins over its --max-time.
      this.target.directives = { ...curl.directives, ...this.target.directives };
    }
  }

  /** Adds the URL text from `from` to the line's last non-blank (a trailing `HTTP/x.y` taken off); false after reporting an error. */
  private readUrlPart(line: Line, from: number): boolean {
    const text = this.text;
    let end = line.last;
    let lastWord = end;
    // The last word is looked for only when `HTTP/` occurs in this part: most request lines have no version.
    if (this.versionMarks.next(from) < end) while (lastWord > from && !isBlank(text.charCodeAt(lastWord - 1))) lastWord--;
    if (lastWord < end && text.startsWith('HTTP/', lastWord)) {
      const version = text.slice(lastWord, end);
      if (!httpVersion.test(version)) {
        this.diagnostics.push({
          range: lineRange(line.index, lastWord - line.start, end - line.start),
          severity: 'error',
          code: 'invalid-http-version',
          message: `${version} is not an HTTP version; write HTTP/1.1 or HTTP/2`,
        });
        return false;
      }
      this.version = version;
      end = lastWord;
      while (end > from && isBlank(text.charCodeAt(end - 1))) end--;
    }
    if (end === from && this.urlParts.size === 0) {
      this.report(line, 'error', 'missing-url', 'The request line has no URL');
      return false;
    }
    this.urlParts.push(text.slice(from, end));
    this.scanReferences(line, from, end, this.references);
    return true;
  }

  /** `?a=b` / `&c=d`, or an indented line that is not a header (`    Accept: …` under the request line is a header). */
  private isUrlContinuation(line: Line): boolean {
    const code = this.text.charCodeAt(line.first);
    if (code === Char.Question || code === Char.Ampersand) return true;
    return line.first > line.start && !this.isHeaderLike(line);
  }

  private readUrlContinuation(line: Line): void {
    this.setRequestLineEnd(line);
    if (!this.readUrlPart(line, line.first)) this.phase = Phase.Skip;
  }

  // ---- headers

  private readHeaderLine(line: Line): void {
    this.phase = Phase.Headers;
    const previous = this.lastHeader;
    // Indented deeper than its header (or not a header at all): the header's value goes on. Headers indented
    // as a block under an indented request line are headers each.
    if (line.first > line.start && previous && (line.first - line.start > previous.range.startColumn || !this.isHeaderLike(line))) {
      previous.continueOn(line.index, line.last - line.start, this.text.slice(line.first, line.last));
      this.scanReferences(line, line.first, line.last, this.references);
      return;
    }
    // Only a line starting with one of these can be a comment or a handler: the calls are skipped for the others.
    const code = this.text.charCodeAt(line.first);
    if ((code === Char.Hash || code === Char.Slash || code === Char.Greater || code === Char.Less) && (this.isComment(line) || this.readHandler(line, line.start))) return;
    // The regular expression engine scans the name, which unoptimised code would do a character at a time.
    headerStart.lastIndex = line.first;
    if (!headerStart.test(this.text)) {
      this.report(line, 'error', 'malformed-header', 'A header is written Name: value; leave a blank line before the body');
      return;
    }
    // Past `line.last` when the value is empty and blanks follow the colon: the value is then ''.
    const valueStart = headerStart.lastIndex;
    // The colon is the last one before the value (blanks follow it); blanks before it are not part of the name.
    let nameEnd = this.text.lastIndexOf(':', valueStart - 1);
    while (isBlank(this.text.charCodeAt(nameEnd - 1))) nameEnd--;
    const rangeIndex = this.ranges.add(line.index, line.first - line.start, line.index, line.last - line.start);
    this.lastHeader = new ParsedHeader(this.text.slice(line.first, nameEnd), this.text.slice(valueStart, line.last), this.ranges, rangeIndex);
    this.headers.push(this.lastHeader);
    this.scanReferences(line, line.first, line.last, this.references);
  }

  // ---- body

  private readBodyLine(line: Line, blank: boolean): void {
    if (blank) return;
    // Handlers, comments, file variables and includes start in the first column with one of these: most body lines are none.
    const code = line.first === line.start ? this.text.charCodeAt(line.start) : 0;
    const special = code === Char.Greater || code === Char.Less || code === Char.Hash || code === Char.Slash || code === Char.At;
    if (special && this.readHandler(line, line.start)) return;
    if (special && this.isBodyComment(line)) {
      if (this.bodyStart >= 0) this.includes.push({ line: line.index, comment: true });
      return;
    }
    // `@name = value` from the first column after a body is a file variable, not body text (as JetBrains reads it).
    if (code === Char.At && fileVariableLine.test(this.text.slice(line.start, line.last))) {
      if (this.bodyStart >= 0) this.includes.push({ line: line.index, comment: true });
      this.readFileVariable(line);
      return;
    }
    if (this.bodyStart < 0) this.bodyStart = line.index;
    this.bodyLast = line.index;
    const include = code === Char.Less ? this.matchInclude(line) : undefined;
    if (include) this.includes.push(include);
    // References are collected line by line, in source order, include paths among them.
    this.scanReferences(line, include ? line.last - include.path.length : line.start, line.end, this.references);
  }

  /**
   * A request line after a blank line in a body starts the next request (as httpYac reads it; the JetBrains
   * client and REST Client would send it as body text, hence the warning). Not in a multipart or
   * `message/http` body, where request lines after a blank line are content (an OData `$batch`).
   */
  private startsRequestInBody(line: Line): boolean {
    if (line.index - this.lastContentLine < 2 || !this.looksLikeRequestLine(line)) return false;
    for (let index = 0; index < this.headers.size; index++) {
      const header = this.headers.get(index);
      if (header.name.toLowerCase() === 'content-type' && /^\s*(multipart\/|message\/http)/i.test(header.value)) return false;
    }
    this.report(line, 'warning', 'request-without-separator', 'A new request starts here without ### above it (the JetBrains client and REST Client would send it as the body of the request above): put ### between requests');
    return true;
  }

  /** `GET https://…` (a known method, in capitals, and a URL). */
  private looksLikeRequestLine(line: Line): boolean {
    const space = this.text.indexOf(' ', line.first);
    if (space < 0 || space >= line.last) return false;
    const method = this.text.slice(line.first, space);
    return knownMethods.get(method) === method && /^\s*(https?:\/\/|\/|\{\{)\S*(\s+HTTP\/[\d.]+)?$/.test(this.text.slice(space, line.last));
  }

  /** `# …` or `// …` from the line's first column. */
  private isBodyComment(line: Line): boolean {
    if (line.first !== line.start) return false;
    const code = this.text.charCodeAt(line.start);
    return code === Char.Hash || (code === Char.Slash && this.text.charCodeAt(line.start + 1) === Char.Slash);
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
    const segments = this.segments;
    segments.clear();
    let textStart = starts[this.bodyStart];
    let textStartLine = this.bodyStart;
    for (let index = 0; index < this.includes.size; index++) {
      const include = this.includes.get(index);
      // Comments after the last body line are not part of the body at all.
      if (include.line > this.bodyLast) break;
      const lineStart = starts[include.line];
      if (lineStart > textStart) this.addText(segments, textStart, textStartLine, lineStart, include.line);
      if ('comment' in include) {
        // The text goes on at the next line: the comment and its line break are left out.
        textStart = starts[include.line + 1]!;
        textStartLine = include.line + 1;
        continue;
      }
      const range = lineRange(include.line, 0, include.endColumn);
      segments.push({ kind: 'file', path: include.path, substitute: include.substitute, range });
      textStart = ends[include.line];
      textStartLine = include.line;
    }
    let textEnd = ends[this.bodyLast];
    while (textEnd > textStart && isBlank(this.text.charCodeAt(textEnd - 1))) textEnd--;
    if (textEnd > textStart) this.addText(segments, textStart, textStartLine, textEnd, this.bodyLast);
    this.body = segments.copy();
    this.bodyStart = -1;
  }

  /** Adds the text between offsets `from` (on line `fromLine`) and `to` (on line `toLine`). */
  private addText(segments: ScratchList<BodySegment>, from: number, fromLine: number, to: number, toLine: number): void {
    const { starts } = this.lines;
    const range = sourceRange(fromLine, from - starts[fromLine], toLine, to - starts[toLine]);
    segments.push({ kind: 'text', text: this.text.slice(from, to), range });
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
    if (this.phase === Phase.Body) this.closeBody();
    this.phase = Phase.Handlers;
    if (kind === 'scriptFile' && this.text.startsWith('{%', pathAt)) {
      this.openScript(line, 'response', pathAt + 2, at);
    } else {
      this.handlers.push({ kind, text: this.text.slice(pathAt, line.last), range: this.range(line, at, line.last) });
    }
    return true;
  }

  private openScript(line: Line, kind: OpenScript['kind'], contentStart: number, at = line.first): void {
    this.script = { kind, httpYac: false, openRange: this.range(line, at, line.last), contentStart };
    this.closeScriptOn(line, contentStart);
  }

  /** Closes the open script if `%}` occurs on this line at or after `from`. */
  private closeScriptOn(line: Line, from: number): void {
    const script = this.script;
    if (!script) return;
    if (script.httpYac) {
      if (line.last - line.first === 2 && this.text.startsWith('}}', line.first)) this.closeScript(script, line, line.start, line.last);
      return;
    }
    const closeOffset = this.scriptClose.next(from);
    if (closeOffset + 2 > line.end) return;
    this.closeScript(script, line, closeOffset, closeOffset + 2);
  }

  /** Keeps the script whose code ends at `codeEnd` and whose closer ends at `closeEnd`, both on `line`. */
  private closeScript(script: OpenScript, line: Line, codeEnd: number, closeEnd: number): void {
    const { startLine, startColumn } = script.openRange;
    const range = sourceRange(startLine, startColumn, line.index, closeEnd - line.start);
    const scripts = script.kind === 'response' ? this.handlers : this.preRequestScripts;
    scripts.push({ kind: script.httpYac ? 'httpYacScript' : 'script', text: this.text.slice(script.contentStart, codeEnd), range });
    this.script = undefined;
  }

  // ---- httpYac: `?? status == 200` assertions, `{{` … `}}` script blocks; `/* */` and `<!-- -->` comments

  /** A `??` assertion or a `{{` line that opens a script block; true when the line was one. */
  private readHttpYacLine(line: Line): boolean {
    const text = this.text;
    if (text.charCodeAt(line.first) === Char.Question && text.charCodeAt(line.first + 1) === Char.Question) {
      let at = line.first + 2;
      while (at < line.last && isBlank(text.charCodeAt(at))) at++;
      this.handlers.push({ kind: 'assertion', text: text.slice(at, line.last), range: this.range(line, line.first, line.last) });
      this.scanReferences(line, at, line.last, this.references);
      // In a body, the line is left out of the body text like a comment.
      if (this.phase === Phase.Body && this.bodyStart >= 0) this.includes.push({ line: line.index, comment: true });
      return true;
    }
    if (line.last - line.first !== 2 || line.first !== line.start || !text.startsWith('{{', line.first)) return false;
    if (this.phase === Phase.Body) this.closeBody();
    const kind = this.phase === Phase.Preamble ? 'pre-request' : 'response';
    if (kind === 'pre-request') this.noteBlockStart(line);
    else this.phase = Phase.Handlers;
    // The code starts at the end of the `{{` line, so its line numbers are the file's, counted from the `{{` line.
    this.script = { kind, httpYac: true, openRange: this.range(line, line.first, line.last), contentStart: line.end };
    return true;
  }

  /** Opens a `/* … *\/` or `<!-- … -->` comment (closed on this line or a later one); true when the line starts one. */
  private readBlockComment(line: Line): boolean {
    const text = this.text;
    const end = text.startsWith('/*', line.first) ? '*/' : text.startsWith('<!--', line.first) ? '-->' : undefined;
    if (end === undefined) return false;
    if (!text.slice(line.first + 2, line.end).includes(end)) this.blockCommentEnd = end;
    if (this.phase === Phase.Preamble) this.noteBlockStart(line);
    return true;
  }

  // ---- helpers

  private noteContent(line: Line): void {
    this.lastContentLine = line.index;
    this.lastContentColumn = line.last - line.start;
  }

  private setRequestLineEnd(line: Line): void {
    this.requestLineEndLine = line.index;
    this.requestLineEndColumn = line.last - line.start;
  }

  private noteBlockStart(line: Line): void {
    if (this.blockStartLine >= 0) return;
    this.blockStartLine = line.index;
    this.blockStartColumn = line.first - line.start;
  }

  private range(line: Line, from: number, to: number): SourceRange {
    return lineRange(line.index, from - line.start, to - line.start);
  }

  private report(line: Line, severity: Severity, code: string, message: string): void {
    this.diagnostics.push({ range: this.range(line, line.first, line.last), severity, code, message });
  }

  /** Adds the `{{references}}` between offsets `from` and `to` of `line` to `into`; call in source order. */
  private scanReferences(line: Line, from: number, to: number, into: ReferenceTable): void {
    const { text, match } = this;
    let open = this.openBraces.next(from);
    while (open + 1 < to) {
      matchReference(text, open, to, match);
      const startColumn = match.start - line.start;
      if (match.end < 0) {
        this.diagnostics.push({
          range: lineRange(line.index, startColumn, startColumn + 2),
          severity: 'warning',
          code: 'unterminated-variable',
          message: '{{ has no closing }} on this line',
        });
      } else {
        into.push(line.index, startColumn, match.end - line.start);
      }
      open = this.openBraces.next(match.end < 0 ? match.start + 2 : match.end);
    }
  }
}

/**
 * Past the end of any string (V8's longest is under 2^29), and still a small integer. A constant rather than the
 * text's length: a property read on a path not yet taken when V8 optimises the callers would throw their code away.
 */
const beyondAnyOffset = 2 ** 30 - 1;

/** `indexOf` of one needle, asked with offsets that only grow: a search is redone only once the cursor is passed. */
class ForwardSearch {
  private found = -1;

  constructor(
    private readonly text: string,
    private readonly needle: string,
  ) {}

  /** Offset of the first occurrence at or after `from`; `beyondAnyOffset` when there is none. */
  next(from: number): number {
    if (this.found < from) {
      const found = this.text.indexOf(this.needle, from);
      this.found = found < 0 ? beyondAnyOffset : found;
    }
    return this.found;
  }
}

/**
 * A request of a `.http` file. Its ranges and variable references are made from the parser's tables when first
 * read: most readers of a parse (the CLI's `parse`, folding, sending one request) never look at most of them, and
 * made at parse time they were most of its objects.
 */
class ParsedRequest implements RequestTemplate {
  // Declared, not initialised: the parser assigns them, and the optional ones stay absent rather than undefined.
  declare readonly name?: string;
  declare readonly title?: string;
  declare readonly method: string;
  declare readonly url: string;
  declare readonly httpVersion?: string;
  declare readonly headers: readonly HeaderTemplate[];
  declare readonly body?: readonly BodySegment[];
  declare readonly directives: Readonly<RequestDirectives>;
  declare readonly handlers: readonly ResponseHandler[];
  declare readonly preRequestScripts?: readonly ResponseHandler[];
  readonly #ranges: RangeTable;
  /** Its range's index in `#ranges`; its request line's is the next. */
  readonly #rangeIndex: number;
  readonly #references: ReferenceTable;
  readonly #firstReference: number;
  readonly #endReference: number;
  #range: SourceRange | undefined;
  #requestLineRange: SourceRange | undefined;
  #variableReferences: readonly VariableReference[] | undefined;

  constructor(ranges: RangeTable, rangeIndex: number, references: ReferenceTable, firstReference: number, endReference: number) {
    this.#ranges = ranges;
    this.#rangeIndex = rangeIndex;
    this.#references = references;
    this.#firstReference = firstReference;
    this.#endReference = endReference;
  }

  get range(): SourceRange {
    return (this.#range ??= this.#ranges.get(this.#rangeIndex));
  }

  get requestLineRange(): SourceRange {
    return (this.#requestLineRange ??= this.#ranges.get(this.#rangeIndex + 1));
  }

  get variableReferences(): readonly VariableReference[] {
    return (this.#variableReferences ??= this.#references.materialise(this.#firstReference, this.#endReference));
  }
}

/** A header line, with the indented lines that continue it; its range is made from the parser's table when first read. */
class ParsedHeader implements HeaderTemplate {
  readonly #ranges: RangeTable;
  readonly #rangeIndex: number;
  #range: SourceRange | undefined;

  constructor(
    public name: string,
    public value: string,
    ranges: RangeTable,
    rangeIndex: number,
  ) {
    this.#ranges = ranges;
    this.#rangeIndex = rangeIndex;
  }

  get range(): SourceRange {
    return (this.#range ??= this.#ranges.get(this.#rangeIndex));
  }

  /** Adds an indented continuation line's text (`value`, ending at `endColumn` of `line`) to the value, joined by a space. */
  continueOn(line: number, endColumn: number, value: string): void {
    this.value = this.value ? `${this.value} ${value}` : value;
    this.#ranges.setEnd(this.#rangeIndex, line, endColumn);
    this.#range = undefined;
  }
}

/** Source ranges as four numbers each in one growing Int32Array, off the JS heap: a range object is made when one is read. */
class RangeTable {
  private entries: Int32Array;
  private size = 0;

  constructor(capacity: number) {
    this.entries = new Int32Array(4 * Math.max(capacity, 16));
  }

  /** Adds a range and returns its index. */
  add(startLine: number, startColumn: number, endLine: number, endColumn: number): number {
    let at = 4 * this.size;
    if (at === this.entries.length) this.entries = grow(this.entries);
    const { entries } = this;
    entries[at++] = startLine;
    entries[at++] = startColumn;
    entries[at++] = endLine;
    entries[at] = endColumn;
    return this.size++;
  }

  setEnd(index: number, endLine: number, endColumn: number): void {
    this.entries[4 * index + 2] = endLine;
    this.entries[4 * index + 3] = endColumn;
  }

  get(index: number): SourceRange {
    const at = 4 * index;
    const { entries } = this;
    return sourceRange(entries[at], entries[at + 1], entries[at + 2], entries[at + 3]);
  }
}

/** `{{references}}` as three numbers each (line, start column, end column) in one growing Int32Array: no object per reference until one is read. */
class ReferenceTable {
  private entries: Int32Array;
  /** How many references it holds. */
  size = 0;

  constructor(
    private readonly text: string,
    private readonly lineStarts: Int32Array,
    capacity: number,
  ) {
    this.entries = new Int32Array(3 * Math.max(capacity, 16));
  }

  push(line: number, startColumn: number, endColumn: number): void {
    let at = 3 * this.size;
    if (at === this.entries.length) this.entries = grow(this.entries);
    const { entries } = this;
    entries[at++] = line;
    entries[at++] = startColumn;
    entries[at] = endColumn;
    this.size++;
  }

  clear(): void {
    this.size = 0;
  }

  /** References `first` up to `end` (exclusive) as the model's objects. */
  materialise(first: number, end: number): readonly VariableReference[] {
    if (first === end) return noItems;
    const { entries, text } = this;
    const references: VariableReference[] = [];
    const match: ReferenceMatch = { start: 0, end: 0 };
    for (let index = first; index < end; index++) {
      const line = entries[3 * index];
      const startColumn = entries[3 * index + 1];
      const endColumn = entries[3 * index + 2];
      const lineStart = this.lineStarts[line];
      match.start = lineStart + startColumn;
      match.end = lineStart + endColumn;
      references.push({ expression: referenceExpression(text, match), range: lineRange(line, startColumn, endColumn) });
    }
    return references;
  }
}

/** A list reused from block to block: `clear` keeps its storage, where setting an array's length to 0 frees it. */
class ScratchList<T> {
  private readonly items: T[] = [];
  size = 0;

  push(item: T): void {
    this.items[this.size++] = item;
  }

  get(index: number): T {
    return this.items[index];
  }

  clear(): void {
    this.size = 0;
  }

  /** The items as an exact-size list (the result outlives the parse), or the shared empty list. */
  copy(): readonly T[] {
    return this.size === 0 ? noItems : this.items.slice(0, this.size);
  }
}

/** What `\s` matches, without a regular expression for the common ASCII cases. */
function isSpace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(String.fromCharCode(code));
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** `[\w-]`: letters, digits, `_` and `-`. */
function isNameChar(code: number): boolean {
  return isLetter(code) || (code >= 48 && code <= 57) || code === 95 || code === 45;
}

function isEncodingChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 95;
}

