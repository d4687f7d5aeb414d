// A request's JetBrains scripts in the run: pre-request scripts before its variables are resolved (what
// they set with `request.variables.set` resolves `{{name}}` in it), response handlers after the response
// (tests, `client.log`, `client.global`). Scripts run in the sandbox (core/script), in a trusted
// workspace or not; only the script FILES they name are subject to Restricted Mode, like includes.
import { dirname, isAbsolute, join } from 'node:path';
import { MIMEType } from 'node:util';
import type { Exchange, HttpRequest, TestResult } from '../model/exchange';
import { scriptsOf, type ParsedFile, type RequestTemplate, type ResponseHandler } from '../model/request';
import type { Diagnostic } from '../model/source';
import type { Session } from '../session';
import { httpYacAssertionScript } from '../script/httpYacAssertion';
import { runScript, type ScriptInput, type ScriptSource } from '../script/runScript';
import { preloadSandbox } from '../script/sandbox';
import { permittedPath, restrictedModeCode } from '../vars/restriction';
import type { VariableContext } from '../vars/variableContext';
import { createVariableResolver, type VariableResolver } from '../vars/variableResolver';

/** What a request's scripts produced, for its exchange. */
export interface ScriptResults {
  readonly tests: readonly TestResult[];
  readonly log: readonly string[];
}

interface RunnableScript {
  readonly source: ScriptSource;
  readonly flavor: ScriptInput['flavor'];
}

/** Why a script cannot run, with its diagnostic code. */
interface ScriptRefusal {
  readonly code: string;
  readonly message: string;
}

type ScriptOrRefusal = RunnableScript | { readonly refusal: ScriptRefusal };

/** The code of a script or `??` assertion, or of the `.js` file a handler names (`{% %}`/`{{` code starts on its block's first line). */
async function scriptSource(handler: ResponseHandler, context: VariableContext, substitute: (text: string) => Promise<string>): Promise<ScriptOrRefusal> {
  const inline = (code: string, flavor: ScriptInput['flavor']): RunnableScript => ({ source: { code, fileName: context.requestFile, firstLine: handler.range.startLine + 1 }, flavor });
  if (handler.kind === 'script') return inline(handler.text, 'jetbrains');
  if (handler.kind === 'httpYacScript') return inline(handler.text, 'httpYac');
  if (handler.kind === 'assertion') {
    const assertion = httpYacAssertionScript(await substitute(handler.text));
    return 'error' in assertion ? { refusal: { code: 'invalid-assertion', message: assertion.error } } : inline(assertion.code, 'httpYac');
  }
  const path = isAbsolute(handler.text) ? handler.text : join(dirname(context.requestFile), handler.text);
  try {
    const permitted = await permittedPath(path, context.restriction, context.reader);
    if ('refusal' in permitted) return { refusal: { code: restrictedModeCode, message: permitted.refusal } };
    const code = new TextDecoder().decode(await context.reader.readFile(permitted.path));
    return { source: { code, fileName: permitted.path, firstLine: 1 }, flavor: 'jetbrains' };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { refusal: { code: 'file-not-found', message: `Cannot read script ${handler.text}: ${reason}` } };
  }
}

const runnableKinds: ReadonlySet<ResponseHandler['kind']> = new Set(['script', 'scriptFile', 'httpYacScript', 'assertion']);

/** Files already looked at by preloadScriptSandbox: it runs before each request, and a file may have a thousand. */
const preloadChecked = new WeakSet<ParsedFile>();

/** Before a request of `file`: when the file has scripts, the sandbox starts loading now, beside the requests before the first script. */
export function preloadScriptSandbox(file: ParsedFile): void {
  if (preloadChecked.has(file)) return;
  preloadChecked.add(file);
  if (runsScripts(file)) preloadSandbox();
}

/** Whether running the file runs scripts in the sandbox (`>> file` outputs and references do not). */
export function runsScripts(file: ParsedFile): boolean {
  return scriptsOf(file).some((script) => runnableKinds.has(script.kind));
}

function environmentValues(context: VariableContext): Record<string, string> {
  return Object.fromEntries([...context.environments.variables(context.environmentName)].map(([name, entry]) => [name, entry.value]));
}

/** What an httpYac script reads by name: the environment, the file's variables (substituted), then what scripts kept. */
async function httpYacScope(file: ParsedFile, environment: Record<string, string>, session: Session, substitute: (text: string) => Promise<string>): Promise<Record<string, string>> {
  const scope = { ...environment };
  for (const variable of file.fileVariables) scope[variable.name] = await substitute(variable.value);
  return Object.assign(scope, session.globalVariables());
}

function rawBody(template: RequestTemplate): string {
  return (template.body ?? []).map((segment) => (segment.kind === 'text' ? segment.text : `<${segment.substitute ? '@' : ''} ${segment.path}`)).join('');
}

/** What a script sees of the exchange: the request, and the response once there is one. */
type ExchangeInput = Pick<ScriptInput, 'request' | 'response'>;

/**
 * Runs `scripts` in order, each on the request and response `exchangeFor` gives (after the scripts before it
 * ran). A script that cannot run or fails goes to `onFailure`: a test result to record (and go on), or 'stop'.
 */
async function runScripts(
  phase: ScriptInput['phase'],
  scripts: readonly ResponseHandler[],
  file: ParsedFile,
  context: VariableContext,
  session: Session,
  exchangeFor: (substitute: (text: string) => Promise<string>) => Promise<ExchangeInput>,
  onFailure: (handler: ResponseHandler, failure: ScriptRefusal) => TestResult | 'stop',
): Promise<ScriptResults & { readonly variables: Record<string, string> }> {
  let environment: Record<string, string> | undefined;
  const environmentOnce = () => (environment ??= environmentValues(context));
  // Getters, not values: the sandbox reads a part only when the script touches it.
  const inputFor = async (flavor: ScriptInput['flavor'], substitute: (text: string) => Promise<string>): Promise<ScriptInput> => {
    const exchange = await exchangeFor(substitute);
    return {
      phase,
      flavor,
      ...(flavor === 'httpYac' && { scope: await httpYacScope(file, environmentOnce(), session, substitute) }),
      globals: session.globalVariables(),
      get environment() {
        return environmentOnce();
      },
      get request() {
        return exchange.request;
      },
      get response() {
        return exchange.response;
      },
    };
  };
  const tests: TestResult[] = [];
  const log: string[] = [];
  const variables: Record<string, string> = {};
  for (const handler of scripts) {
    // What resolves now (after the scripts before this one); a reference a script is about to set stays as written.
    let resolver: VariableResolver | undefined;
    const substitute = async (text: string) => (await (resolver ??= createVariableResolver(file, context)).substitute(text)).text;
    const runnable = await scriptSource(handler, context, substitute);
    const result =
      'refusal' in runnable ? runnable.refusal : await runScript(runnable.source, await inputFor(runnable.flavor, substitute), { realmKey: context.requestFile });
    if ('ok' in result && result.ok) {
      session.setGlobalVariables(result.globals);
      Object.assign(variables, result.variables);
      tests.push(...result.tests);
      log.push(...result.log);
      for (const line of result.log) session.logScriptOutput(`${context.requestFile}:${handler.range.startLine + 1}`, line);
      continue;
    }
    const failed = onFailure(handler, 'code' in result ? result : { code: 'script-failed', message: result.message });
    if (failed === 'stop') break;
    tests.push(failed);
  }
  return { tests, log, variables };
}

/**
 * Runs the file's httpYac setup blocks and the request's pre-request scripts in order. Their
 * `request.variables` go into `variables` (read by the resolver for this request only); `client.global`,
 * `exports` and `$global` go to the session. A failing script refuses the request.
 */
export async function runPreRequestScripts(
  template: RequestTemplate,
  file: ParsedFile,
  context: VariableContext,
  session: Session,
  variables: Record<string, string>,
): Promise<ScriptResults | { readonly diagnostics: readonly Diagnostic[] }> {
  const scripts = [...(file.setupScripts ?? []), ...(template.preRequestScripts ?? [])];
  if (scripts.length === 0) return { tests: [], log: [] };
  const body = rawBody(template);
  let refusal: Diagnostic | undefined;
  const { tests, log, variables: set } = await runScripts(
    'pre-request',
    scripts,
    file,
    context,
    session,
    async (substitute) => ({
      request: {
        method: template.method,
        url: { raw: template.url, substituted: await substitute(template.url) },
        headers: await Promise.all(template.headers.map(async (h) => ({ name: h.name, raw: h.value, substituted: await substitute(h.value) }))),
        body: { raw: body, substituted: await substitute(body) },
      },
    }),
    (handler, failure) => {
      refusal = { range: handler.range, severity: 'error', ...failure };
      return 'stop';
    },
  );
  if (refusal) return { diagnostics: [refusal] };
  Object.assign(variables, set);
  return { tests, log };
}

/**
 * Runs the request's response handlers (`> {% %}`, `> file.js`, httpYac `{{ }}` and `??`) on its exchange. A
 * handler that fails is reported as a failed test naming file:line, so the run says so; the next one still runs.
 */
export async function runResponseHandlers(template: RequestTemplate, request: HttpRequest, exchange: Exchange, context: VariableContext, session: Session, file: ParsedFile): Promise<ScriptResults> {
  const response = exchange.response;
  const scripts = template.handlers.filter((handler) => runnableKinds.has(handler.kind));
  // Nothing to handle when the request failed on the way (the exchange says why).
  if (!response || scripts.length === 0) return { tests: [], log: [] };
  // Made once for all the handlers, on the first one's first use.
  let requestInput: ScriptInput['request'] | undefined;
  let responseInput: ScriptInput['response'] | undefined;
  const exchangeInput: ExchangeInput = {
    get request() {
      return (requestInput ??= {
        method: request.method,
        url: { raw: template.url, substituted: request.url },
        headers: request.headers.map(([name, value]) => ({ name, raw: template.headers.find((h) => h.name === name)?.value ?? value, substituted: value })),
        body: { raw: rawBody(template), substituted: typeof request.body === 'string' ? request.body : request.body ? new TextDecoder().decode(request.body) : '' },
      });
    },
    get response() {
      return (responseInput ??= {
        status: response.status,
        headers: response.headers,
        ...parseContentType(response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1]),
        bodyText: new TextDecoder().decode(response.body),
        totalMs: exchange.timings.totalMs,
      });
    },
  };
  const { tests, log } = await runScripts(
    'response',
    scripts,
    file,
    context,
    session,
    async () => exchangeInput,
    (handler, failure) => ({ name: `${handler.kind === 'assertion' ? 'assertion' : 'response handler'} at line ${handler.range.startLine + 1}`, passed: false, message: failure.message }),
  );
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
