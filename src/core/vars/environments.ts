import { dirname, join, relative, isAbsolute } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { rangeBetween, sourceRange, type Diagnostic, type SourcePosition } from '../model/source';
import type { FileReader } from '../ports';
import { permittedPath, restrictedModeCode, type Restriction } from './restriction';

export const publicEnvFileName = 'http-client.env.json';
export const privateEnvFileName = 'http-client.private.env.json';
/** REST Client's environment whose values apply to every environment. */
export const sharedEnvironmentName = '$shared';
/** The origin of values that came from the adapter (REST Client's `rest-client.environmentVariables`). */
export const settingsOrigin = 'settings';

/** One environment value and where it came from. */
export interface EnvironmentValue {
  readonly value: string;
  /** From the private env file: mask it wherever it is shown. */
  readonly private: boolean;
  /** Absolute path of the env file, or `settings`. */
  readonly origin: string;
}

/** A problem in a file other than the request file. */
export interface FileDiagnostic extends Diagnostic {
  readonly file: string;
}

/** The environments visible from one request file. */
export interface EnvironmentSet {
  /** Selectable environment names, sorted; `$shared` is not one of them. */
  readonly names: readonly string[];
  /** The env files that were found and read. */
  readonly files: readonly string[];
  readonly diagnostics: readonly FileDiagnostic[];
  /** Every variable of `environment` (or only `$shared` ones when undefined), winners only. */
  variables(environment: string | undefined): ReadonlyMap<string, EnvironmentValue>;
  /** A `$shared` value, for `{{$shared NAME}}`. */
  shared(key: string): EnvironmentValue | undefined;
}

/** Environment name → variables, the shape of an env file and of REST Client's setting. */
export type EnvironmentsObject = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

interface Layer {
  readonly origin: string;
  readonly private: boolean;
  readonly environments: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * Loads env files for a request file: the nearest `http-client.env.json` and the nearest
 * `http-client.private.env.json`, each searched from the request file's directory up to the workspace root.
 * Precedence, low to high: `$shared` (settings < public < private), then the environment's own values
 * (settings < public < private). Under a restriction only the public file is read, and only from inside
 * the workspace folder: the private file and `extra` hold the user's values, not the repository's.
 */
export async function loadEnvironments(
  requestFile: string,
  workspaceRoot: string | undefined,
  reader: FileReader,
  extra?: EnvironmentsObject,
  restriction?: Restriction,
): Promise<EnvironmentSet> {
  const diagnostics: FileDiagnostic[] = [];
  const layers: Layer[] = [];
  if (extra && !restriction) layers.push({ origin: settingsOrigin, private: false, environments: toEnvironments(extra) });
  const files: string[] = [];
  const envFiles = restriction ? [[publicEnvFileName, false] as const] : ([[publicEnvFileName, false], [privateEnvFileName, true]] as const);
  for (const [fileName, isPrivate] of envFiles) {
    const found = await findUpward(fileName, dirname(requestFile), workspaceRoot, reader, restriction);
    if (found && 'refusal' in found) {
      diagnostics.push({ file: found.path, range: sourceRange(0, 0, 0, 0), severity: 'warning', code: restrictedModeCode, message: `Not read: ${found.refusal}` });
      continue;
    }
    if (!found) continue;
    files.push(found.path);
    const parsed = parseEnvFile(found.path, found.text);
    diagnostics.push(...parsed.diagnostics);
    layers.push({ origin: found.path, private: isPrivate, environments: parsed.environments });
  }
  return createEnvironmentSet(layers, files, diagnostics);
}

function createEnvironmentSet(layers: readonly Layer[], files: readonly string[], diagnostics: readonly FileDiagnostic[]): EnvironmentSet {
  const names = new Set<string>();
  for (const layer of layers) for (const name of layer.environments.keys()) names.add(name);
  names.delete(sharedEnvironmentName);
  const collect = (environment: string): Map<string, EnvironmentValue> => {
    const values = new Map<string, EnvironmentValue>();
    for (const layer of layers) {
      for (const [key, value] of layer.environments.get(environment) ?? []) {
        values.set(key, { value, private: layer.private, origin: layer.origin });
      }
    }
    return values;
  };
  const shared = collect(sharedEnvironmentName);
  return {
    names: [...names].sort(),
    files,
    diagnostics,
    variables: (environment) =>
      environment === undefined || environment === sharedEnvironmentName ? shared : new Map([...shared, ...collect(environment)]),
    shared: (key) => shared.get(key),
  };
}

async function findUpward(
  fileName: string,
  startDirectory: string,
  workspaceRoot: string | undefined,
  reader: FileReader,
  restriction: Restriction | undefined,
): Promise<{ path: string; text: string } | { path: string; refusal: string } | undefined> {
  for (let directory = startDirectory; ; directory = dirname(directory)) {
    const path = join(directory, fileName);
    const permitted = await permittedPath(path, restriction, reader);
    if ('refusal' in permitted) return { path, refusal: permitted.refusal };
    const text = await reader.readTextIfExists(permitted.path);
    if (text !== undefined) return { path, text };
    // Climb only while strictly inside the workspace; without one, only the request file's directory.
    const rel = workspaceRoot === undefined ? '' : relative(workspaceRoot, directory);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  }
}

/**
 * Parses one env file as the JetBrains client and VS Code read them: JSON with `//` and `/* *\/` comments,
 * trailing commas and a UTF-8 BOM allowed (jsonc-parser, VS Code's own). Broken JSON gives a diagnostic at
 * the failing place and no environments.
 */
export function parseEnvFile(
  file: string,
  text: string,
): { environments: ReadonlyMap<string, ReadonlyMap<string, string>>; diagnostics: FileDiagnostic[] } {
  const errors: ParseError[] = [];
  const json: unknown = parseJsonc(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true, disallowComments: false });
  const [error] = errors;
  if (error) {
    // The BOM is one character before every offset jsonc-parser gives.
    const at = positionOf(text, error.offset + (text.startsWith('\uFEFF') ? 1 : 0));
    return {
      environments: new Map(),
      diagnostics: [{ file, range: rangeBetween(at, at), severity: 'error', code: 'env-file-json', message: `${file}:${at.line + 1}:${at.column + 1}: invalid JSON: ${printParseErrorCode(error.error)}` }],
    };
  }
  if (!isObject(json)) {
    const at = { line: 0, column: 0 };
    return { environments: new Map(), diagnostics: [{ file, range: rangeBetween(at, at), severity: 'error', code: 'env-file-shape', message: `${file}: expected an object of environments` }] };
  }
  const diagnostics: FileDiagnostic[] = [];
  const objects: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const [name, value] of Object.entries(json)) {
    if (isObject(value)) objects[name] = value;
    // `$schema` and other `$` keys are editor metadata, not environments.
    else if (!name.startsWith('$')) {
      const at = positionOf(text, Math.max(0, text.indexOf(JSON.stringify(name))));
      diagnostics.push({ file, range: rangeBetween(at, at), severity: 'warning', code: 'env-file-shape', message: `${file}:${at.line + 1}: environment '${name}' is not an object; ignored` });
    }
  }
  return { environments: toEnvironments(objects), diagnostics };
}

/**
 * Values become strings: numbers and booleans as written, null as ''. A nested object is kept as its
 * JSON text under its key and also flattened, so `{"auth": {"user": "u"}}` gives `auth` and `auth.user`.
 * Arrays are JSON text only.
 */
function toEnvironments(objects: EnvironmentsObject): Map<string, Map<string, string>> {
  const environments = new Map<string, Map<string, string>>();
  for (const [name, variables] of Object.entries(objects)) {
    const values = new Map<string, string>();
    const add = (prefix: string, value: unknown): void => {
      if (value === null || value === undefined) values.set(prefix, '');
      else if (typeof value === 'string') values.set(prefix, value);
      else if (typeof value === 'object') {
        values.set(prefix, JSON.stringify(value));
        if (isObject(value)) for (const [key, inner] of Object.entries(value)) add(`${prefix}.${key}`, inner);
      } else values.set(prefix, String(value));
    };
    for (const [key, value] of Object.entries(variables)) add(key, value);
    environments.set(name, values);
  }
  return environments;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** V8 reports `... at position N` (Node 20) or `(line L column C)` (Node 22); an early end has neither. */
function positionOf(text: string, offset: number): SourcePosition {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, column: before.at(-1)!.length };
}
