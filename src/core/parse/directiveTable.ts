// Every request directive, once: its `.http` comment (`# @timeout 30s`), its YAML request key
// (`timeout: 30s`), how its value is written and what it sets. The `.http` parser, the YAML parser,
// the fixes that remove a directive, and the build's JSON Schema and TextMate grammar all read this
// table, so a new directive is a row here plus the code that acts on it.

/** One directive. `option` is the field of `RequestDirectives` it sets (`name` names the request instead). */
export type DirectiveRow =
  /** Present or not: `# @no-redirect`. YAML writes the switch it turns off: `redirect: false`. */
  | { readonly kind: 'flag'; readonly name: string; readonly option: string; readonly yamlKey: string; readonly doc: string }
  /** A duration, stored in milliseconds: `# @timeout 30s`, `timeout: 30s`. */
  | { readonly kind: 'duration'; readonly name: string; readonly option: string; readonly yamlKey: string; readonly doc: string; readonly example: string }
  /** Free text, not empty: `# @session admin`. No `yamlKey` when YAML has no option for it. */
  | { readonly kind: 'text'; readonly name: string; readonly option: string; readonly yamlKey?: string; readonly doc: string; readonly example: string }
  /** One of a few words: `# @csrf off`. */
  | { readonly kind: 'choice'; readonly name: string; readonly option: string; readonly yamlKey: string; readonly doc: string; readonly choices: readonly string[] }
  /** A variable asked for before the request is sent, repeatable: `# @prompt orderId The order to fetch`. */
  | { readonly kind: 'prompt'; readonly name: string; readonly option: string; readonly yamlKey: string; readonly doc: string; readonly example: string };

/** A `# @prompt` directive: the variable asked for, and the description shown when asking. */
export interface RequestPrompt {
  readonly name: string;
  readonly description?: string;
}

type DirectiveValue = string | number | boolean | RequestPrompt;

export const directiveTable = [
  // YAML names a request with its own `name` key, which also takes a title: no option there.
  { kind: 'text', name: 'name', option: 'name', doc: 'Names the request, for `{{name.response...}}` and `--name`.', example: 'login' },
  {
    kind: 'flag',
    name: 'no-redirect',
    option: 'noRedirect',
    yamlKey: 'redirect',
    doc: 'Redirects are not followed; the 3xx response is shown as it is.',
  },
  {
    kind: 'flag',
    name: 'no-cookie-jar',
    option: 'noCookieJar',
    yamlKey: 'cookieJar',
    doc: "The session's cookie jar is left out; no jar cookies are sent and none are stored.",
  },
  { kind: 'flag', name: 'no-log', option: 'noLog', yamlKey: 'log', doc: 'The request is not recorded in the history, for requests carrying secrets.' },
  {
    kind: 'flag',
    name: 'no-auto-encoding',
    option: 'noAutoEncoding',
    yamlKey: 'autoEncoding',
    doc: 'The URL is sent exactly as written, without percent-encoding.',
  },
  { kind: 'duration', name: 'timeout', option: 'timeoutMs', yamlKey: 'timeout', doc: 'Total time allowed for the request.', example: '30s' },
  {
    kind: 'duration',
    name: 'connection-timeout',
    option: 'connectionTimeoutMs',
    yamlKey: 'connectionTimeout',
    doc: 'Time allowed to open the connection.',
    example: '5s',
  },
  {
    kind: 'text',
    name: 'session',
    option: 'session',
    yamlKey: 'session',
    doc: "Runs the request in this named session (its own connections and cookie jar); the workspace's default session when absent.",
    example: 'admin',
  },
  {
    kind: 'text',
    name: 'auth',
    option: 'auth',
    yamlKey: 'auth',
    doc: "Sends `Authorization: Bearer` with the session's token of this auth configuration (`Security.Auth` in the env file), or the credentials written after `Basic` or `Bearer` (`Basic {{user}} {{password}}`), unless the request writes its own Authorization header. In a block of its own before the first request, the default of every request of the file.",
    example: 'api',
  },
  {
    kind: 'choice',
    name: 'csrf',
    option: 'csrf',
    yamlKey: 'csrf',
    doc: "CSRF handling: `auto` lets the session add the token the server expects (Spring's XSRF-TOKEN cookie copied into X-XSRF-TOKEN); `off` sends the request untouched. The extension's setting applies when absent.",
    choices: ['auto', 'off'],
  },
  {
    kind: 'prompt',
    name: 'prompt',
    option: 'prompts',
    yamlKey: 'prompt',
    doc: 'Asks for the value of this variable each time the request is sent (REST Client\'s prompt variables), with the words after its name as the question; the input is hidden for secret-looking names such as `password` or `token`. `--var NAME=VALUE` answers it on the command line.',
    example: 'orderId The order to fetch',
  },
] as const satisfies readonly DirectiveRow[];

type Row = (typeof directiveTable)[number];
type ValueOf<R extends Row> = R extends { kind: 'flag' }
  ? boolean
  : R extends { kind: 'duration' }
    ? number
    : R extends { kind: 'prompt' }
      ? readonly RequestPrompt[]
      : R extends { choices: readonly (infer C)[] }
        ? C
        : string;

/** Per-request options, one field per directive of the table (`# @directive` lines or YAML options). */
export type RequestDirectives = { -readonly [R in Row as R['option'] extends 'name' ? never : R['option']]?: ValueOf<R> };

/** What `.http` directive comments set on a request: its options and its name. */
export interface DirectiveTarget {
  directives: RequestDirectives;
  name?: string;
}

/** What became of one directive: applied, a plain comment (unknown word), or a known directive written wrong. */
export type DirectiveOutcome = 'applied' | 'unknown' | { readonly problem: string };

const rowsByName: ReadonlyMap<string, DirectiveRow> = new Map(directiveTable.map((row) => [row.name, row]));

/** The directive named `name` (without `@`), if it is one. */
export function directiveNamed(name: string): DirectiveRow | undefined {
  return rowsByName.get(name);
}

const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/** One convention for both formats: a bare number is seconds (as in the JetBrains HTTP Client), or `500ms`, `30s`, `2m`. */
export const durationHint = 'seconds (`30`) or a number with a unit (`500ms`, `30s`, `2m`)';

/** Parses `30`, `1.5`, `500ms`, `500 ms`, `30 s`, `2m` into whole milliseconds; a bare number is seconds. */
function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * unitMs[(match[2] ?? 's').toLowerCase()]);
}

/**
 * Reads a directive's value as written: the trimmed argument of a `.http` comment, or a YAML scalar
 * (`undefined` for a YAML value that is not one). A YAML flag is the switch the flag turns off, so
 * `redirect: false` sets `noRedirect`. `label` names the directive in the problem: `@timeout`, `` `timeout` ``.
 */
export function readDirectiveValue(
  row: DirectiveRow,
  written: string | number | boolean | undefined,
  label: string,
): { value: DirectiveValue } | { problem: string } {
  switch (row.kind) {
    case 'flag':
      return typeof written === 'boolean' ? { value: !written } : { problem: `${label} is \`true\` or \`false\`` };
    case 'duration': {
      const ms = typeof written === 'number' ? secondsToMs(written) : typeof written === 'string' ? parseDuration(written) : undefined;
      return ms === undefined ? { problem: `${label} is a duration: ${durationHint}` } : { value: ms };
    }
    case 'text':
      return written !== undefined && String(written).trim() !== '' ? { value: String(written) } : { problem: `${label} needs a value, such as \`${row.example}\`` };
    case 'choice':
      return typeof written === 'string' && row.choices.includes(written)
        ? { value: written }
        : { problem: `${label} is ${row.choices.map((choice) => `\`${choice}\``).join(' or ')}` };
    case 'prompt': {
      const match = typeof written === 'string' ? /^\s*([A-Za-z_][\w.-]*)(?:\s+(.*?))?\s*$/.exec(written) : null;
      if (!match) return { problem: `${label} needs a variable name, then the question if you like: \`${row.example}\`` };
      return { value: match[2] ? { name: match[1], description: match[2] } : { name: match[1] } };
    }
  }
}

function secondsToMs(seconds: number): number | undefined {
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

/** Sets what a directive's value sets: a request option, or the request's name; a prompt is added to the request's prompts. */
export function setDirective(target: DirectiveTarget, row: DirectiveRow, value: DirectiveValue): void {
  const options = target.directives as Record<string, unknown>;
  if (row.option === 'name') target.name = String(value);
  else if (row.kind === 'prompt') options[row.option] = [...((options[row.option] as RequestPrompt[] | undefined) ?? []), value];
  else options[row.option] = value;
}

/** Applies the `.http` directive `name` with its trimmed `argument` to `target`. */
export function applyDirective(target: DirectiveTarget, name: string, argument: string): DirectiveOutcome {
  const row = rowsByName.get(name);
  if (!row) return 'unknown';
  // A `.http` flag is its own value: `# @no-redirect`.
  const read = row.kind === 'flag' ? { value: true } : readDirectiveValue(row, argument, `@${name}`);
  if ('problem' in read) return read;
  setDirective(target, row, read.value);
  return 'applied';
}
