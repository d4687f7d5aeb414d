// Exports a request file as a Python `requests.Session` program: the flow, not one snippet per
// request. Every `{{…}}` becomes Python: file and public environment values as constants at the top,
// private values read from os.environ (never written into the script), chained values looked up on
// the earlier response, CSRF sent by a small session class the way our session sends it.
import { posix, relative, dirname, resolve as resolvePath, sep } from 'node:path';
import type { HeaderList } from '../model/exchange';
import type { TlsOptions } from '../session/defaults';
import type { BodySegment, ParsedFile, RequestTemplate, ResponseHandler } from '../model/request';
import { findReferenceSpans } from '../parse/variableReferences';
import { isSecretName } from '../secrets';
import { parseChainReference, type ChainReference } from '../vars/chaining';
import { parseDynamicExpression, type DynamicCall, type TimeOffset } from '../vars/dynamicVariables';
import type { EnvironmentSet } from '../vars/environments';
import { helperImports, helperSource, pyString, withDependencies, type PythonCsrfNames, type PythonHelper } from './pythonHelpers';

export interface PythonExportOptions {
  readonly file: ParsedFile;
  /** Absolute path of the request file: names the script and anchors relative file bodies. */
  readonly requestFile: string;
  readonly environments: EnvironmentSet;
  readonly environmentName?: string;
  /** Only these of the file's requests (in file order); all when absent. */
  readonly requests?: readonly RequestTemplate[];
  readonly csrf: PythonCsrfNames & { readonly mode: 'auto' | 'off' };
  /** The session's default headers and proxy (the extension's settings). */
  readonly defaultHeaders?: HeaderList;
  readonly proxy?: string;
  /** The session's TLS settings by host (`httpSession.tls`). */
  readonly tls?: Readonly<Record<string, TlsOptions>>;
}

export interface PythonExport {
  readonly script: string;
  /** Environment variables the script reads (private values, $processEnv, undefined names). */
  readonly environmentVariables: readonly string[];
}

/** What each kind of handler is called in the TODO comment that keeps its text. */
const handlerDescriptions: Readonly<Record<ResponseHandler['kind'], string>> = {
  script: 'a JetBrains response handler',
  scriptFile: 'a JetBrains response handler',
  output: 'a JetBrains output redirect',
  reference: 'a JetBrains output redirect',
  httpYacScript: 'an httpYac script block',
  assertion: 'an httpYac ?? assertion',
};

const methodsWithShortcut = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const pythonKeywords = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield json os re requests session sessions time uuid random'.split(' '),
);
/** Secret-named default headers are read from the environment, like private values. */
const secretHeader = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token)$|token|secret|password/i;

/** A problem that makes a value depend on one request (a chain, a dynamic value): it cannot be a constant. */
class NeedsRequestScope extends Error {}

interface Scope {
  /** Lines that assign the request's locals, in order. */
  readonly lines: string[];
  /** Expression → the local or constant that holds it. */
  readonly names: Map<string, string>;
  /** The Python expression of the request's URL, once known (for `$cookie`). */
  urlExpression?: string;
}

export function exportPythonScript(options: PythonExportOptions): PythonExport {
  return new PythonScriptWriter(options).write();
}

class PythonScriptWriter {
  private readonly imports = new Set<string>(['import requests']);
  private readonly helpers = new Set<PythonHelper>(['session', 'report']);
  private readonly constants: string[] = [];
  private readonly constantOf = new Map<string, string>();
  private readonly perRequestVariables = new Set<string>();
  private readonly resolving: string[] = [];
  private readonly environmentVariables = new Map<string, string>();
  private readonly usedNames = new Set<string>(['session', 'response', 'HERE']);
  /** `@name` → the Python variable holding that request's response, once the script has sent it. */
  private readonly requestVariable = new Map<string, string>();
  private readonly sessionVariable = new Map<string, string>();
  private readonly fileVariables: Map<string, string>;
  private readonly environment: ReturnType<EnvironmentSet['variables']>;
  /** A file body is read relative to the script: `HERE` is defined. */
  private usesHere = false;

  constructor(private readonly options: PythonExportOptions) {
    this.fileVariables = new Map(options.file.fileVariables.map((variable) => [variable.name, variable.value]));
    this.environment = options.environments.variables(options.environmentName);
  }

  write(): PythonExport {
    const requests = this.options.requests ?? this.options.file.requests;
    const body: string[] = [];
    for (const request of requests) body.push('', ...this.request(request));
    const head = this.head();
    const script = [...head, ...body].join('\n') + '\n';
    return { script, environmentVariables: [...this.environmentVariables.keys()] };
  }

  // ------------------------------------------------------------ the parts around the requests

  private head(): string[] {
    const fileName = posix.basename(this.options.requestFile.split(sep).join('/'));
    const lines = ['#!/usr/bin/env python3', `"""${fileName} as a requests.Session script, exported by HTTP Session.`];
    if (this.options.environmentName) lines.push('', `Environment: ${this.options.environmentName}.`);
    if (this.environmentVariables.size > 0) {
      lines.push('', 'Set these environment variables first (private values are never written here):');
      for (const [name, why] of this.environmentVariables) lines.push(`    ${name}  (${why})`);
    }
    lines.push('"""');
    const helpers = withDependencies(this.helpers);
    const imports = new Set([...this.imports, ...helpers.flatMap(helperImports)]);
    if (helpers.includes('dotenv') || this.constants.some((line) => line.includes('HERE /')) || this.usesHere) imports.add('from pathlib import Path');
    lines.push('', ...sortImports(imports));
    for (const helper of helpers) lines.push('', '', helperSource(helper, this.options.csrf));
    lines.push('', '');
    if (helpers.includes('dotenv') || this.usesHere) lines.push('HERE = Path(__file__).resolve().parent');
    lines.push(...this.constants);
    lines.push('', ...this.sessionSetup('session'));
    for (const [name, variable] of this.sessionVariable) lines.push('', `# Named session "${name}" (# @session ${name}): cookies of its own.`, ...this.sessionSetup(variable));
    return lines;
  }

  private sessionSetup(variable: string): string[] {
    const lines = [`${variable} = HttpSession()`];
    const headers: string[] = [];
    for (const [name, value] of this.options.defaultHeaders ?? []) {
      const python = secretHeader.test(name) ? this.fromEnvironment(envNameFor(`HTTP_SESSION_${name}`), `the ${name} default header`) : pyString(value);
      headers.push(`    ${pyString(name)}: ${python},`);
    }
    if (headers.length > 0) lines.push(`${variable}.headers.update({`, ...headers, '})');
    if (this.options.proxy) lines.push(`${variable}.proxies = {"http": ${pyString(this.options.proxy)}, "https": ${pyString(this.options.proxy)}}`);
    // requests has one verify/cert per session, not per host: say what the settings asked for.
    for (const [host, tls] of Object.entries(this.options.tls ?? {})) {
      if (tls.rejectUnauthorized === false) lines.push(`${variable}.verify = False  # httpSession.tls["${host}"]: certificates not checked (requests applies it to every host)`);
      if (tls.ca) lines.push(`# TODO: httpSession.tls["${host}"] trusts its own CA: ${variable}.verify = "path/to/ca.pem"`);
      if (tls.cert || tls.key) lines.push(`# TODO: httpSession.tls["${host}"] sends a client certificate: ${variable}.cert = ("path/to/cert.pem", "path/to/key.pem")`);
    }
    return lines;
  }

  // ------------------------------------------------------------ one request

  private request(request: RequestTemplate): string[] {
    const scope: Scope = { lines: [], names: new Map() };
    const lines: string[] = [`# ${request.title ?? request.name ?? `${request.method} ${request.url}`}`];
    // `# @prompt`: the script asks too, each time it runs this request.
    for (const { name, description } of request.directives.prompts ?? []) {
      const secret = isSecretName(name);
      if (secret) this.imports.add('import getpass');
      const question = pyString(`${description ?? name}: `);
      this.local(name, scope, secret ? `getpass.getpass(${question})` : `input(${question})`);
    }

    const headers = request.headers.map((header) => [header.name, header.value] as const);
    const hostIndex = headers.findIndex(([name]) => name.toLowerCase() === 'host');
    let url = request.url;
    if (url.startsWith('/') && hostIndex !== -1) url = `http://${headers[hostIndex]![1]}${url}`;
    else if (!/^\{\{|^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
    const urlExpression = this.template(url, scope);
    scope.urlExpression = urlExpression;

    const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
    const body = this.body(request.body ?? [], contentType, scope);
    const headerLines: string[] = [];
    for (const [index, [name, value]] of headers.entries()) {
      if (index === hostIndex && request.url.startsWith('/')) continue;
      if (body.dropContentType && name.toLowerCase() === 'content-type') continue;
      headerLines.push(`    ${pyString(name)}: ${this.template(value, scope)},`);
    }

    const directives = request.directives;
    const target = directives.noCookieJar ? 'requests' : this.sessionFor(directives.session);
    const method = request.method.toUpperCase();
    const shortcut = methodsWithShortcut.has(method) && target !== 'requests';
    const call = shortcut ? `${target}.${method.toLowerCase()}(` : `${target}.request(`;
    const args: string[] = [...(shortcut ? [] : [`${pyString(method)},`]), `${urlExpression},`];
    if (headerLines.length > 0) args.push('headers={', ...headerLines, '},');
    args.push(...body.arguments.map((argument) => `${argument},`));
    if (directives.noRedirect) args.push('allow_redirects=False,');
    else if (method === 'HEAD') args.push('allow_redirects=True,');
    const timeout = timeoutOf(directives.timeoutMs, directives.connectionTimeoutMs);
    if (timeout) args.push(`timeout=${timeout},`);
    if ((directives.csrf === 'off' || this.options.csrf.mode === 'off') && target !== 'requests') args.push('csrf=False,');

    const variable = request.name ? this.requestVariableFor(request.name) : 'response';
    if (directives.noCookieJar) lines.push('# @no-cookie-jar: sent outside the session (no cookies in or out).');
    lines.push(...body.comments, ...scope.lines, `${variable} = report(`, `    ${call}`, ...args.map((line) => `        ${line}`), '    )', ')');
    for (const handler of request.handlers) {
      lines.push(`# TODO: ${handlerDescriptions[handler.kind]} was not exported; it reads:`);
      for (const line of handler.text.split(/\r?\n/)) lines.push(line.trim() ? `#   ${line.trimEnd()}` : '#');
    }
    return lines;
  }

  private sessionFor(name: string | undefined): string {
    if (!name || name === 'default') return 'session';
    let variable = this.sessionVariable.get(name);
    if (!variable) {
      variable = this.uniqueName(`${snake(name)}_session`);
      this.sessionVariable.set(name, variable);
    }
    return variable;
  }

  private requestVariableFor(name: string): string {
    let variable = this.requestVariable.get(name);
    if (!variable) {
      variable = this.uniqueName(snake(name));
      this.requestVariable.set(name, variable);
    }
    return variable;
  }

  // ------------------------------------------------------------ bodies

  private body(segments: readonly BodySegment[], contentType: string, scope: Scope): { arguments: string[]; comments: string[]; dropContentType: boolean } {
    if (segments.length === 0) return { arguments: [], comments: [], dropContentType: false };
    if (segments.length === 1 && segments[0]!.kind === 'file') {
      const { expression, comments } = this.fileBytes(segments[0]!);
      return { arguments: [`data=${expression}`], comments, dropContentType: false };
    }
    if (/multipart\/form-data/i.test(contentType)) {
      const multipart = this.multipart(segments, contentType, scope);
      if (multipart) return multipart;
    }
    if (segments.every((segment) => segment.kind === 'text')) {
      const text = segments.map((segment) => (segment.kind === 'text' ? segment.text : '')).join('');
      const encodeValues = segments.some((segment) => segment.kind === 'text' && segment.encodeSubstitutions === 'form-urlencoded');
      if (/application\/x-www-form-urlencoded/i.test(contentType) || encodeValues) {
        const form = this.form(text, scope);
        if (form) return { arguments: [`data=${form}`], comments: [], dropContentType: false };
      }
      if (/json/i.test(contentType) && findReferenceSpans(text).spans.length === 0) {
        try {
          return { arguments: [`json=${pyValue(JSON.parse(text), 2)}`], comments: [], dropContentType: false };
        } catch {
          // Not JSON after all: sent as the text it is.
        }
      }
      return { arguments: [`data=${this.bytesTemplate(text, scope)}`], comments: [], dropContentType: false };
    }
    // Text and file pieces mixed: joined in order, as the file sends them.
    const parts = segments.map((segment) => (segment.kind === 'text' ? this.bytesTemplate(segment.text, scope) : this.fileBytes(segment).expression));
    return { arguments: [`data=${parts.join(' + ')}`], comments: [], dropContentType: false };
  }

  /** The bytes of a file include, from a path relative to the script (it is written next to the request file). */
  private fileBytes(segment: Extract<BodySegment, { kind: 'file' }>): { expression: string; comments: string[] } {
    this.usesHere = true;
    const absolute = resolvePath(dirname(this.options.requestFile), segment.path);
    const path = relative(dirname(this.options.requestFile), absolute).split(sep).join('/');
    if (!segment.substitute) return { expression: `(HERE / ${pyString(path)}).read_bytes()`, comments: [] };
    return {
      expression: `(HERE / ${pyString(path)}).read_bytes()`,
      comments: [`# TODO: HTTP Session substitutes {{variables}} in ${path} (<@); this script sends the file as it is.`],
    };
  }

  /** `a=1&b={{x}}` as a dict for `data=` (requests encodes it); undefined when it is not plain pairs. */
  private form(text: string, scope: Scope): string | undefined {
    const trimmed = text.trim();
    if (trimmed === '' || /[\r\n]/.test(trimmed)) return undefined;
    const pairs: string[] = [];
    for (const pair of trimmed.split('&')) {
      const equals = pair.indexOf('=');
      if (equals <= 0) return undefined;
      const name = decodeForm(pair.slice(0, equals));
      const value = pair.slice(equals + 1);
      if (name === undefined) return undefined;
      // Literal parts are already url-encoded in the file: decode them, requests encodes them again.
      const decoded = decodeFormKeepingReferences(value);
      if (decoded === undefined) return undefined;
      pairs.push(`${pyString(name)}: ${this.template(decoded, scope)}`);
    }
    return `{${pairs.join(', ')}}`;
  }

  private multipart(segments: readonly BodySegment[], contentType: string, scope: Scope) {
    const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
    if (!boundary) return undefined;
    // Pieces in order: text, or a file standing for the content of the part it is in.
    const data: string[] = [];
    const files: string[] = [];
    const comments: string[] = [];
    const text = segments.map((segment, index) => (segment.kind === 'text' ? segment.text : `\u0000file${index}\u0000`)).join('');
    const delimiter = `--${boundary}`;
    const parts = text.split(delimiter).slice(1);
    for (const raw of parts) {
      if (raw.startsWith('--')) break;
      const part = raw.replace(/^\r?\n/, '');
      const split = /\r?\n\r?\n/.exec(part);
      if (!split) return undefined;
      const head = part.slice(0, split.index);
      const content = part.slice(split.index + split[0].length).replace(/\r?\n$/, '');
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      if (name === undefined) return undefined;
      const fileName = /filename="([^"]*)"/i.exec(head)?.[1];
      const type = /^content-type:\s*(.+)$/im.exec(head)?.[1]?.trim();
      const fileMarker = /^\u0000file(\d+)\u0000\s*$/.exec(content);
      let value: string;
      if (fileMarker) {
        const fileSegment = segments[Number(fileMarker[1])] as Extract<BodySegment, { kind: 'file' }>;
        const bytes = this.fileBytes(fileSegment);
        comments.push(...bytes.comments);
        value = bytes.expression;
      } else if (content.includes('\u0000')) {
        return undefined;
      } else {
        value = this.template(content, scope);
      }
      if (fileName !== undefined || fileMarker) {
        const tuple = [pyString(fileName ?? name), value, ...(type ? [pyString(type)] : [])];
        files.push(`${pyString(name)}: (${tuple.join(', ')})`);
      } else {
        data.push(`${pyString(name)}: ${value}`);
      }
    }
    const args = [...(data.length > 0 ? [`data={${data.join(', ')}}`] : []), `files={${files.join(', ')}}`];
    // requests writes the boundary itself, in its own Content-Type.
    return { arguments: args, comments, dropContentType: true };
  }

  // ------------------------------------------------------------ {{variables}} → Python

  /** A Python expression for a text with `{{…}}`: a string literal, a name, or an f-string. */
  private template(text: string, scope: Scope | undefined): string {
    const { spans } = findReferenceSpans(text);
    if (spans.length === 0) return pyString(text);
    const names = spans.map((span) => this.expression(span.expression, scope));
    if (spans.length === 1 && spans[0]!.start === 0 && spans[0]!.end === text.length) return names[0]!;
    let out = '';
    let last = 0;
    for (const [index, span] of spans.entries()) {
      out += fStringLiteral(text.slice(last, span.start)) + `{${names[index]}}`;
      last = span.end;
    }
    out += fStringLiteral(text.slice(last));
    return `f"${out}"`;
  }

  /** A body text: a str when it is plain ASCII, else its UTF-8 bytes (requests sends str bodies as Latin-1). */
  private bytesTemplate(text: string, scope: Scope): string {
    const expression = this.template(text, scope);
    // eslint-disable-next-line no-control-regex
    return /^[\x00-\x7f]*$/.test(text) && findReferenceSpans(text).spans.length === 0 ? expression : `${expression}.encode("utf-8")`;
  }

  /** The Python name holding `{{expression}}`'s value; `scope` undefined = at the top of the script. */
  private expression(expression: string, scope: Scope | undefined): string {
    const known = this.constantOf.get(expression) ?? scope?.names.get(expression);
    if (known) return known;
    if (expression.startsWith('$')) return this.dynamic(expression, scope);
    const chain = parseChainReference(expression);
    if (chain && !('error' in chain)) return this.chain(chain, expression, scope);
    return this.named(expression, scope);
  }

  private named(name: string, scope: Scope | undefined): string {
    if (this.resolving.includes(name)) {
      return this.local(name, scope, `""  # TODO: variable cycle ${[...this.resolving.slice(this.resolving.indexOf(name)), name].join(' → ')}`);
    }
    const fromFile = this.fileVariables.get(name);
    const fromEnvironment = fromFile === undefined ? this.environment.get(name) : undefined;
    if (fromEnvironment?.private) return this.constant(name, this.fromEnvironment(name, `private value from ${posix.basename(fromEnvironment.origin.split(sep).join('/'))}`));
    const raw = fromFile ?? fromEnvironment?.value;
    if (raw === undefined) return this.constant(name, this.fromEnvironment(name, 'not defined in the file or the environment'));
    if (!this.perRequestVariables.has(name)) {
      this.resolving.push(name);
      try {
        return this.constant(name, this.template(raw, undefined));
      } catch (error) {
        if (!(error instanceof NeedsRequestScope)) throw error;
        this.perRequestVariables.add(name);
      } finally {
        this.resolving.pop();
      }
    }
    // Depends on a response or a fresh value: computed before each request that uses it.
    if (!scope) throw new NeedsRequestScope();
    this.resolving.push(name);
    try {
      return this.local(name, scope, this.template(raw, scope));
    } finally {
      this.resolving.pop();
    }
  }

  private chain(reference: ChainReference, expression: string, scope: Scope | undefined): string {
    if (!scope) throw new NeedsRequestScope();
    const selector = reference.selector ?? '';
    const base = `${snake(reference.request)}_${snake(selector.replace(/^\$\.?/, '') || reference.part.split('.')[1]!)}`;
    const response = this.requestVariable.get(reference.request);
    if (!response) return this.local(base, scope, `""  # TODO: {{${expression}}} reads request '${reference.request}', which this script does not send before; set it by hand`, expression);
    switch (reference.part) {
      case 'response.body': {
        if (selector === '*') return this.local(base, scope, `${response}.text`, expression);
        const path = jsonPathSubscripts(selector);
        if (path === undefined) return this.local(base, scope, `""  # TODO: JSONPath ${selector} of ${response}.json() — not a simple path; take the value by hand`, expression);
        this.helpers.add('as_text');
        return this.local(base, scope, `as_text(${response}.json()${path})`, expression);
      }
      case 'request.body':
        return this.local(base, scope, `${response}.request.body.decode("utf-8") if isinstance(${response}.request.body, bytes) else ${response}.request.body or ""`, expression);
      case 'response.headers':
        return this.local(base, scope, `${response}.headers[${pyString(selector)}]`, expression);
      case 'request.headers':
        return this.local(base, scope, `${response}.request.headers[${pyString(selector)}]`, expression);
      case 'response.cookies':
        return this.local(base, scope, `cookie_value(session.cookies, ${pyString(selector)}, ${response}.url)`, expression);
      case 'response.csrf':
        this.helpers.add('form_field');
        return this.local(`${snake(reference.request)}_csrf`, scope, `form_field(${response}.text, ${pyString(this.options.csrf.fieldName)})`, expression);
    }
  }

  private dynamic(expression: string, scope: Scope | undefined): string {
    const parsed = parseDynamicExpression(expression);
    if ('error' in parsed) return this.local('value', scope, `""  # TODO: ${expression}: ${parsed.error}`, expression);
    const call: DynamicCall = parsed.call;
    switch (call.fn) {
      case 'processEnv':
        return this.constant(expression, call.indirect ? `os.environ[${this.expression(call.name, scope)}]` : this.fromEnvironment(call.name, '$processEnv'));
      case 'dotenv':
        this.helpers.add('dotenv');
        return this.constant(expression, `dotenv(${call.indirect ? this.expression(call.name, scope) : pyString(call.name)})`);
      case 'shared': {
        const shared = this.options.environments.shared(call.name);
        if (shared?.private) return this.constant(expression, this.fromEnvironment(call.name, 'private $shared value'));
        return this.constant(expression, shared ? pyString(shared.value) : this.fromEnvironment(call.name, 'not defined in $shared'));
      }
      case 'cookie':
        if (!scope?.urlExpression) throw new NeedsRequestScope();
        return this.local(`${snake(call.name)}_cookie`, scope, `cookie_value(session.cookies, ${pyString(call.name)}, ${scope.urlExpression})`, expression);
      case 'authToken':
      case 'authIdToken':
        // The script does not run the grant: the user passes a token in.
        return this.constant(expression, this.fromEnvironment(envNameFor(`${call.name}_${call.fn === 'authToken' ? 'token' : 'id_token'}`), `the OAuth2 token of auth configuration '${call.name}'`));
      case 'uuid':
        this.imports.add('import uuid');
        return this.local('uuid_value', scope, 'str(uuid.uuid4())', expression);
      case 'timestamp':
        this.imports.add('import time');
        return this.local('timestamp', scope, `str(int(time.time())${offsetSeconds(call.offset)})`, expression);
      case 'randomInt':
        this.imports.add('import random');
        return this.local('random_int', scope, `str(random.randrange(${call.min}, ${call.max}))`, expression);
      case 'randomFloat':
        this.imports.add('import random');
        return this.local('random_float', scope, `str(random.uniform(${call.min}, ${call.max}))`, expression);
      case 'randomText':
        this.imports.add('import random');
        return this.local('random_text', scope, `"".join(random.choices(${pyString(call.alphabet)}, k=${call.length}))`, expression);
      case 'randomEmail':
        this.imports.add('import random');
        this.imports.add('import string');
        return this.local('random_email', scope, '"".join(random.choices(string.ascii_lowercase, k=10)) + "@" + "".join(random.choices(string.ascii_lowercase, k=7)) + ".com"', expression);
      case 'isoTimestamp':
        this.imports.add('from datetime import datetime, timezone');
        return this.local('iso_timestamp', scope, 'datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")', expression);
      case 'datetime':
        this.imports.add('from datetime import datetime, timezone');
        if (call.format === 'rfc1123') {
          this.imports.add('from email.utils import format_datetime');
          return this.local('date', scope, 'format_datetime(datetime.now(timezone.utc), usegmt=True)', expression);
        }
        if (call.format === 'iso8601') return this.local('date', scope, `datetime.now(${call.local ? '' : 'timezone.utc'}).isoformat()`, expression);
        return this.local('date', scope, `datetime.now(${call.local ? '' : 'timezone.utc'}).isoformat()  # TODO: format ${call.format}`, expression);
    }
  }

  /** A constant at the top of the script, once per expression. */
  private constant(expression: string, python: string): string {
    const existing = this.constantOf.get(expression);
    if (existing) return existing;
    const name = this.uniqueName(constantName(expression));
    this.constants.push(`${name} = ${python}`);
    this.constantOf.set(expression, name);
    return name;
  }

  /** A local assigned before the request (per request: a new value each time, as the session does). */
  private local(base: string, scope: Scope | undefined, python: string, expression = base): string {
    if (!scope) throw new NeedsRequestScope();
    const existing = scope.names.get(expression);
    if (existing) return existing;
    const name = this.uniqueName(snake(base) || 'value', true);
    scope.lines.push(`${name} = ${python}`);
    scope.names.set(expression, name);
    return name;
  }

  /** `os.environ["NAME"]`, listed in the script's docstring with why. */
  private fromEnvironment(name: string, why: string): string {
    if (!this.environmentVariables.has(name)) this.environmentVariables.set(name, why);
    this.imports.add('import os');
    return `os.environ[${pyString(name)}]`;
  }

  /** A Python name not used yet; `reusable` locals may repeat across requests (each request assigns its own). */
  private uniqueName(base: string, reusable = false): string {
    let name = pythonKeywords.has(base) ? `${base}_` : base;
    if (reusable) return name;
    for (let counter = 2; this.usedNames.has(name); counter++) name = `${base}_${counter}`;
    this.usedNames.add(name);
    return name;
  }
}

// ------------------------------------------------------------ helpers

/** Standard library first (one `from` line per module), then requests, as isort would. */
function sortImports(imports: Set<string>): string[] {
  const plain = [...imports].filter((line) => line.startsWith('import ') && line !== 'import requests').sort();
  const fromModules = new Map<string, Set<string>>();
  for (const line of imports) {
    const match = /^from (\S+) import (.+)$/.exec(line);
    if (!match) continue;
    const names = fromModules.get(match[1]!) ?? new Set<string>();
    for (const name of match[2]!.split(',')) names.add(name.trim());
    fromModules.set(match[1]!, names);
  }
  const from = [...fromModules].sort(([a], [b]) => a.localeCompare(b)).map(([module, names]) => `from ${module} import ${[...names].sort().join(', ')}`);
  return [...plain, ...from, '', 'import requests'];
}

/** `loginPage` → `login_page`; anything else → a valid Python identifier. */
function snake(text: string): string {
  const name = text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

function constantName(expression: string): string {
  return snake(expression.replace(/^\$/, '')).toUpperCase() || 'VALUE';
}

function envNameFor(text: string): string {
  return text.replace(/[^A-Za-z0-9_]+/g, '_').toUpperCase();
}

/** Literal text inside an f-string: braces doubled, the rest escaped as in a string literal. */
function fStringLiteral(text: string): string {
  return pyString(text).slice(1, -1).replace(/\{/g, '{{').replace(/\}/g, '}}');
}

/** `$.a.b[0]["c d"]` → `["a"]["b"][0]["c d"]`; undefined for filters, wildcards, slices and recursion. */
function jsonPathSubscripts(path: string): string | undefined {
  if (!path.startsWith('$')) return undefined;
  let rest = path.slice(1);
  let out = '';
  while (rest.length > 0) {
    const dot = /^\.([A-Za-z_$][\w$-]*)/.exec(rest);
    const index = /^\[(\d+)\]/.exec(rest);
    const quoted = /^\[(['"])((?:(?!\1).)*)\1\]/.exec(rest);
    const match = dot ?? index ?? quoted;
    if (!match) return undefined;
    out += dot ? `[${pyString(dot[1]!)}]` : index ? `[${index[1]}]` : `[${pyString(quoted![2]!)}]`;
    rest = rest.slice(match[0].length);
  }
  return out;
}

function decodeForm(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Decodes a form value's literal text, leaving `{{…}}` references as they are. */
function decodeFormKeepingReferences(text: string): string | undefined {
  const { spans } = findReferenceSpans(text);
  let out = '';
  let last = 0;
  for (const span of [...spans, { start: text.length, end: text.length, expression: '' }]) {
    const literal = decodeForm(text.slice(last, span.start));
    if (literal === undefined) return undefined;
    out += literal + text.slice(span.start, span.end);
    last = span.end;
  }
  return out;
}

function timeoutOf(totalMs: number | undefined, connectMs: number | undefined): string | undefined {
  const seconds = (ms: number) => String(Math.round(ms) / 1000);
  if (connectMs !== undefined) return `(${seconds(connectMs)}, ${totalMs !== undefined ? seconds(totalMs) : 'None'})`;
  return totalMs !== undefined ? seconds(totalMs) : undefined;
}

function offsetSeconds(offset: TimeOffset | undefined): string {
  if (!offset) return '';
  const unitSeconds: Record<TimeOffset['unit'], number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
  const seconds = Math.round(offset.amount * unitSeconds[offset.unit]);
  return seconds >= 0 ? ` + ${seconds}` : ` - ${-seconds}`;
}

/** A JSON value as a Python literal, indented like the script. */
function pyValue(value: unknown, depth: number): string {
  const pad = '    '.repeat(depth + 1);
  const closePad = '    '.repeat(depth);
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${pad}${pyValue(item, depth + 1)},`).join('\n')}\n${closePad}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, item]) => `${pad}${pyString(key)}: ${pyValue(item, depth + 1)},`).join('\n')}\n${closePad}}`;
}
