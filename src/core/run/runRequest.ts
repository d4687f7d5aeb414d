import { loginRequestNames } from '../doctor/loginRequests';
import type { Exchange, HttpRequest } from '../model/exchange';
import { headerValues } from '../model/headers';
import { copyTemplate, type ParsedFile, type RequestPrompt, type RequestTemplate } from '../model/request';
import type { Diagnostic } from '../model/source';
import type { Clock, FileReader } from '../ports';
import { defaultSessionName, type SessionRegistry } from '../session';
import type { EnvironmentSet } from '../vars/environments';
import type { Restriction } from '../vars/restriction';
import { resolveRequest } from '../vars/resolveRequest';
import { preloadScriptSandbox, runPreRequestScripts, runResponseHandlers } from './requestScripts';
import type { PromptAnswer, VariableContext } from '../vars/variableContext';
import { isSecretName } from '../secrets';

/** What running requests from a file needs besides the file: shared by the CLI and the extension. */
export interface RunContext {
  readonly registry: SessionRegistry;
  readonly reader: FileReader;
  readonly clock: Clock;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** Set for request files of an untrusted workspace (see Restriction); it also shaped `environments`. */
  readonly restriction?: Restriction;
  readonly environmentName?: string;
  readonly environments: EnvironmentSet;
  readonly cliVariables?: Readonly<Record<string, string>>;
  readonly csrfFieldName?: string;
  /** Asks the user for a `# @prompt` variable's value; `undefined`: not answered. Absent: nobody to ask. */
  readonly askPrompt?: (question: PromptQuestion, signal?: AbortSignal) => Promise<string | undefined>;
}

/** A `# @prompt` to put to the user: the variable, the request's question, and whether to hide the input. */
export interface PromptQuestion extends RequestPrompt {
  readonly secret: boolean;
}

export type RunOutcome = { readonly kind: 'sent'; readonly exchange: Exchange } | { readonly kind: 'refused'; readonly diagnostics: readonly Diagnostic[] };

/** The name of the session a request runs in (`# @session NAME`, else the default one). */
export function sessionNameOf(template: RequestTemplate): string {
  return template.directives.session ?? defaultSessionName;
}

/**
 * The variable context of one request file, bound to the session the request runs in. `requestVariables`:
 * what this request's pre-request scripts set (they win over the session's `client.global`).
 */
export function variableContextFor(requestFile: string, sessionName: string, context: RunContext, requestVariables: Readonly<Record<string, string>> = {}): VariableContext {
  const session = context.registry.get(sessionName);
  return {
    requestFile,
    restriction: context.restriction,
    environmentName: context.environmentName,
    environments: context.environments,
    cliVariables: context.cliVariables,
    reader: context.reader,
    clock: context.clock,
    processEnv: context.processEnv,
    csrfFieldName: context.csrfFieldName,
    exchangeByName: (name) => session.lastExchange(name),
    cookieValue: (name, url) => session.cookieValue(name, url),
    authToken: (name, config) => session.authToken(name, config),
    scriptVariable: (name) => (Object.hasOwn(requestVariables, name) ? requestVariables[name] : Object.hasOwn(session.globalVariables(), name) ? session.globalVariables()[name] : undefined),
  };
}

/** A request resolved and ready to go: what it will send and which files it read, before anything is sent. */
export interface PreparedRequest {
  readonly kind: 'prepared';
  readonly request: HttpRequest;
  /** Absolute paths of the files included in its body. */
  readonly filesRead: readonly string[];
  /** Sends it through its session. */
  send(options?: SendOptions): Promise<Extract<RunOutcome, { kind: 'sent' }>>;
}

export interface SendOptions {
  readonly signal?: AbortSignal;
  readonly onWillSend?: (request: HttpRequest) => void;
}

/**
 * Resolves a request's variables and includes; refuses it (with diagnostics) when something does not resolve.
 * `signal` cancels a token acquisition that waits (a sign-in in the browser, a device code's poll).
 */
export async function prepareRequest(
  template: RequestTemplate,
  file: ParsedFile,
  requestFile: string,
  context: RunContext,
  signal?: AbortSignal,
): Promise<PreparedRequest | Extract<RunOutcome, { kind: 'refused' }>> {
  preloadScriptSandbox(file);
  template = withAuthDirective(template);
  const sessionName = sessionNameOf(template);
  const session = context.registry.get(sessionName);
  const requestVariables: Record<string, string> = {};
  /** The auth configurations whose tokens this request carries: a rejected token is dropped and the request sent again. */
  const tokensUsed = new Set<string>();
  const sessionContext = variableContextFor(requestFile, sessionName, context, requestVariables);
  const promptAnswers = await askPrompts(template, context, signal);
  if ('problem' in promptAnswers) {
    return { kind: 'refused', diagnostics: [{ range: template.requestLineRange, severity: 'error', code: 'prompt-unanswered', message: promptAnswers.problem }] };
  }
  const variableContext: VariableContext = {
    ...sessionContext,
    promptAnswers,
    authToken: (name, config) => {
      tokensUsed.add(name);
      return session.authToken(name, config, signal);
    },
  };
  const before = await runPreRequestScripts(template, file, variableContext, session, requestVariables);
  if ('diagnostics' in before) return { kind: 'refused', diagnostics: before.diagnostics };
  const resolved = await resolveRequest(template, file, variableContext);
  if ('diagnostics' in resolved) return { kind: 'refused', diagnostics: resolved.diagnostics };
  const { request, filesRead } = resolved;
  return {
    kind: 'prepared',
    request,
    filesRead,
    send: async ({ signal, onWillSend } = {}) => {
      onWillSend?.(request);
      // The session sees one request; the file tells the doctor which request logs in.
      const hints = { loginRequestNames: loginRequestNames(file.requests) };
      let exchange = await session.send(request, signal, hints);
      if (tokensUsed.size > 0 && rejectsToken(exchange)) {
        // Revoked or expired before its time: once, with a refreshed or new token.
        for (const name of tokensUsed) session.rejectToken(name);
        const again = await resolveRequest(template, file, variableContext);
        if (!('diagnostics' in again)) {
          onWillSend?.(again.request);
          exchange = await session.send(again.request, signal, hints);
        }
      }
      const after = await runResponseHandlers(template, request, exchange, variableContext, session, file);
      const tests = [...before.tests, ...after.tests];
      const scriptLog = [...before.log, ...after.log];
      return { kind: 'sent', exchange: tests.length > 0 || scriptLog.length > 0 ? { ...exchange, tests, scriptLog } : exchange };
    },
  };
}

/** Asks each of the request's `# @prompt`s that `--var` does not answer, in order; the first left unanswered refuses the request. */
async function askPrompts(template: RequestTemplate, context: RunContext, signal?: AbortSignal): Promise<Map<string, PromptAnswer> | { problem: string }> {
  const answers = new Map<string, PromptAnswer>();
  for (const prompt of template.directives.prompts ?? []) {
    if (context.cliVariables && Object.hasOwn(context.cliVariables, prompt.name)) continue;
    const secret = isSecretName(prompt.name);
    const value = await context.askPrompt?.({ ...prompt, secret }, signal);
    if (value === undefined) {
      const how = context.askPrompt ? 'was not answered' : `has no answer: give it with --var ${prompt.name}=VALUE`;
      return { problem: `\`# @prompt ${prompt.name}\` ${how}` };
    }
    answers.set(prompt.name, { value, secret });
  }
  return answers;
}

/** A 401 whose `WWW-Authenticate` says the bearer token is invalid or expired (RFC 6750 §3.1). */
function rejectsToken(exchange: Exchange): boolean {
  if (exchange.response?.status !== 401) return false;
  return headerValues(exchange.response.headers, 'www-authenticate').some((value) => /\berror="?invalid_token\b/i.test(value));
}

/** Resolves a request's variables and sends it through its session; refuses it (with diagnostics) when a variable is unresolved. */
export async function runRequest(
  template: RequestTemplate,
  file: ParsedFile,
  requestFile: string,
  context: RunContext,
  options: SendOptions = {},
): Promise<RunOutcome> {
  const prepared = await prepareRequest(template, file, requestFile, context, options.signal);
  return prepared.kind === 'refused' ? prepared : prepared.send(options);
}

/**
 * `# @auth name`: the request gets `Authorization: Bearer {{$auth.token("name")}}` unless it writes its own
 * Authorization; `# @auth Basic {{user}} {{password}}` (or `Bearer {{token}}`) gets that header as written.
 */
function withAuthDirective(template: RequestTemplate): RequestTemplate {
  const auth = template.directives.auth;
  if (auth === undefined || template.headers.some((header) => header.name.toLowerCase() === 'authorization')) return template;
  // Resolved like one the user wrote: the same token, errors and rejected-token retry; `Basic user pass` encoded on the way out.
  const value = /^(basic|bearer)\s/i.test(auth) ? auth : `Bearer {{$auth.token(${JSON.stringify(auth)})}}`;
  const header = { name: 'Authorization', value, range: template.requestLineRange };
  return copyTemplate(template, { headers: [header, ...template.headers] });
}
