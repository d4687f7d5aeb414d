import { dirname, resolve as resolvePath } from 'node:path';
import type { HttpRequest } from '../model/exchange';
import type { BodySegment, ParsedFile, RequestTemplate, VariableReference } from '../model/request';
import { sourceRange, type Diagnostic, type SourceRange } from '../model/source';
import { normalizeRequestUrl } from '../parse/requestUrl';
import { permittedPath, restrictedModeCode } from './restriction';
import type { VariableContext } from './variableContext';
import { createVariableResolver, type Substitution } from './variableResolver';
import { formEncode } from '../model/formEncode';

/**
 * Turns a request template into a request ready to send: variables substituted in the URL, headers and
 * body (precedence on VariableContext), file includes read, multipart line ends made CRLF, URL normalised.
 * Any unresolved reference, or a file the context's restriction does not permit, refuses the request with
 * diagnostics where they are written. `filesRead`: the included files, as read.
 */
export async function resolveRequest(
  template: RequestTemplate,
  file: ParsedFile,
  context: VariableContext,
): Promise<{ request: HttpRequest; filesRead: string[] } | { diagnostics: Diagnostic[] }> {
  const resolver = createVariableResolver(file, context);
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<VariableReference>();
  /** Records the failures of a substitution at their references inside `area` (else at `fallback`); returns the text. */
  const failed = (substitution: Substitution, fallback: SourceRange, area = fallback): string => {
    for (const failure of substitution.failures) {
      const reference = template.variableReferences.find(
        (ref) => ref.expression === failure.expression && !reported.has(ref) && within(ref.range, area),
      );
      if (reference) reported.add(reference);
      diagnostics.push({ range: reference?.range ?? fallback, severity: 'error', code: failure.code, message: failure.message });
    }
    return substitution.text;
  };

  // The URL and Host come first: `$cookie` elsewhere needs the final URL to pick the jar's cookies.
  // The URL may continue on indented lines, up to the first header or body line.
  const next = template.headers[0]?.range ?? template.body?.[0]?.range;
  const { startLine, startColumn } = template.requestLineRange;
  const urlArea = next ? sourceRange(startLine, startColumn, next.startLine, next.startColumn) : sourceRange(startLine, startColumn, template.range.endLine, template.range.endColumn);
  const rawUrl = failed(await resolver.substitute(template.url), template.requestLineRange, urlArea);
  const names: string[] = [];
  for (const header of template.headers) names.push(failed(await resolver.substitute(header.name), header.range));
  const hostIndex = names.findIndex((name) => name.toLowerCase() === 'host');
  const hostHeader = template.headers[hostIndex];
  const host = hostHeader ? failed(await resolver.substitute(hostHeader.value), hostHeader.range) : undefined;

  // When the URL does not resolve, the rest is still resolved so every problem is reported at once.
  let url: string | undefined;
  if (diagnostics.length === 0) {
    const normalized = normalizeRequestUrl(rawUrl, host, { autoEncode: !template.directives.noAutoEncoding });
    if ('error' in normalized) diagnostics.push({ range: template.requestLineRange, severity: 'error', code: 'invalid-url', message: normalized.error });
    else url = normalized.url;
  }

  const headers: [string, string][] = [];
  for (const [index, header] of template.headers.entries()) {
    const value = index === hostIndex && host !== undefined ? host : failed(await resolver.substitute(header.value, { requestUrl: url }), header.range);
    headers.push([names[index]!, value]);
    // REST Client's `Digest user password` shorthand: not supported, and sent as written it only earns a 401.
    if (names[index]!.toLowerCase() === 'authorization' && /^\s*Digest\s+[^\s=]+\s+[^\s=]+\s*$/i.test(value)) {
      diagnostics.push({ range: header.range, severity: 'error', code: 'digest-unsupported', message: 'Digest authentication (Digest user password) is not supported; use Basic, a Bearer token, or the server\'s login request' });
    }
  }
  const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const crlf = /^\s*multipart\/form-data\b/i.test(contentType);

  const pieces: (string | Uint8Array)[] = [];
  const filesRead: string[] = [];
  for (const segment of template.body ?? []) {
    const piece = await bodyPiece(segment, url, crlf);
    if ('diagnostic' in piece) diagnostics.push(piece.diagnostic);
    else pieces.push(piece.value);
  }
  if (diagnostics.length > 0 || url === undefined) return { diagnostics };

  const body = formBody(joinBody(pieces), contentType);
  const graphQl = graphQlRequest(template.method, headers, body);
  return {
    request: {
      method: graphQl?.method ?? template.method,
      url,
      headers: graphQl?.headers ?? headers,
      body: graphQl?.body ?? body,
      options: template.directives,
      name: template.name,
      source: { file: context.requestFile, line: template.requestLineRange.startLine },
      secrets: [...resolver.secretValues],
    },
    filesRead,
  };

  async function bodyPiece(segment: BodySegment, requestUrl: string | undefined, crlf: boolean): Promise<{ value: string | Uint8Array } | { diagnostic: Diagnostic }> {
    if (segment.kind === 'text') {
      const encode = segment.encodeSubstitutions === 'form-urlencoded' ? formEncode : undefined;
      const text = failed(await resolver.substitute(segment.text, { requestUrl, encode }), segment.range);
      return { value: crlf ? toCrlf(text) : text };
    }
    const path = resolvePath(dirname(context.requestFile), failed(await resolver.substitute(segment.path, { requestUrl }), segment.range));
    let bytes: Uint8Array;
    try {
      const permitted = await permittedPath(path, context.restriction, context.reader);
      if ('refusal' in permitted) return { diagnostic: { range: segment.range, severity: 'error', code: restrictedModeCode, message: permitted.refusal } };
      bytes = await context.reader.readFile(permitted.path);
      filesRead.push(permitted.path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { diagnostic: { range: segment.range, severity: 'error', code: 'file-not-found', message: `Cannot read included file ${path}: ${reason}` } };
    }
    if (!segment.substitute) return { value: bytes };
    // Failures inside an included file have no position of their own: report them on the `<@` line.
    const text = failed(await resolver.substitute(new TextDecoder().decode(bytes), { requestUrl }), segment.range);
    return { value: crlf ? toCrlf(text) : text };
  }
}

function within(inner: SourceRange, outer: SourceRange): boolean {
  const startsInside = inner.startLine - outer.startLine || inner.startColumn - outer.startColumn;
  const endsInside = outer.endLine - inner.endLine || outer.endColumn - inner.endColumn;
  return startsInside >= 0 && endsInside >= 0;
}

/** multipart/form-data requires CRLF between lines; text written in the editor may have bare LF. */
function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/**
 * A GraphQL request: JetBrains' `GRAPHQL` method or REST Client's `X-REQUEST-TYPE: GraphQL` header. The body
 * is the query, then optionally a blank line and the variables as JSON; it goes out as a POST of
 * `{"query", "variables", "operationName"}` JSON, as both clients send it. Undefined for other requests.
 */
function graphQlRequest(method: string, headers: readonly [string, string][], body: string | Uint8Array | undefined): { method: string; headers: [string, string][]; body: string } | undefined {
  const marker = headers.findIndex(([name, value]) => name.toLowerCase() === 'x-request-type' && value.trim().toLowerCase() === 'graphql');
  if (method !== 'GRAPHQL' && marker < 0) return undefined;
  const text = typeof body === 'string' ? body : body ? new TextDecoder().decode(body) : '';
  const split = /\r?\n\s*\r?\n(?=\s*\{)/.exec(text);
  const query = (split ? text.slice(0, split.index) : text).trim();
  const variablesText = split ? text.slice(split.index + split[0].length).trim() : '';
  let variables: unknown;
  try {
    variables = variablesText ? JSON.parse(variablesText) : undefined;
  } catch {
    variables = undefined;
  }
  const operationName = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1];
  const kept = headers.filter(([name], index) => index !== marker && name.toLowerCase() !== 'content-type');
  return {
    method: 'POST',
    headers: [...kept, ['Content-Type', 'application/json']],
    body: JSON.stringify({ query, ...(variables !== undefined && { variables }), ...(operationName && { operationName }) }),
  };
}

/** REST Client's multi-line form body (`name=foo` / `&password=bar`): the lines make one form, without their line breaks. */
function formBody(body: string | Uint8Array | undefined, contentType: string): string | Uint8Array | undefined {
  if (typeof body !== 'string' || !/^\s*application\/x-www-form-urlencoded\b/i.test(contentType)) return body;
  return body.replace(/\r?\n(?=\s*&)\s*/g, '');
}

function joinBody(pieces: readonly (string | Uint8Array)[]): string | Uint8Array | undefined {
  if (pieces.length === 0) return undefined;
  if (pieces.every((piece): piece is string => typeof piece === 'string')) return pieces.join('');
  const encoder = new TextEncoder();
  const bytes = pieces.map((piece) => (typeof piece === 'string' ? encoder.encode(piece) : piece));
  if (bytes.length === 1) return bytes[0];
  const joined = new Uint8Array(bytes.reduce((size, part) => size + part.length, 0));
  let offset = 0;
  for (const part of bytes) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
