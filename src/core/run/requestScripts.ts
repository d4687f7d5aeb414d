// A request's JetBrains scripts in the run: pre-request scripts before its variables are resolved (what
// they set with `request.variables.set` resolves `{{name}}` in it), response handlers after the response
// (tests, `client.log`, `client.global`). Scripts run in the sandbox (core/script), in a trusted
// workspace or not; only the script FILES they name are subject to Restricted Mode, like includes.
import { dirname, isAbsolute, join } from 'node:path';
import { MIMEType } from 'node:util';
import type { Exchange, HttpRequest, TestResult } from '../model/exchange';
import type { ParsedFile, RequestTemplate, ResponseHandler } from '../model/request';
import type { Diagnostic } from '../model/source';
import type { Session } from '../session';
import { runScript, type ScriptInput, type ScriptSource } from '../script/runScript';
import { permittedPath, restrictedModeCode } from '../vars/restriction';
import type { VariableContext } from '../vars/variableContext';
import { createVariableResolver } from '../vars/variableResolver';

/** What a request's scripts produced, for its exchange. */
export interface ScriptResults {
  readonly tests: readonly TestResult[];
  readonly log: readonly string[];
}

type ScriptOrRefusal = { readonly script: ScriptSource } | { readonly diagnostic: Diagnostic };

/** The code of a `{% %}` block (it starts on the block's first line) or of the `.js` file a handler names. */
async function scriptSource(handler: ResponseHandler, context: VariableContext): Promise<ScriptOrRefusal> {
  if (handler.kind === 'script') return { script: { code: handler.text, fileName: context.requestFile, firstLine: handler.range.startLine + 1 } };
  const path = isAbsolute(handler.text) ? handler.text : join(dirname(context.requestFile), handler.text);
  try {
    const permitted = await permittedPath(path, context.restriction, context.reader);
    if ('refusal' in permitted) return { diagnostic: { range: handler.range, severity: 'error', code: restrictedModeCode, message: permitted.refusal } };
    const code = new TextDecoder().decode(await context.reader.readFile(permitted.path));
    return { script: { code, fileName: permitted.path, firstLine: 1 } };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { diagnostic: { range: handler.range, severity: 'error', code: 'file-not-found', message: `Cannot read script ${handler.text}: ${reason}` } };
  }
}

function environmentValues(context: VariableContext): Record<string, string> {
  return Object.fromEntries([...context.environments.variables(context.environmentName)].map(([name, entry]) => [name, entry.value]));
}

function rawBody(template: RequestTemplate): string {
  return (template.body ?? []).map((segment) => (segment.kind === 'text' ? segment.text : `<${segment.substitute ? '@' : ''} ${segment.path}`)).join('');
}

/**
 * Runs the request's pre-request scripts in order. Their `request.variables` go into `variables` (read by the
 * resolver for this request only); `client.global` goes to the session. A failing script refuses the request.
 */
export async function runPreRequestScripts(
  template: RequestTemplate,
  file: ParsedFile,
  context: VariableContext,
  session: Session,
  variables: Record<string, string>,
): Promise<ScriptResults | { readonly diagnostics: readonly Diagnostic[] }> {
  const tests: TestResult[] = [];
  const log: string[] = [];
  const scripts = template.preRequestScripts ?? [];
  if (scripts.length === 0) return { tests, log };
  const environment = environmentValues(context);
  const body = rawBody(template);
  for (const handler of scripts) {
    const source = await scriptSource(handler, context);
    if ('diagnostic' in source) return { diagnostics: [source.diagnostic] };
    // `tryGetSubstituted`: what resolves now (after the scripts before this one); a reference the script is about to set stays as written.
    const resolver = createVariableResolver(file, context);
    const substituted = async (text: string) => (await resolver.substitute(text)).text;
    const input: ScriptInput = {
      phase: 'pre-request',
      globals: session.globalVariables(),
      environment,
      request: {
        method: template.method,
        url: { raw: template.url, substituted: await substituted(template.url) },
        headers: await Promise.all(template.headers.map(async (h) => ({ name: h.name, raw: h.value, substituted: await substituted(h.value) }))),
        body: { raw: body, substituted: await substituted(body) },
      },
    };
    const result = await runScript(source.script, input, { realmKey: context.requestFile });
    if (!result.ok) return { diagnostics: [{ range: handler.range, severity: 'error', code: 'script-failed', message: result.message }] };
    session.setGlobalVariables(result.globals);
    Object.assign(variables, result.variables);
    tests.push(...result.tests);
    log.push(...result.log);
    for (const line of result.log) session.logScriptOutput(`${context.requestFile}:${handler.range.startLine + 1}`, line);
  }
  return { tests, log };
}

/**
 * Runs the request's response handlers (`> {% %}`, `> file.js`) on its exchange. A handler that fails is
 * reported as a failed test naming file:line, so the run says so; the next handler still runs.
 */
export async function runResponseHandlers(template: RequestTemplate, request: HttpRequest, exchange: Exchange, context: VariableContext, session: Session): Promise<ScriptResults> {
  const tests: TestResult[] = [];
  const log: string[] = [];
  const response = exchange.response;
  const scripts = template.handlers.filter((handler) => handler.kind === 'script' || handler.kind === 'scriptFile');
  // Nothing to handle when the request failed on the way (the exchange says why).
  if (!response || scripts.length === 0) return { tests, log };
  const environment = environmentValues(context);
  for (const handler of scripts) {
    const source = await scriptSource(handler, context);
    if ('diagnostic' in source) {
      tests.push({ name: `response handler at line ${handler.range.startLine + 1}`, passed: false, message: source.diagnostic.message });
      continue;
    }
    const bodyText = typeof request.body === 'string' ? request.body : request.body ? new TextDecoder().decode(request.body) : '';
    const contentType = parseContentType(response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1]);
    const input: ScriptInput = {
      phase: 'response',
      globals: session.globalVariables(),
      environment,
      request: {
        method: request.method,
        url: { raw: template.url, substituted: request.url },
        headers: request.headers.map(([name, value]) => ({ name, raw: template.headers.find((h) => h.name === name)?.value ?? value, substituted: value })),
        body: { raw: rawBody(template), substituted: bodyText },
      },
      response: {
        status: response.status,
        headers: response.headers,
        mimeType: contentType.mimeType,
        charset: contentType.charset,
        bodyText: new TextDecoder().decode(response.body),
      },
    };
    const result = await runScript(source.script, input, { realmKey: context.requestFile });
    if (!result.ok) {
      tests.push({ name: `response handler at line ${handler.range.startLine + 1}`, passed: false, message: result.message });
      continue;
    }
    session.setGlobalVariables(result.globals);
    tests.push(...result.tests);
    log.push(...result.log);
    for (const line of result.log) session.logScriptOutput(`${context.requestFile}:${handler.range.startLine + 1}`, line);
  }
  return { tests, log };
}

function parseContentType(value: string | undefined): { mimeType: string; charset: string } {
  if (!value) return { mimeType: '', charset: '' };
  try {
    const type = new MIMEType(value);
    return { mimeType: type.essence, charset: type.params.get('charset') ?? '' };
  } catch {
    return { mimeType: value.split(';')[0]!.trim().toLowerCase(), charset: '' };
  }
}
