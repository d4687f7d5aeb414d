import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type {
  BodySegment,
  FileVariable,
  HeaderTemplate,
  ParsedFile,
  RequestTemplate,
  VariableReference,
} from '../model/request';
import { lineRange, rangeBetween, rangeStart, type Diagnostic, type Severity, type SourcePosition, type SourceRange } from '../model/source';
import { directiveTable, readDirectiveValue, setDirective, type DirectiveRow, type DirectiveTarget } from './directiveTable';
import { findReferenceSpans, findVariableReferences } from './variableReferences';

const methodKeys = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT'] as const;
const bodyKeys = ['json', 'form', 'text', 'file', 'multipart'] as const;
/** The directives YAML writes as request options, by key. */
const optionRows: ReadonlyMap<string, DirectiveRow> = new Map(directiveTable.flatMap((row) => ('yamlKey' in row ? [[row.yamlKey, row]] : [])));

/** Every key the YAML request format accepts, by the map it appears in (the JSON Schema lists the same). */
export const yamlKnownKeys = {
  file: ['variables', 'requests'],
  request: ['name', 'method', 'url', ...methodKeys, 'headers', ...bodyKeys, ...optionRows.keys()],
  multipartPart: ['name', 'value', 'file', 'filename', 'contentType'],
  fileReference: ['path', 'substitute'],
} as const;

/** Fixed so that a request's body text is stable between parses (and in tests). */
export const multipartBoundary = 'HttpSessionFormBoundary7MA4YWxkTrZu0gW';

type BodyKey = (typeof bodyKeys)[number];
type YamlNode = unknown;

/** A request name usable in `{{name.response...}}`. */
const identifierPattern = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Parses a YAML request file (`*.http.yaml`) into request templates; never throws, reports problems as diagnostics. */
export function parseYamlRequestFile(text: string): ParsedFile {
  return new YamlRequestReader(text).read();
}

/** One key of a map, with its pair for ranges. */
interface Entry {
  readonly key: string;
  readonly pair: Pair<Scalar, YamlNode>;
}

class YamlRequestReader {
  private readonly lineCounter = new LineCounter();
  private readonly document: Document;
  private readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly text: string) {
    this.document = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false });
  }

  read(): ParsedFile {
    for (const problem of [...this.document.errors, ...this.document.warnings]) {
      const severity: Severity = this.document.errors.includes(problem) ? 'error' : 'warning';
      const message =
        problem.code === 'MULTIPLE_DOCS'
          ? 'A request file holds one YAML document: remove the `---` separator and list every request under `requests`.'
          : problem.message;
      this.diagnostics.push({ range: this.offsetRange(problem.pos[0], problem.pos[1]), message, severity, code: 'yaml-syntax' });
    }

    const fileVariables: FileVariable[] = [];
    const requests: RequestTemplate[] = [];
    const root = this.document.contents;
    if (isMap(root)) {
      const entries = this.entries(root, yamlKnownKeys.file);
      const variables = entries.get('variables');
      if (variables) fileVariables.push(...this.readVariables(variables));
      const list = entries.get('requests');
      if (list) requests.push(...this.readRequests(list));
    } else if (root !== null && !(isScalar(root) && root.value === null)) {
      this.report(root, 'error', 'invalid-type', 'A request file is a map with `variables` and `requests` keys.');
    }

    const byPosition = (a: { range: SourceRange }, b: { range: SourceRange }): number => compareStarts(a.range, b.range);
    return { requests, fileVariables, diagnostics: this.diagnostics.sort(byPosition) };
  }

  private readVariables(entry: Entry): FileVariable[] {
    const map = this.expectMap(entry, 'a map of variable names to values');
    if (!map) return [];
    const variables: FileVariable[] = [];
    for (const pair of map.items) {
      const name = this.keyOf(pair);
      if (name === undefined) continue;
      const value = this.scalarText(pair.value, pair, `variable \`${name}\``, true);
      if (value === undefined) continue;
      variables.push({
        name,
        value,
        range: this.pairRange(pair),
        variableReferences: this.scan(pair.value),
      });
    }
    return variables;
  }

  private readRequests(entry: Entry): RequestTemplate[] {
    const list = entry.pair.value;
    if (!isSeq(list)) {
      this.report(this.valueRange(entry.pair), 'error', 'invalid-type', '`requests` must be a list of requests (items starting with `- `).');
      return [];
    }
    const requests: RequestTemplate[] = [];
    const names = new Set<string>();
    for (const item of list.items) {
      const request = this.readRequest(item);
      if (!request) continue;
      if (request.name !== undefined) {
        if (names.has(request.name)) {
          this.report(request.requestLineRange, 'warning', 'duplicate-name', `Another request above is also named \`${request.name}\`, so \`{{${request.name}.response...}}\` is ambiguous.`);
        }
        names.add(request.name);
      }
      requests.push(request);
    }
    return requests;
  }

  private readRequest(item: YamlNode): RequestTemplate | undefined {
    if (!isMap(item)) {
      this.report(item, 'error', 'invalid-type', 'A request is a map, e.g. `- GET: https://example.com`.');
      return undefined;
    }
    const entries = this.entries(item, yamlKnownKeys.request);
    const references: VariableReference[] = [];
    const options: DirectiveTarget = { directives: {} };
    let name: string | undefined;
    let title: string | undefined;

    const nameEntry = entries.get('name');
    if (nameEntry) {
      const value = this.scalarText(nameEntry.pair.value, nameEntry.pair, '`name`', false);
      if (value !== undefined && identifierPattern.test(value)) name = value;
      else if (value !== undefined) title = value;
    }

    const target = this.readTarget(entries, references);

    const headers = this.readHeaders(entries.get('headers'), references);
    const body = this.readBody(entries, headers, references);
    this.readOptions(entries, options);

    const urlWritten = entries.has('url') || methodKeys.some((method) => entries.has(method));
    if (!target) {
      // A written but unusable URL has its own diagnostic already.
      if (urlWritten) return undefined;
      const first = item.items[0];
      this.report(
        first ? this.pairRange(first) : this.nodeRange(item),
        'error',
        'missing-url',
        'This request has no URL: add `GET: <url>` (or another method), or `url:` with an optional `method:`.',
      );
      return undefined;
    }
    const start = this.itemStart(item.range?.[0] ?? 0);
    return {
      ...(name !== undefined && { name }),
      ...(title !== undefined && { title }),
      method: target.method,
      url: target.url,
      headers,
      ...(body && { body }),
      directives: options.directives,
      handlers: [],
      variableReferences: references.sort((a, b) => compareStarts(a.range, b.range)),
      range: this.contentRange(start, item.range?.[1] ?? start),
      requestLineRange: target.range,
    };
  }

  /** The method and URL, from `METHOD: url` or `method:` + `url:`. */
  private readTarget(
    entries: Map<string, Entry>,
    references: VariableReference[],
  ): { method: string; url: string; range: SourceRange } | undefined {
    const shorthands = methodKeys.flatMap((method) => entries.get(method) ?? []);
    const urlEntry = entries.get('url');
    const methodEntry = entries.get('method');
    for (const extra of shorthands.slice(1)) {
      this.report(extra.pair.key, 'error', 'conflicting-keys', `A request has one method: \`${shorthands[0].key}\` is already given.`);
    }
    if (shorthands.length > 0) {
      for (const extra of [urlEntry, methodEntry]) {
        if (extra) {
          this.report(extra.pair.key, 'error', 'conflicting-keys', `\`${extra.key}\` cannot be combined with \`${shorthands[0].key}: <url>\`; write one or the other.`);
        }
      }
    }
    const urlSource = shorthands[0] ?? urlEntry;
    if (!urlSource) {
      if (methodEntry) this.scalarText(methodEntry.pair.value, methodEntry.pair, '`method`', false);
      return undefined;
    }
    const url = this.scalarText(urlSource.pair.value, urlSource.pair, `\`${urlSource.key}\` (the URL)`, false);
    if (url === undefined) return undefined;
    if (url.trim() === '') {
      this.report(this.valueRange(urlSource.pair), 'error', 'missing-url', `\`${urlSource.key}\` needs a URL.`);
      return undefined;
    }
    references.push(...this.scan(urlSource.pair.value));

    let method: string = shorthands[0]?.key ?? 'GET';
    if (!shorthands[0] && methodEntry) {
      const written = this.scalarText(methodEntry.pair.value, methodEntry.pair, '`method`', false);
      if (written !== undefined && /^[A-Za-z]+$/.test(written)) method = written.toUpperCase();
      else if (written !== undefined) {
        this.report(this.valueRange(methodEntry.pair), 'error', 'invalid-value', `\`${written}\` is not an HTTP method; use letters only, e.g. \`PROPFIND\`.`);
      }
    }
    return { method, url, range: this.pairRange(urlSource.pair) };
  }

  private readHeaders(entry: Entry | undefined, references: VariableReference[]): HeaderTemplate[] {
    if (!entry) return [];
    const headers: HeaderTemplate[] = [];
    this.eachMapValue(entry, 'header', references, (name, value, range) => headers.push({ name, value, range }));
    return headers;
  }

  /**
   * Visits each `name: value` of a map of scalars (headers, form fields); a list value repeats the
   * name once per item. References in names and values are collected; bad values are reported.
   * False (reported) when the entry is not a map.
   */
  private eachMapValue(entry: Entry, what: 'header' | 'form field', references: VariableReference[], visit: (name: string, value: string, range: SourceRange) => void): boolean {
    const map = this.expectMap(entry, `a map of ${what} names to values`);
    if (!map) return false;
    for (const pair of map.items) {
      const name = this.keyOf(pair);
      if (name === undefined) continue;
      references.push(...this.scan(pair.key));
      const values = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const node of values) {
        const value = this.scalarText(node, pair, `${what} \`${name}\``, true);
        if (value === undefined) continue;
        references.push(...this.scan(node));
        visit(name, value, isSeq(pair.value) ? this.nodeRange(node) : this.pairRange(pair));
      }
    }
    return true;
  }

  /** Reads the one body kind; adds the Content-Type it implies to `headers` when none is written. */
  private readBody(
    entries: Map<string, Entry>,
    headers: HeaderTemplate[],
    references: VariableReference[],
  ): BodySegment[] | undefined {
    const given = [...entries.values()].filter((entry) => (bodyKeys as readonly string[]).includes(entry.key));
    for (const extra of given.slice(1)) {
      this.report(extra.pair.key, 'error', 'conflicting-keys', `A request has one body: \`${given[0].key}\` is already given, remove \`${extra.key}\`.`);
    }
    const entry = given[0];
    if (!entry) return undefined;
    const kind = entry.key as BodyKey;
    const keyRange = this.nodeRange(entry.pair.key);
    const setContentType = (value: string): void => {
      if (!headers.some((header) => header.name.toLowerCase() === 'content-type')) {
        headers.push({ name: 'Content-Type', value, range: keyRange });
      }
    };
    switch (kind) {
      case 'json': {
        const json = this.jsonText(entry.pair);
        if (json === undefined) return undefined;
        this.scanTree(entry.pair.value, references);
        setContentType('application/json');
        return [{ kind: 'text', text: json, range: this.valueRange(entry.pair) }];
      }
      case 'form': {
        const form = this.formText(entry, references);
        if (form === undefined) return undefined;
        setContentType('application/x-www-form-urlencoded');
        return [{ kind: 'text', text: form, range: this.valueRange(entry.pair), encodeSubstitutions: 'form-urlencoded' }];
      }
      case 'text': {
        const text = this.scalarText(entry.pair.value, entry.pair, '`text`', true);
        if (text === undefined) return undefined;
        references.push(...this.scan(entry.pair.value));
        return [{ kind: 'text', text, range: this.valueRange(entry.pair) }];
      }
      case 'file': {
        const file = this.fileSegment(entry.pair, references);
        return file && [file];
      }
      case 'multipart': {
        const segments = this.multipartSegments(entry, references);
        if (segments === undefined) return undefined;
        const written = headers.findIndex((header) => header.name.toLowerCase() === 'content-type');
        if (written !== -1) {
          this.report(headers[written].range, 'warning', 'ignored-header', 'This Content-Type is replaced: `multipart` sets `multipart/form-data` with its own boundary.');
          headers.splice(written, 1);
        }
        setContentType(`multipart/form-data; boundary=${multipartBoundary}`);
        return segments;
      }
    }
  }

  private jsonText(pair: Pair<Scalar, YamlNode>): string | undefined {
    const node = pair.value;
    if (!isNode(node)) return this.mismatch(pair, '`json`', 'any YAML value');
    try {
      return JSON.stringify(node.toJS(this.document), null, 2);
    } catch (error) {
      // toJS throws on alias bombs (too many alias expansions).
      this.report(this.valueRange(pair), 'error', 'invalid-value', `\`json\` cannot be converted to JSON: ${String(error)}`);
      return undefined;
    }
  }

  /**
   * Literal text is encoded now; `{{...}}` is kept as written so the resolver substitutes it later and
   * encodes the value (the segment is marked `encodeSubstitutions: 'form-urlencoded'`).
   */
  private formText(entry: Entry, references: VariableReference[]): string | undefined {
    const fields: string[] = [];
    const isMapValue = this.eachMapValue(entry, 'form field', references, (name, value) => fields.push(`${formEncodeKeepingReferences(name)}=${formEncodeKeepingReferences(value)}`));
    return isMapValue ? fields.join('&') : undefined;
  }

  /** `file: path` or `file: { path, substitute }`. */
  private fileSegment(pair: Pair<Scalar, YamlNode>, references: VariableReference[]): Extract<BodySegment, { kind: 'file' }> | undefined {
    const what = `\`${pair.key.value}\``;
    if (isMap(pair.value)) {
      const entries = this.entries(pair.value, yamlKnownKeys.fileReference);
      const pathEntry = entries.get('path');
      if (!pathEntry) {
        this.report(pair.key, 'error', 'missing-key', `${what} needs a \`path\`.`);
        return undefined;
      }
      const path = this.scalarText(pathEntry.pair.value, pathEntry.pair, '`path`', false);
      const substituteEntry = entries.get('substitute');
      const substitute = substituteEntry ? this.booleanValue(substituteEntry) : false;
      if (path === undefined || substitute === undefined) return undefined;
      references.push(...this.scan(pathEntry.pair.value));
      return { kind: 'file', path, substitute, range: this.valueRange(pair) };
    }
    const path = this.scalarText(pair.value, pair, what, false);
    if (path === undefined) return undefined;
    references.push(...this.scan(pair.value));
    return { kind: 'file', path, substitute: false, range: this.valueRange(pair) };
  }

  private multipartSegments(entry: Entry, references: VariableReference[]): BodySegment[] | undefined {
    const list = entry.pair.value;
    if (!isSeq(list)) return this.mismatch(entry.pair, '`multipart`', 'a list of parts, each with `name` and `value` or `file`');
    const segments: BodySegment[] = [];
    let delimiter = `--${multipartBoundary}\r\n`;
    for (const item of list.items) {
      if (!isMap(item)) {
        this.report(item, 'error', 'invalid-type', 'A multipart part is a map with `name` and `value` or `file`.');
        continue;
      }
      const part = this.multipartPart(item, references);
      if (!part) continue;
      const range = this.nodeRange(item);
      const head = `${delimiter}${part.headers.map((line) => `${line}\r\n`).join('')}\r\n`;
      if (part.file) segments.push({ kind: 'text', text: head, range }, part.file);
      else segments.push({ kind: 'text', text: head + part.value, range });
      delimiter = `\r\n--${multipartBoundary}\r\n`;
    }
    segments.push({ kind: 'text', text: `\r\n--${multipartBoundary}--\r\n`, range: this.valueRange(entry.pair) });
    return segments;
  }

  private multipartPart(
    item: YAMLMap,
    references: VariableReference[],
  ): { headers: string[]; value?: string; file?: Extract<BodySegment, { kind: 'file' }> } | undefined {
    const entries = this.entries(item, yamlKnownKeys.multipartPart);
    // Every text of a part lands in the body text, so its references are substituted like the value's.
    const text = (key: string): string | undefined => {
      const entry = entries.get(key);
      const value = entry && this.scalarText(entry.pair.value, entry.pair, `\`${key}\``, key === 'value');
      if (entry && value !== undefined) references.push(...this.scan(entry.pair.value));
      return value;
    };
    const nameEntry = entries.get('name');
    const valueEntry = entries.get('value');
    const fileEntry = entries.get('file');
    if (!nameEntry) this.report(item, 'error', 'missing-key', 'A multipart part needs a `name`.');
    if (valueEntry && fileEntry) {
      this.report(fileEntry.pair.key, 'error', 'conflicting-keys', 'A multipart part has `value` or `file`, not both.');
    } else if (!valueEntry && !fileEntry) {
      this.report(item, 'error', 'missing-key', 'A multipart part needs a `value` or a `file`.');
    }
    const name = text('name');
    const filename = text('filename');
    const contentType = text('contentType');
    if (name === undefined || !(valueEntry || fileEntry) || (valueEntry && fileEntry)) return undefined;

    if (fileEntry) {
      const file = this.fileSegment(fileEntry.pair, references);
      if (!file) return undefined;
      const shownName = filename ?? file.path.split(/[\\/]/).pop() ?? file.path;
      return {
        headers: [
          `Content-Disposition: form-data; name="${quoteFormName(name)}"; filename="${quoteFormName(shownName)}"`,
          `Content-Type: ${contentType ?? 'application/octet-stream'}`,
        ],
        file,
      };
    }
    const value = text('value');
    if (value === undefined) return undefined;
    const disposition = `Content-Disposition: form-data; name="${quoteFormName(name)}"${
      filename === undefined ? '' : `; filename="${quoteFormName(filename)}"`
    }`;
    return { headers: contentType === undefined ? [disposition] : [disposition, `Content-Type: ${contentType}`], value };
  }

  /** Request options: the directives of the table that have a YAML key. */
  private readOptions(entries: Map<string, Entry>, target: DirectiveTarget): void {
    for (const [key, row] of optionRows) {
      const entry = entries.get(key);
      if (!entry) continue;
      const node = entry.pair.value;
      // A list of prompts asks for each; every other option is one scalar.
      const nodes = row.kind === 'prompt' && isSeq(node) ? node.items : [node];
      const written = nodes.map((item) => (isScalar(item) && ['string', 'number', 'boolean'].includes(typeof item.value) ? (item.value as string | number | boolean) : undefined));
      const reads = written.map((value) => readDirectiveValue(row, value, `\`${key}\``));
      const problem = reads.find((read) => 'problem' in read);
      if (problem && 'problem' in problem) {
        const code = written.includes(undefined) || row.kind === 'flag' ? 'invalid-type' : 'invalid-value';
        this.report(this.valueRange(entry.pair), 'error', code, `${problem.problem}.`);
        continue;
      }
      for (const read of reads) if ('value' in read) setDirective(target, row, read.value);
      // Bare numbers were milliseconds in YAML files before they became seconds, as in `.http` files.
      const bare = String(written[0]).trim();
      if (row.kind === 'duration' && /^\d+(\.\d+)?$/.test(bare) && Number(bare) >= 1000) {
        this.report(this.valueRange(entry.pair), 'warning', 'duration-in-seconds', `\`${key}: ${bare}\` is ${bare} seconds: a bare number is seconds. Write \`${bare}ms\` for milliseconds.`);
      }
    }
  }

  private booleanValue(entry: Entry): boolean | undefined {
    const node = entry.pair.value;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    return this.mismatch(entry.pair, `\`${entry.key}\``, '`true` or `false`');
  }

  /** The map's string keys, warning about unknown ones (with a suggestion when one is close). */
  private entries(map: YAMLMap, known: readonly string[]): Map<string, Entry> {
    const entries = new Map<string, Entry>();
    for (const pair of map.items) {
      const key = this.keyOf(pair);
      if (key === undefined) continue;
      if (!known.includes(key)) {
        const suggestion = closestKey(key, known);
        const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : ` Known keys: ${known.join(', ')}.`;
        this.report(pair.key, 'warning', 'unknown-key', `Unknown key \`${key}\`; it is ignored.${hint}`);
        continue;
      }
      entries.set(key, { key, pair: pair as Pair<Scalar, YamlNode> });
    }
    return entries;
  }

  private keyOf(pair: Pair<unknown, unknown>): string | undefined {
    if (isScalar(pair.key) && typeof pair.key.value === 'string') return pair.key.value;
    this.report(pair.key ?? this.pairRange(pair), 'error', 'invalid-type', 'Keys here are plain names.');
    return undefined;
  }

  private expectMap(entry: Entry, expected: string): YAMLMap | undefined {
    const node = entry.pair.value;
    if (isMap(node)) return node;
    return this.mismatch(entry.pair, `\`${entry.key}\``, expected);
  }

  /** A scalar as text: strings, and numbers and booleans (written as YAML shows them); null as '' when allowed. */
  private scalarText(node: YamlNode, pair: Pair<unknown, unknown>, what: string, allowEmpty: boolean): string | undefined {
    if (isScalar(node)) {
      const value = node.value;
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return node.source ?? String(value);
      if (value === null && allowEmpty) return '';
    }
    const range = node === pair.value ? this.valueRange(pair) : this.nodeRange(node);
    const startsWithReference = isMap(node) && node.flow && this.text.startsWith('{{', node.range?.[0]);
    const message = startsWithReference
      ? `Quote ${what}: a value that starts with \`{{\` is read by YAML as a map. Write \`"{{...}}..."\`.`
      : `${what} must be ${allowEmpty ? 'a text, number or boolean' : 'a text'}.`;
    this.report(range, 'error', 'invalid-type', message);
    return undefined;
  }

  private mismatch(pair: Pair<unknown, unknown>, what: string, expected: string): undefined {
    this.report(this.valueRange(pair), 'error', 'invalid-type', `${what} must be ${expected}.`);
    return undefined;
  }

  /** References in every scalar (keys and values) under `node`. */
  private scanTree(node: YamlNode, references: VariableReference[]): void {
    if (isScalar(node)) references.push(...this.scan(node));
    else if (isPair(node)) {
      this.scanTree(node.key, references);
      this.scanTree(node.value, references);
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) this.scanTree(item, references);
    }
  }

  /**
   * References in a string scalar, located in the source. The source text is scanned, so positions are
   * exact for plain, block and quoted scalars alike, escapes before a reference included. When the source
   * and the value disagree (an escape inside the braces, a reference folded across lines) the value's
   * references are reported at the scalar's range instead.
   */
  private scan(node: YamlNode): VariableReference[] {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return [];
    const fromValue = findReferenceSpans(node.value);
    if (fromValue.spans.length === 0 && fromValue.unterminated.length === 0) return [];
    const [start, end] = node.range;
    const fromSource = findVariableReferences(this.text.slice(start, end), this.position(start));
    const agree =
      fromSource.unterminated.length === fromValue.unterminated.length &&
      fromSource.references.length === fromValue.spans.length &&
      fromSource.references.every((reference, index) => reference.expression === fromValue.spans[index].expression);
    const whole = this.nodeRange(node);
    const references = agree
      ? fromSource.references
      : fromValue.spans.map((span) => ({ expression: span.expression, range: whole }));
    const unterminated = agree ? fromSource.unterminated : fromValue.unterminated.map(() => rangeStart(whole));
    for (const position of unterminated) {
      this.report(
        lineRange(position.line, position.column, position.column + 2),
        'warning',
        'unterminated-variable',
        '`{{` is not closed by `}}` on this line, so it is sent as written.',
      );
    }
    return references;
  }

  private report(where: YamlNode | SourceRange, severity: Severity, code: string, message: string): void {
    const range = isRange(where) ? where : this.nodeRange(where);
    this.diagnostics.push({ range, message, severity, code });
  }

  private position(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line: line - 1, column: col - 1 };
  }

  private offsetRange(start: number, end: number): SourceRange {
    return rangeBetween(this.position(start), this.position(end));
  }

  /** A node's source range, without the line breaks that block nodes end with. */
  private contentRange(start: number, end: number): SourceRange {
    let trimmed = end;
    while (trimmed > start && /\s/.test(this.text[trimmed - 1])) trimmed -= 1;
    return this.offsetRange(start, trimmed);
  }

  private nodeRange(node: YamlNode): SourceRange {
    const range = hasRange(node) ? node.range : undefined;
    return range ? this.contentRange(range[0], range[1]) : this.offsetRange(0, 0);
  }

  /** From the key's start to the value's end. */
  private pairRange(pair: Pair<unknown, unknown>): SourceRange {
    const start = hasRange(pair.key) ? pair.key.range : undefined;
    const end = hasRange(pair.value) && pair.value.range ? pair.value.range : start;
    return start && end ? this.contentRange(start[0], Math.max(start[1], end[1])) : this.nodeRange(pair.key);
  }

  /** The value's range, or the whole pair when the value is empty (`key:` alone). */
  private valueRange(pair: Pair<unknown, unknown>): SourceRange {
    const range = hasRange(pair.value) ? pair.value.range : undefined;
    return range && range[1] > range[0] ? this.contentRange(range[0], range[1]) : this.pairRange(pair);
  }

  /** A list item starts at its `- ` indicator, which the item node's range leaves out. */
  private itemStart(offset: number): number {
    let index = offset - 1;
    while (index >= 0 && (this.text[index] === ' ' || this.text[index] === '\t')) index -= 1;
    return this.text[index] === '-' ? index : offset;
  }
}

function hasRange(node: unknown): node is { range?: [number, number, number] | null } {
  return typeof node === 'object' && node !== null && 'range' in node;
}

function isRange(value: unknown): value is SourceRange {
  return typeof value === 'object' && value !== null && 'startLine' in value;
}

function compareStarts(a: SourceRange, b: SourceRange): number {
  return a.startLine - b.startLine || a.startColumn - b.startColumn;
}

/** application/x-www-form-urlencoded (the WHATWG serializer) for the text around `{{...}}`, which stays as written. */
function formEncodeKeepingReferences(text: string): string {
  const encode = (literal: string): string => new URLSearchParams([['', literal]]).toString().slice(1);
  let encoded = '';
  let last = 0;
  for (const span of findReferenceSpans(text).spans) {
    encoded += encode(text.slice(last, span.start)) + text.slice(span.start, span.end);
    last = span.end;
  }
  return encoded + encode(text.slice(last));
}

/** Quotes a name for Content-Disposition the way browsers do (WHATWG multipart/form-data encoding). */
function quoteFormName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The known key closest to `key` when it looks like a typo or a case slip. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  return best && best.distance <= Math.min(2, Math.floor(key.length / 2)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
