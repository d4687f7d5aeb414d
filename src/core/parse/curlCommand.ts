// A curl command line as a request: the options people paste (browser "Copy as cURL", Postman's
// export, API docs) mapped onto what a request of this extension has. Every option that is not
// applied is reported by name; nothing is dropped silently and one odd option never refuses the rest.
import type { BodySegment, HeaderTemplate } from '../model/request';
import { sourceRange, type Diagnostic, type Severity, type SourceRange } from '../model/source';
import type { RequestDirectives } from './directiveTable';
import { splitShellWords, type ShellWord } from './shellWords';
import type { SourceLines } from './sourceLines';
import { formEncode } from '../model/formEncode';

/** A piece of the body: literal text, or a file read when the request is sent. Offsets are those of the option's word. */
export type CurlBodyPart =
  | { readonly kind: 'text'; readonly text: string; readonly start: number; readonly end: number; readonly encodeSubstitutions?: 'form-urlencoded' }
  | { readonly kind: 'file'; readonly path: string; readonly start: number; readonly end: number };

export interface CurlHeader {
  readonly name: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

export interface CurlRequest {
  readonly method: string;
  readonly url: string;
  /** Offsets of the URL's word. */
  readonly urlStart: number;
  readonly urlEnd: number;
  readonly headers: readonly CurlHeader[];
  readonly body: readonly CurlBodyPart[];
  readonly timeoutMs?: number;
  readonly connectionTimeoutMs?: number;
}

export interface CurlProblem {
  readonly start: number;
  readonly end: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
}

export interface ParsedCurl {
  /** Absent when the command has no URL (a problem says so). */
  readonly request?: CurlRequest;
  readonly problems: readonly CurlProblem[];
  /** The command ends inside quotes or with a continuation: more lines belong to it. */
  readonly incomplete: boolean;
}

/** True when `text` starts with the word `curl`. */
export function isCurlCommand(text: string): boolean {
  return /^\s*curl(?:\s|$)/.test(text);
}

/** Whether a command that starts `text` goes on past its end (open quote, trailing `\` or `^`). */
export function curlCommandContinues(text: string): boolean {
  return splitShellWords(text).incomplete;
}

/** The boundary of multipart bodies made from `-F`: fixed, so the same command gives the same request. */
export const curlFormBoundary = 'HttpSessionCurlFormBoundary';

type Action =
  | 'method' | 'header' | 'data' | 'data-raw' | 'data-binary' | 'data-urlencode' | 'json' | 'form' | 'form-string'
  | 'user' | 'cookie' | 'user-agent' | 'referer' | 'get' | 'head' | 'compressed' | 'url' | 'max-time' | 'connect-timeout'
  | 'oauth2-bearer' | 'insecure' | 'proxy' | 'ignore' | 'ignore-value' | 'not-supported' | 'not-supported-value';

interface Option {
  readonly action: Action;
  readonly takesValue: boolean;
}

const withValue = (action: Action): Option => ({ action, takesValue: true });
const flag = (action: Action): Option => ({ action, takesValue: false });

/** Long options by name (without `--`). */
const longOptions: ReadonlyMap<string, Option> = new Map([
  ['request', withValue('method')],
  ['header', withValue('header')],
  ['data', withValue('data')],
  ['data-ascii', withValue('data')],
  ['data-raw', withValue('data-raw')],
  ['data-binary', withValue('data-binary')],
  ['data-urlencode', withValue('data-urlencode')],
  ['json', withValue('json')],
  ['form', withValue('form')],
  ['form-string', withValue('form-string')],
  ['user', withValue('user')],
  ['cookie', withValue('cookie')],
  ['user-agent', withValue('user-agent')],
  ['referer', withValue('referer')],
  ['get', flag('get')],
  ['head', flag('head')],
  ['compressed', flag('compressed')],
  ['url', withValue('url')],
  ['max-time', withValue('max-time')],
  ['connect-timeout', withValue('connect-timeout')],
  ['oauth2-bearer', withValue('oauth2-bearer')],
  ['insecure', flag('insecure')],
  ['proxy', withValue('proxy')],
  // Redirects are followed either way (see README: curl requests).
  ['location', flag('ignore')],
  ['location-trusted', flag('ignore')],
  ['max-redirs', withValue('ignore-value')],
  // What curl prints or where it writes: the response panel and the CLI show the response themselves.
  ...['silent', 'show-error', 'verbose', 'include', 'fail', 'fail-with-body', 'progress-bar', 'globoff', 'no-buffer', 'http1.1', 'http2',
    'http2-prior-knowledge', 'tr-encoding', 'no-keepalive', 'path-as-is', 'remote-name', 'remote-header-name', 'no-progress-meter', 'raw',
    'ipv4', 'ipv6', 'tcp-nodelay', 'fail-early', 'styled-output', 'no-styled-output', 'show-headers'].map((name) => [name, flag('ignore')] as const),
  ...['output', 'write-out', 'dump-header', 'cookie-jar', 'retry', 'retry-delay', 'retry-max-time', 'trace', 'trace-ascii', 'stderr', 'config',
    'output-dir', 'keepalive-time', 'expect100-timeout'].map((name) => [name, withValue('ignore-value')] as const),
  ...['digest', 'ntlm', 'negotiate', 'anyauth', 'http0.9', 'http3', 'upload-file'].map((name) => [name, flag('not-supported')] as const),
  ...['cert', 'key', 'cacert', 'capath', 'pass', 'resolve', 'connect-to', 'interface', 'unix-socket', 'limit-rate', 'range', 'aws-sigv4',
    'proxy-user', 'socks5', 'socks5-hostname'].map((name) => [name, withValue('not-supported-value')] as const),
]);

/** Short options by letter (`-sSL` bundles them; `-XPOST` attaches the value). */
const shortOptions: ReadonlyMap<string, Option> = new Map([
  ['X', withValue('method')],
  ['H', withValue('header')],
  ['d', withValue('data')],
  ['F', withValue('form')],
  ['u', withValue('user')],
  ['b', withValue('cookie')],
  ['A', withValue('user-agent')],
  ['e', withValue('referer')],
  ['G', flag('get')],
  ['I', flag('head')],
  ['m', withValue('max-time')],
  ['k', flag('insecure')],
  ['x', withValue('proxy')],
  ['L', flag('ignore')],
  ...['s', 'S', 'v', 'i', 'f', '#', 'g', 'N', 'O', 'J', '4', '6'].map((letter) => [letter, flag('ignore')] as const),
  ...['o', 'w', 'D', 'c', 'K'].map((letter) => [letter, withValue('ignore-value')] as const),
  ['T', withValue('not-supported-value')],
  ['E', withValue('not-supported-value')],
  ['r', withValue('not-supported-value')],
  ['0', flag('not-supported')],
]);

/** Parses a curl command line (`curl …`, continuations included) into a request. Never throws. */
export function parseCurlCommand(text: string): ParsedCurl {
  const split = splitShellWords(text);
  const reader = new CurlReader(text);
  const words = split.words;
  if (split.endOfCommand !== undefined) {
    reader.problem(split.endOfCommand, text.trimEnd().length, 'warning', 'curl-shell-syntax', `The shell text from "${text.slice(split.endOfCommand, split.endOfCommand + 2).trim()}" on is not part of the curl command and is ignored`);
  }
  if (split.incomplete) {
    reader.problem(words.at(-1)?.end ?? 0, text.trimEnd().length, 'error', 'curl-unterminated', 'The curl command ends inside quotes or with a line continuation');
  }
  let index = words[0]?.value === 'curl' ? 1 : 0;
  let optionsEnded = false;
  while (index < words.length) {
    const word = words[index++];
    if (optionsEnded || !word.value.startsWith('-') || word.value === '-') {
      reader.addUrl(word);
    } else if (word.value === '--') {
      optionsEnded = true;
    } else if (word.value.startsWith('--')) {
      const name = word.value.slice(2);
      const option = longOptions.get(name);
      if (!option) {
        reader.problem(word.start, word.end, 'warning', 'curl-unknown-option', `curl option ${word.value} is not known here and is ignored`);
        continue;
      }
      if (option.takesValue && index >= words.length) {
        reader.problem(word.start, word.end, 'error', 'curl-missing-value', `curl option ${word.value} needs a value`);
        continue;
      }
      reader.apply(option.action, word.value, word, option.takesValue ? words[index++] : undefined);
    } else {
      // Short options, possibly bundled: `-sSL`, `-XPOST`, `-H'…'`.
      for (let at = 1; at < word.value.length; at++) {
        const letter = word.value[at];
        const option = shortOptions.get(letter);
        if (!option) {
          reader.problem(word.start, word.end, 'warning', 'curl-unknown-option', `curl option -${letter} is not known here and is ignored`);
          continue;
        }
        if (!option.takesValue) {
          reader.apply(option.action, `-${letter}`, word);
          continue;
        }
        const attached = word.value.slice(at + 1);
        if (attached !== '') reader.apply(option.action, `-${letter}`, word, { value: attached, start: word.start, end: word.end });
        else if (index < words.length) reader.apply(option.action, `-${letter}`, word, words[index++]);
        else reader.problem(word.start, word.end, 'error', 'curl-missing-value', `curl option -${letter} needs a value`);
        break;
      }
    }
  }
  return { ...reader.finish(), incomplete: split.incomplete };
}

/** What a curl command written in a `.http` file gives its request, with ranges in that file. */
export interface CurlTemplate {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderTemplate[];
  readonly body?: BodySegment[];
  readonly directives: RequestDirectives;
  readonly diagnostics: Diagnostic[];
}

/** Reads the curl command at offsets [from, to) of a file's `text`; only diagnostics when it has no URL. */
export function readCurlTemplate(text: string, from: number, to: number, lines: SourceLines): CurlTemplate | { diagnostics: Diagnostic[] } {
  const parsed = parseCurlCommand(text.slice(from, to));
  const rangeOf = (start: number, end: number): SourceRange => {
    const first = positionOf(lines, from + start);
    const last = positionOf(lines, from + end);
    return sourceRange(first.line, first.column, last.line, last.column);
  };
  const diagnostics = parsed.problems.map(({ start, end, severity, code, message }) => ({ range: rangeOf(start, end), severity, code, message }));
  const request = parsed.request;
  if (!request) return { diagnostics };
  const directives: RequestDirectives = {};
  if (request.timeoutMs !== undefined) directives.timeoutMs = request.timeoutMs;
  if (request.connectionTimeoutMs !== undefined) directives.connectionTimeoutMs = request.connectionTimeoutMs;
  const body = request.body.map((part): BodySegment => {
    const range = rangeOf(part.start, part.end);
    if (part.kind === 'file') return { kind: 'file', path: part.path, substitute: false, range };
    return part.encodeSubstitutions ? { kind: 'text', text: part.text, range, encodeSubstitutions: part.encodeSubstitutions } : { kind: 'text', text: part.text, range };
  });
  return {
    method: request.method,
    url: request.url,
    headers: request.headers.map((header) => ({ name: header.name, value: header.value, range: rangeOf(header.start, header.end) })),
    ...(body.length > 0 ? { body } : {}),
    directives,
    diagnostics,
  };
}

/** Line and column of `offset` in the file. */
function positionOf(lines: SourceLines, offset: number): { line: number; column: number } {
  let low = 0;
  let high = lines.count - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lines.starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, column: offset - lines.starts[low] };
}

/** The state of one command while its words are read. */
class CurlReader {
  private method: string | undefined;
  private url: ShellWord | undefined;
  private readonly headers: CurlHeader[] = [];
  /** `-d` and friends, joined with `&`. */
  private readonly data: CurlBodyPart[][] = [];
  private json = false;
  private readonly formParts: CurlBodyPart[][] = [];
  private get = false;
  private head = false;
  private compressed = false;
  private timeoutMs: number | undefined;
  private connectionTimeoutMs: number | undefined;
  private readonly problems: CurlProblem[] = [];

  constructor(private readonly text: string) {}

  problem(start: number, end: number, severity: Severity, code: string, message: string): void {
    this.problems.push({ start, end, severity, code, message });
  }

  addUrl(word: ShellWord): void {
    if (this.url) this.problem(word.start, word.end, 'warning', 'curl-extra-url', `Only the first URL of a curl command is sent; ${word.value} is ignored`);
    else this.url = word;
  }

  apply(action: Action, option: string, word: ShellWord, value?: ShellWord): void {
    const { start, end } = value ? { start: word.start, end: value.end } : word;
    const argument = value?.value ?? '';
    switch (action) {
      case 'method':
        this.method = argument.toUpperCase();
        return;
      case 'header':
        return this.addHeaderLine(argument, start, end, option);
      case 'data':
        return this.addData(argument.startsWith('@') ? [this.fileOrStdin(argument.slice(1), start, end, option)] : [{ kind: 'text', text: argument, start, end }]);
      case 'data-binary':
        return this.addData(argument.startsWith('@') ? [this.fileOrStdin(argument.slice(1), start, end, option)] : [{ kind: 'text', text: argument, start, end }]);
      case 'data-raw':
        return this.addData([{ kind: 'text', text: argument, start, end }]);
      case 'data-urlencode':
        return this.addData([this.urlEncoded(argument, start, end)]);
      case 'json':
        this.json = true;
        return this.addData(argument.startsWith('@') ? [this.fileOrStdin(argument.slice(1), start, end, option)] : [{ kind: 'text', text: argument, start, end }]);
      case 'form':
      case 'form-string':
        return this.addFormPart(argument, start, end, action === 'form-string');
      case 'user':
        // Encoded when the request is sent, as a hand-written `Basic user:password` header is.
        this.headers.push({ name: 'Authorization', value: `Basic ${argument.includes(':') ? argument : `${argument}:`}`, start, end });
        return;
      case 'oauth2-bearer':
        this.headers.push({ name: 'Authorization', value: `Bearer ${argument}`, start, end });
        return;
      case 'cookie':
        if (argument.includes('=')) this.headers.push({ name: 'Cookie', value: argument, start, end });
        // `-b ''` only turns curl's cookie engine on: the session's jar always is.
        else if (argument !== '') this.problem(start, end, 'warning', 'curl-cookie-file', `${option} ${argument} reads cookies from a file, which a request here does not; import the file into the session with "HTTP Session: Import Cookies" or \`http-session cookies import\``);
        return;
      case 'user-agent':
        this.headers.push({ name: 'User-Agent', value: argument, start, end });
        return;
      case 'referer':
        this.headers.push({ name: 'Referer', value: argument.replace(/;auto$/, ''), start, end });
        return;
      case 'get':
        this.get = true;
        return;
      case 'head':
        this.head = true;
        return;
      case 'compressed':
        this.compressed = true;
        return;
      case 'url':
        if (value) this.addUrl(value);
        return;
      case 'max-time':
      case 'connect-timeout': {
        const seconds = Number(argument);
        if (!Number.isFinite(seconds) || seconds < 0 || argument.trim() === '') {
          this.problem(start, end, 'warning', 'curl-invalid-value', `${option} takes seconds, such as ${option} 30; "${argument}" is ignored`);
        } else if (action === 'max-time') {
          this.timeoutMs = Math.round(seconds * 1000);
        } else {
          this.connectionTimeoutMs = Math.round(seconds * 1000);
        }
        return;
      }
      case 'insecure':
        this.problem(start, end, 'warning', 'curl-not-applied', `${option} is not applied: certificate checks are set per host in the httpSession.tls setting ("rejectUnauthorized": false)`);
        return;
      case 'proxy':
        this.problem(start, end, 'warning', 'curl-not-applied', `${option} is not applied: the session's proxy is the httpSession.proxy setting (or http.proxy, HTTPS_PROXY)`);
        return;
      case 'not-supported':
      case 'not-supported-value':
        this.problem(start, end, 'warning', 'curl-not-supported', `curl option ${option} is not supported here and is ignored`);
        return;
      case 'ignore':
      case 'ignore-value':
        return;
    }
  }

  finish(): { request?: CurlRequest; problems: CurlProblem[] } {
    if (!this.url) {
      this.problem(0, this.text.trimEnd().length, 'error', 'curl-missing-url', 'The curl command has no URL');
      return { problems: this.problems };
    }
    let url = this.url.value;
    const headers = [...this.headers];
    const has = (name: string): boolean => headers.some((header) => header.name.toLowerCase() === name);
    const whole = { start: 0, end: this.text.trimEnd().length };
    let body: CurlBodyPart[] = [];
    if (this.formParts.length > 0) {
      if (this.data.length > 0) this.problem(whole.start, whole.end, 'warning', 'curl-form-and-data', 'A curl command cannot send both -F and -d; the -d data is ignored');
      body = this.multipartBody();
      if (!has('content-type')) headers.push({ name: 'Content-Type', value: `multipart/form-data; boundary=${curlFormBoundary}`, ...whole });
    } else if (this.data.length > 0 && this.get) {
      // -G: the data goes into the query string.
      const query = this.data.map((parts) => parts.map((part) => (part.kind === 'text' ? part.text : '')).join('')).join('&');
      url += (url.includes('?') ? '&' : '?') + query;
    } else if (this.data.length > 0) {
      body = this.data.flatMap((parts, index) => (index === 0 || this.json ? parts : [{ kind: 'text' as const, text: '&', ...whole }, ...parts]));
      if (this.json) {
        if (!has('content-type')) headers.push({ name: 'Content-Type', value: 'application/json', ...whole });
        if (!has('accept')) headers.push({ name: 'Accept', value: 'application/json', ...whole });
      } else if (!has('content-type')) {
        headers.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded', ...whole });
      }
    }
    if (this.compressed && !has('accept-encoding')) headers.push({ name: 'Accept-Encoding', value: 'gzip, deflate, br', ...whole });
    const method = this.method ?? (this.head ? 'HEAD' : body.length > 0 ? 'POST' : 'GET');
    const request: CurlRequest = {
      method,
      url,
      urlStart: this.url.start,
      urlEnd: this.url.end,
      headers,
      body,
      ...(this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {}),
      ...(this.connectionTimeoutMs !== undefined ? { connectionTimeoutMs: this.connectionTimeoutMs } : {}),
    };
    return { request, problems: this.problems };
  }

  /** `-H 'Name: value'`; `-H 'Name;'` sends an empty header; `-H 'Name:'` removes one curl would add (nothing to do here). */
  private addHeaderLine(line: string, start: number, end: number, option: string): void {
    if (line.startsWith('@')) {
      this.problem(start, end, 'warning', 'curl-not-supported', `${option} @file (headers from a file) is not supported here and is ignored`);
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      if (line.endsWith(';') && line.length > 1) this.headers.push({ name: line.slice(0, -1).trim(), value: '', start, end });
      else this.problem(start, end, 'warning', 'curl-malformed-header', `${option} "${line}" is not a header (Name: value) and is ignored`);
      return;
    }
    const value = line.slice(colon + 1).trim();
    if (value !== '') this.headers.push({ name: line.slice(0, colon).trim(), value, start, end });
  }

  private addData(parts: CurlBodyPart[]): void {
    this.data.push(parts);
  }

  /** `@-` reads standard input, which a pasted command has none of. */
  private fileOrStdin(path: string, start: number, end: number, option: string): CurlBodyPart {
    if (path === '-') {
      this.problem(start, end, 'warning', 'curl-stdin', `${option} @- reads standard input, which a request here has none of; the body is empty`);
      return { kind: 'text', text: '', start, end };
    }
    return { kind: 'file', path, start, end };
  }

  /** `--data-urlencode`: `content`, `=content`, `name=content`; the `@file` forms are not supported. */
  private urlEncoded(argument: string, start: number, end: number): CurlBodyPart {
    const equals = argument.indexOf('=');
    const at = argument.indexOf('@');
    if (at >= 0 && (equals < 0 || at < equals)) {
      this.problem(start, end, 'warning', 'curl-not-supported', `--data-urlencode ${argument}: reading the value from a file is not supported; it is sent as written`);
      return { kind: 'text', text: argument, start, end };
    }
    const name = equals > 0 ? argument.slice(0, equals) : '';
    const content = equals >= 0 ? argument.slice(equals + 1) : argument;
    // `{{variables}}` stay as written; their values are encoded when substituted.
    const encoded = content
      .split(/(\{\{.*?\}\})/)
      .map((piece, index) => (index % 2 === 1 ? piece : formEncode(piece)))
      .join('');
    return { kind: 'text', text: name ? `${name}=${encoded}` : encoded, start, end, encodeSubstitutions: 'form-urlencoded' };
  }

  /** `-F name=value`, `-F name=@path;type=…;filename=…` (a file part), `-F name=<path` (a field read from a file). */
  private addFormPart(argument: string, start: number, end: number, literal: boolean): void {
    const equals = argument.indexOf('=');
    if (equals <= 0) {
      this.problem(start, end, 'warning', 'curl-malformed-form', `-F "${argument}" is not a form field (name=value) and is ignored`);
      return;
    }
    const name = argument.slice(0, equals);
    const content = argument.slice(equals + 1);
    const opening = `--${curlFormBoundary}\nContent-Disposition: form-data; name="${name}"`;
    if (!literal && (content.startsWith('@') || content.startsWith('<'))) {
      const [path, ...attributes] = content.slice(1).split(';');
      const attribute = (key: string): string | undefined =>
        attributes.map((item) => item.trim()).find((item) => item.startsWith(`${key}=`))?.slice(key.length + 1).replace(/^"(.*)"$/, '$1');
      const fileName = attribute('filename') ?? path.split(/[\\/]/).pop();
      const type = attribute('type');
      const disposition = content.startsWith('@') ? `${opening}; filename="${fileName}"` : opening;
      const header = type ? `${disposition}\nContent-Type: ${type}` : disposition;
      this.formParts.push([
        { kind: 'text', text: `${header}\n\n`, start, end },
        { kind: 'file', path, start, end },
        { kind: 'text', text: '\n', start, end },
      ]);
      return;
    }
    this.formParts.push([{ kind: 'text', text: `${opening}\n\n${content}\n`, start, end }]);
  }

  private multipartBody(): CurlBodyPart[] {
    const last = this.formParts.at(-1)!.at(-1)!;
    return [...this.formParts.flat(), { kind: 'text', text: `--${curlFormBoundary}--\n`, start: last.start, end: last.end }];
  }
}

