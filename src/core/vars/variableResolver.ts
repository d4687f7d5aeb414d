import { dirname, join } from 'node:path';
import { authConfigPrefix, parseOAuth2Config } from '../auth/oauth2';
import type { ParsedFile } from '../model/request';
import { findReferenceSpans } from '../parse/variableReferences';
import { parseChainReference, resolveChain } from './chaining';
import { parseDotenv } from './dotenv';
import { evaluateDynamic, parseDynamicExpression, type DynamicCall } from './dynamicVariables';
import { restrictedModeCode, restrictedVariableMessage } from './restriction';
import { defaultCsrfFieldName, type VariableContext } from './variableContext';

/**
 * The most text one `{{…}}` substitution may add to a URL, header or body. Variables that repeat
 * others double at each level: 0.6 KiB of them made a 256 MiB body. The check runs while the text is
 * built, so the large string never exists.
 */
export const maxSubstitutedChars = 4 * 1024 * 1024;
const maxSubstitutedText = '4 MiB';
/** Variables within variables, deeper than any real file nests them. */
const maxNesting = 64;

export type VariableSource = 'file' | 'environment' | 'private' | 'dynamic' | 'chain' | 'cli' | 'prompt' | 'script' | 'dotenv' | 'processEnv';

export interface ResolvedValue {
  readonly ok: true;
  readonly value: string;
  /** A secret went into it (private env value, process env, .env, cookie): mask when shown. */
  readonly masked: boolean;
  readonly source: VariableSource;
  /** Env file or `.env` path, `settings`, … when known. */
  readonly origin?: string;
}

export interface ResolutionFailure {
  readonly ok: false;
  /** `unresolved-variable`, `variable-cycle`, `chain-not-run`, `chain-no-match`, `dynamic-variable`, … */
  readonly code: string;
  readonly message: string;
}

export type Resolution = ResolvedValue | ResolutionFailure;

/** The outcome of substituting every `{{…}}` of a text; `failures` name the top-level expressions that failed. */
export interface Substitution {
  readonly text: string;
  readonly masked: boolean;
  readonly failures: readonly (ResolutionFailure & { readonly expression: string })[];
}

export interface SubstituteOptions {
  /** The request's final URL, needed by `$cookie`; absent while the URL itself is resolved. */
  readonly requestUrl?: string;
  /** Applied to each substituted value (not to the literal text around it). */
  readonly encode?: (value: string) => string;
}

/** Resolves expressions for one request; file-variable values are computed once and reused (`@id = {{$uuid}}`). */
export interface VariableResolver {
  resolve(expression: string, requestUrl?: string): Promise<Resolution>;
  substitute(text: string, options?: SubstituteOptions): Promise<Substitution>;
  /** The secret (masked) values substituted so far: the request carries them so output masks them by value. */
  readonly secretValues: ReadonlySet<string>;
}

interface Scope {
  readonly requestUrl?: string;
  /** Names being resolved, outermost first, for cycle detection. */
  readonly stack: readonly string[];
}

/** Builds the resolver that applies the precedence documented on VariableContext. */
export function createVariableResolver(file: ParsedFile, context: VariableContext): VariableResolver {
  const fileVariables = new Map(file.fileVariables.map((variable) => [variable.name, variable.value]));
  const environment = context.environments.variables(context.environmentName);
  const cache = new Map<string, ResolvedValue>();
  const failedNames = new Map<string, ResolutionFailure>();
  const secretValues = new Set<string>();
  let dotenv: Promise<{ path: string; values?: Map<string, string> }> | undefined;

  async function lookup(expression: string, scope: Scope): Promise<Resolution> {
    if (expression.startsWith('$')) return dynamic(expression, scope);
    const cli = context.cliVariables;
    if (cli && Object.hasOwn(cli, expression)) return { ok: true, value: cli[expression]!, masked: false, source: 'cli', origin: 'command line' };
    const answer = context.promptAnswers?.get(expression);
    if (answer) return { ok: true, value: answer.value, masked: answer.secret, source: 'prompt', origin: `your answer to # @prompt ${expression}` };
    const fromScript = context.scriptVariable?.(expression);
    if (fromScript !== undefined) return { ok: true, value: fromScript, masked: false, source: 'script', origin: 'a script' };
    const chain = parseChainReference(expression);
    if (chain && 'error' in chain) return { ok: false, code: 'chain-syntax', message: chain.error };
    if (chain) {
      const result = resolveChain(chain, context.exchangeByName(chain.request), context.csrfFieldName ?? defaultCsrfFieldName);
      return result.ok ? { ...result, source: 'chain' } : result;
    }
    return named(expression, scope);
  }

  async function named(name: string, scope: Scope): Promise<Resolution> {
    const cached = cache.get(name) ?? failedNames.get(name);
    if (cached) return cached;
    if (scope.stack.length >= maxNesting) {
      return { ok: false, code: 'variable-depth', message: `Variables nest more than ${maxNesting} deep: ${scope.stack.slice(0, 3).join(' → ')} → … → ${name}` };
    }
    if (scope.stack.includes(name)) {
      const cycle = [...scope.stack.slice(scope.stack.indexOf(name)), name].join(' → ');
      return { ok: false, code: 'variable-cycle', message: `Variable cycle: ${cycle}` };
    }
    const fromFile = fileVariables.get(name);
    const fromEnvironment = environment.get(name);
    let raw: string;
    let base: Omit<ResolvedValue, 'value'>;
    if (fromFile !== undefined) {
      raw = fromFile;
      base = { ok: true, masked: false, source: 'file' };
    } else if (fromEnvironment) {
      raw = fromEnvironment.value;
      const source = fromEnvironment.private ? 'private' : 'environment';
      base = { ok: true, masked: fromEnvironment.private, source, origin: fromEnvironment.origin };
    } else {
      return { ok: false, code: 'unresolved-variable', message: unresolvedMessage(name, context) };
    }
    const inner = await substituteIn(raw, { requestUrl: scope.requestUrl, stack: [...scope.stack, name] });
    const [failure] = inner.failures;
    if (failure) {
      const passedOn = failure.code === 'variable-cycle' || failure.code === 'expansion-too-large';
      const failed: ResolutionFailure = { ok: false, code: failure.code, message: passedOn ? failure.message : `${failure.message} (through '${name}')` };
      // Remembered: a variable used twice by each of the ones above would otherwise be tried 2^n times.
      failedNames.set(name, failed);
      return failed;
    }
    const resolved: ResolvedValue = { ...base, value: inner.text, masked: base.masked || inner.masked };
    cache.set(name, resolved);
    return resolved;
  }

  async function dynamic(expression: string, scope: Scope): Promise<Resolution> {
    const parsed = parseDynamicExpression(expression);
    if ('error' in parsed) return { ok: false, code: parsed.unknownFunction ? 'unknown-dynamic-variable' : 'dynamic-variable', message: parsed.error };
    const call: DynamicCall = parsed.call;
    switch (call.fn) {
      case 'processEnv':
      case 'dotenv': {
        if (context.restriction) return { ok: false, code: restrictedModeCode, message: restrictedVariableMessage(call.fn) };
        const key = call.indirect ? await named(call.name, scope) : ({ ok: true, value: call.name } as const);
        if (!key.ok) return key;
        return call.fn === 'processEnv' ? processVariable(key.value) : dotenvVariable(key.value);
      }
      case 'cookie': {
        if (scope.requestUrl === undefined) {
          return { ok: false, code: 'dynamic-variable', message: `$cookie ${call.name} needs the request's URL, which is not resolved here (it cannot be used in the URL or Host header)` };
        }
        const value = context.cookieValue(call.name, scope.requestUrl);
        return value === undefined
          ? { ok: false, code: 'unresolved-variable', message: `The session has no cookie '${call.name}' for ${scope.requestUrl}` }
          : { ok: true, value, masked: true, source: 'chain', origin: 'cookie jar' };
      }
      case 'shared': {
        const shared = context.environments.shared(call.name);
        return shared
          ? { ok: true, value: shared.value, masked: shared.private, source: shared.private ? 'private' : 'environment', origin: shared.origin }
          : { ok: false, code: 'unresolved-variable', message: `Variable '${call.name}' is not defined in $shared` };
      }
      case 'authToken':
      case 'authIdToken':
        return authToken(call.name, call.fn === 'authIdToken', scope);
      default:
        return { ok: true, value: evaluateDynamic(call, context.clock), masked: false, source: 'dynamic' };
    }
  }

  /** Reads auth configuration `name` from the environment (its `{{…}}` resolved), then asks the session for the token. */
  async function authToken(name: string, idToken: boolean, scope: Scope): Promise<Resolution> {
    const prefix = authConfigPrefix(name);
    const fields = new Map<string, string>();
    for (const key of environment.keys()) {
      if (!key.startsWith(prefix)) continue;
      const field = await named(key, scope);
      if (!field.ok) return field;
      fields.set(key.slice(prefix.length), field.value);
      if (field.masked) secretValues.add(field.value);
    }
    const config = parseOAuth2Config(name, fields);
    if ('error' in config) return { ok: false, code: 'auth-config', message: config.error };
    if (!context.authToken) return { ok: false, code: 'auth-config', message: `The token of auth configuration '${name}' is fetched when a request that uses it is sent` };
    // The client secret is a secret wherever it was written.
    if (config.clientSecret) secretValues.add(config.clientSecret);
    if (config.password) secretValues.add(config.password);
    try {
      const token = await context.authToken(name, config);
      const value = idToken ? token.idToken : token.accessToken;
      if (value === undefined) return { ok: false, code: 'auth-token', message: `auth configuration '${name}': the token endpoint sent no id_token (add the openid scope)` };
      return { ok: true, value, masked: true, source: 'dynamic', origin: `auth configuration '${name}'` };
    } catch (error) {
      return { ok: false, code: 'auth-token', message: error instanceof Error ? error.message : String(error) };
    }
  }

  function processVariable(name: string): Resolution {
    const value = context.processEnv[name];
    return value === undefined
      ? { ok: false, code: 'unresolved-variable', message: `Process environment variable '${name}' is not set` }
      : { ok: true, value, masked: true, source: 'processEnv', origin: 'process environment' };
  }

  async function dotenvVariable(name: string): Promise<Resolution> {
    dotenv ??= (async () => {
      const path = join(dirname(context.requestFile), '.env');
      const text = await context.reader.readTextIfExists(path);
      return { path, values: text === undefined ? undefined : parseDotenv(text) };
    })();
    const { path, values } = await dotenv;
    if (!values) return { ok: false, code: 'unresolved-variable', message: `No .env file next to the request file (${path}) for $dotenv ${name}` };
    const value = values.get(name);
    return value === undefined
      ? { ok: false, code: 'unresolved-variable', message: `'${name}' is not defined in ${path}` }
      : { ok: true, value, masked: true, source: 'dotenv', origin: path };
  }

  async function substituteIn(text: string, scope: Scope, encode: (value: string) => string = (value) => value): Promise<Substitution> {
    const { spans } = findReferenceSpans(text);
    let output = '';
    let masked = false;
    let position = 0;
    let substituted = 0;
    const failures: (ResolutionFailure & { expression: string })[] = [];
    for (const span of spans) {
      const resolution = await lookup(span.expression, scope);
      output += text.slice(position, span.start);
      position = span.end;
      if (resolution.ok && (substituted += resolution.value.length) > maxSubstitutedChars) {
        output += text.slice(span.start, span.end);
        const variable = scope.stack.at(-1);
        const message =
          variable === undefined
            ? `{{${span.expression}}} makes this text grow past ${maxSubstitutedText}: its variables repeat others (or a value is that large)`
            : `Variable '${variable}' expands to more than ${maxSubstitutedText}: its value repeats other variables`;
        failures.push({ ok: false, code: 'expansion-too-large', expression: span.expression, message });
        output += text.slice(position);
        return { text: output, masked, failures };
      }
      if (resolution.ok) {
        output += encode(resolution.value);
        masked ||= resolution.masked;
        if (resolution.masked) secretValues.add(resolution.value);
      } else {
        output += text.slice(span.start, span.end);
        failures.push({ ...resolution, expression: span.expression });
      }
    }
    return { text: output + text.slice(position), masked, failures };
  }

  return {
    resolve: (expression, requestUrl) => lookup(expression.trim(), { requestUrl, stack: [] }),
    substitute: (text, options = {}) => substituteIn(text, { requestUrl: options.requestUrl, stack: [] }, options.encode),
    secretValues,
  };
}

/** "Variable 'x' is not defined in environment 'dev'", with a hint when another environment has it or Restricted Mode hid it. */
export function unresolvedMessage(name: string, context: Pick<VariableContext, 'environmentName' | 'environments' | 'restriction'>): string {
  const where = context.environmentName === undefined ? '(no environment selected)' : `in environment '${context.environmentName}'`;
  const elsewhere = context.environments.names.filter((env) => env !== context.environmentName && context.environments.variables(env).has(name));
  const hint = elsewhere.length > 0 ? ` — it is defined in ${elsewhere.map((env) => `'${env}'`).join(', ')}` : '';
  const restricted = context.restriction ? ' (Restricted Mode reads no private env file and no environments from settings)' : '';
  return `Variable '${name}' is not defined ${where}${hint}${restricted}`;
}
