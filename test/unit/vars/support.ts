import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Exchange } from '../../../src/core/model/exchange';
import type { BodySegment, FileVariable, HeaderTemplate, ParsedFile, RequestTemplate, VariableReference } from '../../../src/core/model/request';
import { lineRange, sourceRange } from '../../../src/core/model/source';
import { findVariableReferences } from '../../../src/core/parse/variableReferences';
import { nodeFileReader } from '../../../src/cli/nodeFileReader';
import type { EnvironmentSet } from '../../../src/core/vars/environments';
import { loadEnvironments } from '../../../src/core/vars/environments';
import type { VariableContext } from '../../../src/core/vars/variableContext';

/** A real temporary directory filled with `files` (relative path → content); remove it with `cleanup`. */
export async function tempTree(files: Record<string, string | Uint8Array>): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'hs-vars-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export const noEnvironments: EnvironmentSet = {
  names: [],
  files: [],
  diagnostics: [],
  variables: () => new Map(),
  shared: () => undefined,
};

/** An environment set built from in-memory env objects, through the real loader. */
export async function environmentsFrom(extra: Record<string, Record<string, unknown>>): Promise<EnvironmentSet> {
  const emptyReader = { readFile: () => Promise.reject(new Error('no files')), readTextIfExists: () => Promise.resolve(undefined), realPath: () => Promise.resolve(undefined) };
  return loadEnvironments('/nowhere/req.http', undefined, emptyReader, extra);
}

export function makeContext(overrides: Partial<VariableContext> = {}): VariableContext {
  return {
    requestFile: '/nowhere/req.http',
    environments: noEnvironments,
    reader: nodeFileReader,
    clock: { now: () => Date.UTC(2024, 0, 1) },
    processEnv: {},
    exchangeByName: () => undefined,
    cookieValue: () => undefined,
    ...overrides,
  };
}

/** References found in `text` as if it were written at `line`, starting at `column` (the parsers' own finder). */
export function referencesIn(text: string, line: number, column = 0): VariableReference[] {
  return findVariableReferences(text, { line, column }).references;
}

export function header(name: string, value: string, line: number): HeaderTemplate {
  return { name, value, range: lineRange(line, 0, name.length + 2 + value.length) };
}

/** A request written on consecutive lines: request line at `line`, headers below, body after a blank line. */
export function makeTemplate(parts: {
  method?: string;
  url: string;
  name?: string;
  headers?: readonly (readonly [string, string])[];
  body?: readonly BodySegment[];
  line?: number;
  noAutoEncoding?: boolean;
}): RequestTemplate {
  const line = parts.line ?? 0;
  const method = parts.method ?? 'GET';
  const headers = (parts.headers ?? []).map(([name, value], index) => header(name, value, line + 1 + index));
  const body = parts.body ?? [];
  const requestLine = lineRange(line, 0, method.length + 1 + parts.url.length);
  const bodyReferences = body.flatMap((segment) => (segment.kind === 'text' ? referencesIn(segment.text, segment.range.startLine, segment.range.startColumn) : []));
  const last = body.at(-1)?.range ?? headers.at(-1)?.range ?? requestLine;
  return {
    name: parts.name,
    method,
    url: parts.url,
    headers,
    body: body.length > 0 ? body : undefined,
    directives: parts.noAutoEncoding ? { noAutoEncoding: true } : {},
    handlers: [],
    variableReferences: [
      ...referencesIn(parts.url, line, method.length + 1),
      ...headers.flatMap((h) => referencesIn(h.value, h.range.startLine, h.name.length + 2)),
      ...bodyReferences,
    ],
    range: sourceRange(requestLine.startLine, requestLine.startColumn, last.endLine, last.endColumn),
    requestLineRange: requestLine,
  };
}

/** A text body segment starting at `line` (multi-line text spans the following lines). */
export function textSegment(text: string, line: number): Extract<BodySegment, { kind: 'text' }> {
  const lines = text.split('\n');
  return { kind: 'text', text, range: sourceRange(line, 0, line + lines.length - 1, lines.at(-1)!.length) };
}

export function fileSegment(path: string, substitute: boolean, line: number): BodySegment {
  return { kind: 'file', path, substitute, range: lineRange(line, 0, path.length + (substitute ? 3 : 2)) };
}

export function fileVariable(name: string, value: string, line: number): FileVariable {
  return { name, value, range: lineRange(line, 0, name.length + 4 + value.length), variableReferences: referencesIn(value, line, name.length + 4) };
}

export function makeFile(requests: readonly RequestTemplate[], fileVariables: readonly FileVariable[] = []): ParsedFile {
  return { requests, fileVariables, diagnostics: [] };
}

const noCookies = { sent: [], stored: [], rejected: [] } as const;

/** An exchange as the session records it, with a response unless `response` is null. */
export function makeExchange(parts: {
  name: string;
  requestHeaders?: readonly (readonly [string, string])[];
  requestBody?: string;
  status?: number;
  headers?: readonly (readonly [string, string])[];
  body?: string;
  stored?: Exchange['cookies']['stored'];
  response?: null;
  error?: Exchange['error'];
}): Exchange {
  const url = 'http://localhost:8080/login';
  return {
    id: `x-${parts.name}`,
    sessionName: 'default',
    startedAt: 0,
    request: { name: parts.name, method: 'POST', url, headers: parts.requestHeaders ?? [], bodySize: parts.requestBody?.length ?? 0, bodyText: parts.requestBody },
    response:
      parts.response === null
        ? undefined
        : {
            status: parts.status ?? 200,
            statusText: '',
            httpVersion: '1.1',
            headers: parts.headers ?? [],
            body: new TextEncoder().encode(parts.body ?? ''),
            bodySize: parts.body?.length ?? 0,
            truncated: false,
            url,
          },
    error: parts.error,
    timings: { totalMs: 1 },
    connectionReused: false,
    cookies: { ...noCookies, stored: parts.stored ?? [] },
    redirects: [],
    sessionEvents: [],
    findings: [],
  };
}
