import { randomInt, randomUUID } from 'node:crypto';
import type { Clock } from '../ports';

export type OffsetUnit = 'y' | 'M' | 'w' | 'd' | 'h' | 'm' | 's' | 'ms';

/** A REST Client time offset such as `-1 d`. */
export interface TimeOffset {
  readonly amount: number;
  readonly unit: OffsetUnit;
}

/** A parsed `{{$...}}` expression. */
export type DynamicCall =
  | { readonly fn: 'uuid' }
  | { readonly fn: 'isoTimestamp' }
  | { readonly fn: 'timestamp'; readonly offset?: TimeOffset }
  | { readonly fn: 'randomInt'; readonly min: number; readonly max: number }
  | { readonly fn: 'randomFloat'; readonly min: number; readonly max: number }
  /** JetBrains `$random.alphabetic(8)` and its siblings: `length` characters drawn from `alphabet`. */
  | { readonly fn: 'randomText'; readonly alphabet: string; readonly length: number }
  | { readonly fn: 'randomEmail' }
  | { readonly fn: 'datetime'; readonly local: boolean; readonly format: string; readonly offset?: TimeOffset }
  /** `indirect`: REST Client's `%name` — the name is the value of that environment variable. */
  | { readonly fn: 'processEnv' | 'dotenv'; readonly name: string; readonly indirect: boolean }
  | { readonly fn: 'cookie' | 'shared'; readonly name: string }
  /** JetBrains' `$auth.token("name")` / `$auth.idToken("name")`: the session's OAuth2 token of auth configuration `name`. */
  | { readonly fn: 'authToken' | 'authIdToken'; readonly name: string };

export interface DynamicParseError {
  readonly error: string;
  readonly unknownFunction: boolean;
}

export type DynamicParse = { readonly call: DynamicCall } | DynamicParseError;

/** The `$` names offered by completion, with a short description. */
export const dynamicVariableNames: readonly (readonly [name: string, description: string])[] = [
  ['$uuid', 'a random UUID v4'],
  ['$guid', 'a random UUID v4'],
  ['$random.uuid', 'a random UUID v4'],
  ['$timestamp', 'Unix time in seconds; optional offset: $timestamp -1 d'],
  ['$isoTimestamp', 'the current UTC time, ISO 8601'],
  ['$randomInt', 'a random integer: $randomInt min max (max exclusive)'],
  ['$random.integer', 'a random integer: $random.integer(min, max) (max exclusive)'],
  ['$random.float', 'a random number: $random.float(min, max)'],
  ['$random.alphabetic', 'random letters: $random.alphabetic(length)'],
  ['$random.alphanumeric', 'random letters, digits and _: $random.alphanumeric(length)'],
  ['$random.hexadecimal', 'random hex digits: $random.hexadecimal(length)'],
  ['$random.numeric', 'random digits: $random.numeric(length)'],
  ['$random.email', 'a random e-mail address'],
  ['$datetime', 'UTC date: $datetime iso8601|rfc1123|"format" [offset unit]'],
  ['$localDatetime', 'local date: $localDatetime iso8601|rfc1123|"format" [offset unit]'],
  ['$processEnv', 'a process environment variable: $processEnv NAME'],
  ['$dotenv', 'a value from the .env file next to the request file: $dotenv NAME'],
  ['$cookie', "the session jar's cookie for this request's URL: $cookie NAME"],
  ['$shared', 'a $shared environment value: $shared NAME'],
  ['$auth.token', 'the session\'s OAuth2 access token of an auth configuration: $auth.token("name")'],
  ['$auth.idToken', 'the session\'s OpenID Connect ID token of an auth configuration: $auth.idToken("name")'],
];

const units = new Set<string>(['y', 'M', 'w', 'd', 'h', 'm', 's', 'ms']);

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** The JetBrains `$random.<kind>(length)` alphabets. */
const randomAlphabets: Readonly<Record<string, string>> = {
  alphabetic: letters,
  alphanumeric: `${letters}0123456789_`,
  hexadecimal: '0123456789abcdef',
  numeric: '0123456789',
};
/** Longer than any real value needs; a typo of 10 digits must not build a gigabyte. */
const maxRandomLength = 4096;

/** JetBrains' `$random.name(arguments)` call syntax, or `$random.name` bare. */
function parseJetBrainsRandom(expression: string): DynamicParse | undefined {
  const match = /^\$random\.(\w+)(?:\(\s*([^)]*?)\s*\))?$/.exec(expression);
  if (!match) return undefined;
  const [, kind = '', argumentText] = match;
  const args = argumentText ? argumentText.split(/\s*,\s*/) : [];
  const name = `$random.${kind}`;
  if (kind in randomAlphabets) {
    const length = Number(args[0]);
    if (args.length !== 1 || !Number.isSafeInteger(length) || length < 0 || length > maxRandomLength) return badArgs(name, `needs a length from 0 to ${maxRandomLength}: ${name}(8)`);
    return { call: { fn: 'randomText', alphabet: randomAlphabets[kind]!, length } };
  }
  switch (kind) {
    case 'uuid':
    case 'email':
      return args.length === 0 && argumentText === undefined ? { call: kind === 'uuid' ? { fn: 'uuid' } : { fn: 'randomEmail' } } : badArgs(name, 'takes no arguments');
    case 'integer':
      // Bare, it is 0..1000 as in JetBrains.
      if (args.length === 0) return { call: { fn: 'randomInt', min: 0, max: 1001 } };
      return args.length === 2 ? randomIntCall(args[0]!, args[1]!) : badArgs(name, `needs: ${name}(min, max)`);
    case 'float': {
      const [min, max] = args.length === 0 ? [0, 1000] : args.map(Number);
      if (args.length !== 0 && args.length !== 2) return badArgs(name, `needs: ${name}(min, max)`);
      if (!Number.isFinite(min) || !Number.isFinite(max) || max! <= min!) return badArgs(name, 'needs finite bounds, max above min');
      return { call: { fn: 'randomFloat', min: min!, max: max! } };
    }
    default:
      return undefined;
  }
}

/** Parses a `$`-prefixed expression without evaluating it (also used by the static check). */
export function parseDynamicExpression(expression: string): DynamicParse {
  const jetBrains = parseJetBrainsRandom(expression);
  if (jetBrains) return jetBrains;
  const auth = /^\$auth\.(token|idToken)\s*\(\s*(?:"([^"]+)"|'([^']+)')\s*\)$/.exec(expression);
  if (auth) return { call: { fn: auth[1] === 'token' ? 'authToken' : 'authIdToken', name: (auth[2] ?? auth[3])! } };
  if (/^\$auth\.(token|idToken)\b/.test(expression)) return badArgs(expression.split('(')[0]!.trim(), 'needs one quoted name: $auth.token("name")');
  const [head = '', ...args] = splitArguments(expression);
  switch (head) {
    case '$uuid':
    case '$guid':
      return args.length === 0 ? { call: { fn: 'uuid' } } : badArgs(head, 'takes no arguments');
    case '$isoTimestamp':
      return args.length === 0 ? { call: { fn: 'isoTimestamp' } } : badArgs(head, 'takes no arguments');
    case '$timestamp': {
      const offset = parseOffset(head, args);
      return 'error' in offset ? offset : { call: { fn: 'timestamp', offset: offset.offset } };
    }
    case '$randomInt':
      // JetBrains' bare $randomInt is 0..1000.
      if (args.length === 0) return { call: { fn: 'randomInt', min: 0, max: 1001 } };
      return args.length === 2 ? randomIntCall(args[0]!, args[1]!) : badArgs(head, 'needs: $randomInt min max');
    case '$datetime':
    case '$localDatetime': {
      const [format, ...rest] = args;
      if (format === undefined) return badArgs(head, `needs a format: ${head} iso8601|rfc1123|"format"`);
      const offset = parseOffset(head, rest);
      if ('error' in offset) return offset;
      return { call: { fn: 'datetime', local: head === '$localDatetime', format, offset: offset.offset } };
    }
    case '$processEnv':
    case '$dotenv': {
      if (args.length !== 1) return badArgs(head, `needs one name: ${head} NAME`);
      const indirect = args[0]!.startsWith('%');
      const fn = head === '$processEnv' ? 'processEnv' : 'dotenv';
      return { call: { fn, name: indirect ? args[0]!.slice(1) : args[0]!, indirect } };
    }
    case '$cookie':
    case '$shared':
      if (args.length !== 1) return badArgs(head, `needs one name: ${head} NAME`);
      return { call: { fn: head === '$cookie' ? 'cookie' : 'shared', name: args[0]! } };
    default:
      return { error: `Unknown dynamic variable '${head}'`, unknownFunction: true };
  }
}

/** Evaluates the calls that need only a clock and randomness. */
export function evaluateDynamic(
  call: Extract<DynamicCall, { fn: 'uuid' | 'isoTimestamp' | 'timestamp' | 'randomInt' | 'randomFloat' | 'randomText' | 'randomEmail' | 'datetime' }>,
  clock: Clock,
): string {
  switch (call.fn) {
    case 'randomText':
      return Array.from({ length: call.length }, () => call.alphabet[randomInt(call.alphabet.length)]).join('');
    case 'randomEmail':
      return `${randomLetters(10)}@${randomLetters(7)}.com`;
    case 'randomFloat':
      return String(call.min + Math.random() * (call.max - call.min));
    case 'uuid':
      return randomUUID();
    case 'isoTimestamp':
      return new Date(clock.now()).toISOString();
    case 'timestamp':
      return String(Math.floor(shift(clock.now(), call.offset) / 1000));
    case 'randomInt':
      return String(randomInt(call.min, call.max));
    case 'datetime':
      return formatDate(new Date(shift(clock.now(), call.offset)), call.format, call.local);
  }
}

function randomLetters(length: number): string {
  return Array.from({ length }, () => letters[randomInt(26)]).join('');
}

function randomIntCall(min: string, max: string): DynamicParse {
  const low = Number(min);
  const high = Number(max);
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) return badArgs('$randomInt', 'needs integer bounds');
  if (high <= low) return badArgs('$randomInt', `max (${high}) must be greater than min (${low})`);
  return { call: { fn: 'randomInt', min: low, max: high } };
}

function badArgs(name: string, problem: string): DynamicParseError {
  return { error: `${name} ${problem}`, unknownFunction: false };
}

function parseOffset(name: string, args: readonly string[]): { offset?: TimeOffset } | DynamicParseError {
  if (args.length === 0) return {};
  const [amount = '', unit = ''] = args;
  if (args.length !== 2 || !/^[+-]?\d+$/.test(amount) || !units.has(unit)) {
    return badArgs(name, 'offset must be `<integer> <unit>` with unit one of y M w d h m s ms');
  }
  return { offset: { amount: Number(amount), unit: unit as OffsetUnit } };
}

/** Splits on blanks, keeping "quoted" and 'quoted' arguments whole (quotes removed). */
function splitArguments(expression: string): string[] {
  return [...expression.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

const unitMs: Readonly<Record<Exclude<OffsetUnit, 'y' | 'M'>, number>> = {
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

function shift(epochMs: number, offset: TimeOffset | undefined): number {
  if (!offset) return epochMs;
  if (offset.unit === 'y' || offset.unit === 'M') {
    const date = new Date(epochMs);
    const months = offset.unit === 'y' ? offset.amount * 12 : offset.amount;
    date.setUTCMonth(date.getUTCMonth() + months);
    return date.getTime();
  }
  return epochMs + offset.amount * unitMs[offset.unit];
}

const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Formats as `iso8601`, `rfc1123`, or a Day.js-style pattern (YYYY MM DD HH mm ss SSS Z, `[literal]`). */
export function formatDate(date: Date, format: string, local: boolean): string {
  const parts = local
    ? { y: date.getFullYear(), mo: date.getMonth(), d: date.getDate(), wd: date.getDay(), h: date.getHours(), mi: date.getMinutes(), s: date.getSeconds(), ms: date.getMilliseconds(), offset: -date.getTimezoneOffset() }
    : { y: date.getUTCFullYear(), mo: date.getUTCMonth(), d: date.getUTCDate(), wd: date.getUTCDay(), h: date.getUTCHours(), mi: date.getUTCMinutes(), s: date.getUTCSeconds(), ms: date.getUTCMilliseconds(), offset: 0 };
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const zone = (separator: string): string =>
    `${parts.offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(parts.offset) / 60))}${separator}${pad(Math.abs(parts.offset) % 60)}`;
  if (format === 'iso8601') {
    return local ? formatDate(date, 'YYYY-MM-DDTHH:mm:ssZ', true) : date.toISOString();
  }
  if (format === 'rfc1123') {
    return local ? formatDate(date, 'ddd, DD MMM YYYY HH:mm:ss ZZ', true) : date.toUTCString();
  }
  const tokens: Readonly<Record<string, () => string>> = {
    YYYY: () => String(parts.y),
    YY: () => pad(parts.y % 100),
    MMMM: () => monthNames[parts.mo]!,
    MMM: () => monthNames[parts.mo]!.slice(0, 3),
    MM: () => pad(parts.mo + 1),
    M: () => String(parts.mo + 1),
    DD: () => pad(parts.d),
    D: () => String(parts.d),
    dddd: () => dayNames[parts.wd]!,
    ddd: () => dayNames[parts.wd]!.slice(0, 3),
    HH: () => pad(parts.h),
    H: () => String(parts.h),
    hh: () => pad(parts.h % 12 || 12),
    h: () => String(parts.h % 12 || 12),
    mm: () => pad(parts.mi),
    m: () => String(parts.mi),
    ss: () => pad(parts.s),
    s: () => String(parts.s),
    SSS: () => pad(parts.ms, 3),
    A: () => (parts.h < 12 ? 'AM' : 'PM'),
    a: () => (parts.h < 12 ? 'am' : 'pm'),
    ZZ: () => zone(''),
    Z: () => zone(':'),
    X: () => String(Math.floor(date.getTime() / 1000)),
    x: () => String(date.getTime()),
  };
  return format.replace(/\[([^\]]*)]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|SSS|A|a|ZZ|Z|X|x/g, (token, literal?: string) =>
    literal ?? tokens[token]!(),
  );
}
