// Runs one JetBrains script (a `< {% %}` pre-request script or a `> {% %}` response handler) in the
// sandbox and reads back what it did. The host side of `__host` lives here: hashes, HMAC and JSONPath
// over values the script passes in, nothing else.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { JSONPath } from 'jsonpath-plus';
import type { TestResult } from '../model/exchange';
import { isAsyncScript, jetbrainsPrelude, scriptEntry, scriptFinish, scriptPending, wrapScript, type ScriptHead, type ScriptInput, type ScriptInputPart, type ScriptOutput } from './jetbrainsPrelude';
import { runInSandbox, type SandboxLimits } from './sandbox';

export type { ScriptInput } from './jetbrainsPrelude';

export interface ScriptSource {
  readonly code: string;
  /** Where the code is: the request file (inline `{% %}`) or the `.js` file, and the line its code starts on (1-based). */
  readonly fileName: string;
  readonly firstLine: number;
}

export type ScriptResult =
  | {
      readonly ok: true;
      readonly globals: Readonly<Record<string, string>>;
      readonly variables: Readonly<Record<string, string>>;
      readonly tests: readonly TestResult[];
      readonly log: readonly string[];
    }
  | { readonly ok: false; readonly message: string };

/**
 * Runs the script in the realm of its file (`realmKey`: the request file, so a file's scripts share the loaded
 * API and other files' scripts never see them); a failure (syntax, throw, time or memory limit) comes back
 * as a message naming file:line. The input's parts are read (and may be getters that build them) only when
 * the script touches them.
 */
export async function runScript(script: ScriptSource, input: ScriptInput, options: { realmKey?: string; limits?: SandboxLimits } = {}): Promise<ScriptResult> {
  const { limits } = options;
  const response = input.response;
  const head: ScriptHead = {
    phase: input.phase,
    flavor: input.flavor,
    scope: input.scope,
    response: response && { status: response.status, headers: response.headers, mimeType: response.mimeType, charset: response.charset, totalMs: response.totalMs },
  };
  const outcome = await runInSandbox(
    options.realmKey ?? script.fileName,
    { prelude: jetbrainsPrelude, limits },
    {
      entry: scriptEntry,
      input: JSON.stringify(head),
      body: wrapScript(script.code, input.flavor),
      ...(isAsyncScript(input.flavor) && { async: { pending: scriptPending, finish: scriptFinish } }),
      fileName: script.fileName,
      firstLine: script.firstLine,
      host: (operation, argument) => (operation === 'input' ? inputPart(input, argument as ScriptInputPart) : hostOperation(operation, argument)),
    },
  );
  const where = `${script.fileName}:${outcome.kind === 'failed' && outcome.line !== undefined ? outcome.line : script.firstLine}`;
  if (outcome.kind === 'failed') {
    const why =
      outcome.reason === 'timeout'
        ? `the script ran past its time limit (${limits?.timeMs ?? 2000} ms)`
        : outcome.reason === 'memory'
          ? 'the script ran out of memory (its limit is the sandbox heap)'
          : outcome.message;
    return { ok: false, message: `${where}: ${why}` };
  }
  return readOutput(outcome.output, input.globals, where);
}

/** A part of the input, as JSON, when the script first asks for it. */
function inputPart(input: ScriptInput, name: ScriptInputPart): string {
  switch (name) {
    case 'globals':
      return JSON.stringify(input.globals);
    case 'environment':
      return JSON.stringify(input.environment);
    case 'request':
      return JSON.stringify(input.request);
    case 'responseBody':
      return JSON.stringify(input.response?.bodyText ?? '');
    default:
      throw new Error(`no such input: ${String(name)}`);
  }
}

/** What the script did; `client.global` is the one it was given unless it changed it. */
function readOutput(text: string, globals: ScriptInput['globals'], where: string): ScriptResult {
  try {
    const output = JSON.parse(text) as { [member in keyof ScriptOutput]?: unknown };
    return {
      ok: true,
      globals: output.globals === undefined ? globals : stringMap(output.globals),
      variables: stringMap(output.variables),
      tests: Array.isArray(output.tests) ? output.tests.filter(isTestResult) : [],
      log: Array.isArray(output.log) ? output.log.filter((line): line is string => typeof line === 'string') : [],
    };
  } catch {
    return { ok: false, message: `${where}: the script replaced its own output` };
  }
}

function stringMap(value: unknown): Record<string, string> {
  const map: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return map;
  for (const [name, entry] of Object.entries(value)) if (typeof entry === 'string') map[name] = entry;
  return map;
}

function isTestResult(value: unknown): value is TestResult {
  const test = value as Partial<TestResult> | null;
  return typeof test === 'object' && test !== null && typeof test.name === 'string' && typeof test.passed === 'boolean' && (test.message === undefined || typeof test.message === 'string');
}

interface DigestPart {
  readonly kind: 'text' | 'hex' | 'base64' | 'base64url';
  readonly value: string;
  readonly encoding?: string;
}

const digestAlgorithms = new Set(['sha1', 'sha256', 'sha512', 'md5']);

function bytesOf(part: DigestPart): Buffer {
  if (part.kind === 'text') return Buffer.from(part.value, part.encoding?.toLowerCase().replace('-', '') === 'latin1' ? 'latin1' : 'utf8');
  return Buffer.from(part.value, part.kind);
}

/** The host half of the script API: strings in, strings out. */
function hostOperation(operation: string, argument: string): string {
  switch (operation) {
    case 'uuid':
      return randomUUID();
    case 'btoa':
      return Buffer.from(argument, 'latin1').toString('base64');
    case 'atob':
      return Buffer.from(argument, 'base64').toString('latin1');
    case 'jsonPath': {
      const { json, path } = JSON.parse(argument) as { json: unknown; path: string };
      return JSON.stringify(JSONPath({ path, json: json as object, wrap: true, eval: false }) ?? []);
    }
    case 'digest': {
      const { request, output } = JSON.parse(argument) as { request: string; output: 'hex' | 'base64' | 'base64url' };
      const { algorithm, secret, parts } = JSON.parse(request) as { algorithm: string; secret?: DigestPart; parts: DigestPart[] };
      if (!digestAlgorithms.has(algorithm)) throw new Error(`unknown hash ${algorithm}`);
      const hash = secret ? createHmac(algorithm, bytesOf(secret)) : createHash(algorithm);
      for (const part of parts) hash.update(bytesOf(part));
      return hash.digest(output);
    }
    default:
      throw new Error(`no such operation: ${operation}`);
  }
}
