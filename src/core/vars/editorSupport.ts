import type { ParsedFile, VariableReference } from '../model/request';
import type { Diagnostic } from '../model/source';
import { maskSecret } from '../secrets';
import { parseChainReference } from './chaining';
import { dynamicVariableNames, parseDynamicExpression } from './dynamicVariables';
import { restrictedModeCode, restrictedVariableMessage } from './restriction';
import type { VariableContext } from './variableContext';
import { findReferenceSpans } from '../parse/variableReferences';
import { scriptSetVariables } from '../script/scriptVariables';
import { createVariableResolver, maxSubstitutedChars, unresolvedMessage, type VariableSource } from './variableResolver';

/** What the editor shows when hovering a `{{…}}`. */
export interface VariableDescription {
  readonly expression: string;
  /** Where the value comes from; absent when nothing defines it. */
  readonly source?: VariableSource;
  /** The value (masked text when `masked`); absent when it cannot be resolved now. */
  readonly value?: string;
  readonly masked: boolean;
  /** Env file or `.env` path, `settings`, `command line`, … */
  readonly origin?: string;
  /** Why there is no value (not defined, request not run yet, …). */
  readonly error?: string;
}

/** A completion item for `{{`. */
export interface VariableCompletion {
  readonly name: string;
  readonly source: VariableSource;
  readonly detail?: string;
}

/**
 * Statically checks every `{{…}}` of a file: unknown names and request names are errors, unknown `$` functions
 * warnings, and under a restriction `$processEnv` / `$dotenv` errors.
 */
export function checkVariables(file: ParsedFile, context: VariableContext): Diagnostic[] {
  const requestNames = new Set(file.requests.flatMap((request) => (request.name === undefined ? [] : [request.name])));
  const known = new Set([
    ...Object.keys(context.cliVariables ?? {}),
    ...file.fileVariables.map((variable) => variable.name),
    ...context.environments.variables(context.environmentName).keys(),
  ]);
  // Set by a script above the reference (a handler of an earlier request, a pre-request script of this one).
  const setByScripts = scriptSetVariables(file);
  const setAbove = (reference: VariableReference) => setByScripts.some((set) => set.name === reference.expression && set.line < reference.range.startLine);
  // A `# @prompt` variable is known in its own request only.
  const promptedIn = new Map<VariableReference, ReadonlySet<string>>();
  for (const request of file.requests) {
    const prompted = new Set((request.directives.prompts ?? []).map((prompt) => prompt.name));
    if (prompted.size > 0) for (const reference of request.variableReferences) promptedIn.set(reference, prompted);
  }
  const references: VariableReference[] = [
    ...file.fileVariables.flatMap((variable) => variable.variableReferences),
    ...file.requests.flatMap((request) => request.variableReferences),
  ];
  const diagnostics: Diagnostic[] = [];
  const report = (reference: VariableReference, severity: Diagnostic['severity'], code: string, message: string): void => {
    diagnostics.push({ range: reference.range, severity, code, message });
  };
  for (const reference of references) {
    const expression = reference.expression;
    if (expression.startsWith('$')) {
      const parsed = parseDynamicExpression(expression);
      if ('error' in parsed) {
        report(reference, parsed.unknownFunction ? 'warning' : 'error', parsed.unknownFunction ? 'unknown-dynamic-variable' : 'dynamic-variable', parsed.error);
      } else if (context.restriction && (parsed.call.fn === 'processEnv' || parsed.call.fn === 'dotenv')) {
        report(reference, 'error', restrictedModeCode, restrictedVariableMessage(parsed.call.fn));
      }
      continue;
    }
    if (known.has(expression) || promptedIn.get(reference)?.has(expression) || setAbove(reference) || context.scriptVariable?.(expression) !== undefined) continue;
    const chain = parseChainReference(expression);
    if (chain && 'error' in chain) report(reference, 'error', 'chain-syntax', chain.error);
    else if (chain && !requestNames.has(chain.request)) {
      report(reference, 'error', 'unknown-request', `No request named '${chain.request}' in this file (add \`# @name ${chain.request}\` to one)`);
    } else if (!chain) report(reference, 'error', 'unresolved-variable', unresolvedMessage(expression, context));
  }
  const lengthOf = expandedLengths(file, context);
  for (const variable of file.fileVariables) {
    const length = lengthOf(variable.name);
    if (length > maxSubstitutedChars) {
      diagnostics.push({
        range: variable.range,
        severity: 'error',
        code: 'expansion-too-large',
        message: `@${variable.name} expands to ${formatSize(length)} (the limit is ${formatSize(maxSubstitutedChars)}): its variables repeat others`,
      });
    }
  }
  return diagnostics;
}

/**
 * The length each file or environment variable expands to, counted without building the text (so a
 * doubling chain costs nothing here). Dynamic values and chains count as the text of their reference.
 */
function expandedLengths(file: ParsedFile, context: VariableContext): (name: string) => number {
  const fileValues = new Map(file.fileVariables.map((variable) => [variable.name, variable.value]));
  const environment = context.environments.variables(context.environmentName);
  const lengths = new Map<string, number>();
  const lengthOf = (name: string, stack: readonly string[]): number => {
    const known = lengths.get(name);
    if (known !== undefined) return known;
    const value = fileValues.get(name) ?? environment.get(name)?.value;
    if (value === undefined || stack.includes(name)) return name.length + 4;
    let length = value.length;
    for (const span of findReferenceSpans(value).spans) length += lengthOf(span.expression, [...stack, name]) - (span.end - span.start);
    lengths.set(name, length);
    return length;
  };
  return (name) => lengthOf(name, []);
}

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / (1024 * 1024)).toFixed(chars >= 10 * 1024 * 1024 ? 0 : 1)} MiB` : `${Math.ceil(chars / 1024)} KiB`;
}

/** Resolves one expression for hover; secrets (private env, process env, .env, cookies) come back masked. */
export async function describeVariable(expression: string, file: ParsedFile, context: VariableContext): Promise<VariableDescription> {
  const trimmed = expression.trim();
  // A hover never fetches an OAuth2 token: for the sign-in grants that would open the browser.
  const resolution = await createVariableResolver(file, { ...context, authToken: undefined }).resolve(trimmed);
  if (!resolution.ok) {
    const source = staticSource(trimmed, file, context);
    if (source === 'prompt') return { expression: trimmed, source, masked: false, error: 'Asked for each time the request is sent (# @prompt)' };
    return { expression: trimmed, source, masked: false, error: resolution.message };
  }
  const { value, masked, source, origin } = resolution;
  return { expression: trimmed, source, value: masked ? maskSecret(value) : value, masked, origin };
}

/** Names for completion after `{{`: overrides, file variables, the environment's, dynamic ones, chain prefixes. */
export function listVariableNames(file: ParsedFile, context: VariableContext): VariableCompletion[] {
  const completions = new Map<string, VariableCompletion>();
  const add = (completion: VariableCompletion): void => {
    if (!completions.has(completion.name)) completions.set(completion.name, completion);
  };
  for (const name of Object.keys(context.cliVariables ?? {})) add({ name, source: 'cli', detail: 'command line --var' });
  for (const variable of file.fileVariables) add({ name: variable.name, source: 'file', detail: variable.value });
  for (const [name, value] of context.environments.variables(context.environmentName)) {
    add({ name, source: value.private ? 'private' : 'environment', detail: value.origin });
  }
  for (const { name } of scriptSetVariables(file)) add({ name, source: 'script', detail: 'set by a script in this file' });
  for (const request of file.requests) {
    for (const { name, description } of request.directives.prompts ?? []) add({ name, source: 'prompt', detail: description ?? 'asked when the request is sent' });
  }
  for (const [name, detail] of dynamicVariableNames) add({ name, source: 'dynamic', detail });
  for (const request of file.requests) {
    if (request.name === undefined) continue;
    for (const part of ['response.body.$', 'response.body.*', 'response.headers.', 'response.cookies.', 'response.csrf', 'request.headers.', 'request.body.$']) {
      add({ name: `${request.name}.${part}`, source: 'chain', detail: `from the latest exchange of '${request.name}'` });
    }
  }
  return [...completions.values()];
}

/** Where an expression would come from, without resolving it (for hovers of unresolvable ones). */
function staticSource(expression: string, file: ParsedFile, context: VariableContext): VariableSource | undefined {
  if (expression.startsWith('$processEnv')) return 'processEnv';
  if (expression.startsWith('$dotenv')) return 'dotenv';
  if (expression.startsWith('$cookie')) return 'chain';
  if (expression.startsWith('$')) return 'dynamic';
  if (Object.hasOwn(context.cliVariables ?? {}, expression)) return 'cli';
  if (parseChainReference(expression)) return 'chain';
  if (file.fileVariables.some((variable) => variable.name === expression)) return 'file';
  const value = context.environments.variables(context.environmentName).get(expression);
  if (value) return value.private ? 'private' : 'environment';
  if (scriptSetVariables(file).some((set) => set.name === expression)) return 'script';
  if (file.requests.some((request) => request.directives.prompts?.some((prompt) => prompt.name === expression))) return 'prompt';
  return undefined;
}
