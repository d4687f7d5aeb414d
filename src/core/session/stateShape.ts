// The shape of a stored session state, checked field by field on load. The state comes from a file or
// workspace state that anything may have changed, and a field of the wrong type does not fail where it
// is read but much later (a 401's diagnosis, every save), so the first wrong field is named up front.
// Unknown fields are let through: a later build of the same state version may add optional ones.
import { HttpSessionError } from '../errors';
import type { FixAction, SessionCookieEventKind, SessionEndCause } from '../model/exchange';

/** Throws HS_STATE naming the field (`history[3].response.status`) when `value` is not what it should be. */
type Check = (value: unknown, at: string) => void;

function described(value: unknown): string {
  if (value === undefined) return 'is missing';
  if (value === null) return 'is null';
  if (Array.isArray(value)) return 'is a list';
  // Numbers and booleans say what is wrong with them; text is not quoted (it may be a cookie value).
  if (typeof value === 'number' || typeof value === 'boolean') return `is ${value}`;
  return `is ${typeof value === 'object' ? 'an object' : `a ${typeof value}`}`;
}

function refuse(at: string, expected: string, value: unknown): never {
  throw new HttpSessionError('HS_STATE', `${at || 'the session state'} ${described(value)}, expected ${expected}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A check of one value by a test; `expected` says what the test wants. */
const leaf =
  (test: (value: unknown) => boolean, expected: string): Check =>
  (value, at) =>
    test(value) || refuse(at, expected, value);

const isText = (value: unknown): value is string => typeof value === 'string';
const isDate = (value: unknown) => isText(value) && Number.isFinite(Date.parse(value));

const text = leaf(isText, 'text');
const flag = leaf((value) => typeof value === 'boolean', 'true or false');
const finite = leaf(Number.isFinite, 'a number');
const count = leaf((value) => Number.isSafeInteger(value) && (value as number) >= 0, 'a whole number');
const status = leaf((value) => Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 999, 'an HTTP status');
// The range of a JavaScript Date: a time outside it cannot be shown or written back.
const time = leaf((value) => typeof value === 'number' && Math.abs(value) <= 8.64e15, 'a time in milliseconds');
const date = leaf(isDate, 'a date');
const url = leaf((value) => isText(value) && URL.canParse(value), 'a URL');
const base64 = leaf((value) => isText(value) && /^[A-Za-z0-9+/]*={0,2}$/.test(value), 'base64 text');

const oneOf = (...values: readonly unknown[]): Check => leaf((value) => values.includes(value), `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);

const listOf =
  (item: Check): Check =>
  (value, at) => {
    if (!Array.isArray(value)) refuse(at, 'a list', value);
    value.forEach((element, index) => item(element, `${at}[${index}]`));
  };

/** An object whose `required` fields are there and whose `optional` ones, when there, pass their checks. */
function shape(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (value, at) => {
    if (!isPlainObject(value)) refuse(at, 'an object', value);
    // Own fields only: `constructor` or `toString` must not pass for a stored field.
    const field = (key: string) => (Object.hasOwn(value, key) ? value[key] : undefined);
    const path = (key: string) => (at ? `${at}.${key}` : key);
    for (const [key, check] of Object.entries(required)) check(field(key), path(key));
    for (const [key, check] of Object.entries(optional)) if (field(key) !== undefined) check(field(key), path(key));
  };
}

const headerList = listOf((value, at) => {
  if (!Array.isArray(value) || value.length !== 2) refuse(at, 'a [name, value] pair', value);
  text(value[0], `${at}[0]`);
  text(value[1], `${at}[1]`);
});

const cookieRecord = shape(
  { name: text, value: text, domain: text, path: text, secure: flag, httpOnly: flag, hostOnly: flag },
  { expires: date, sameSite: text, creation: date, lastAccessed: date },
);

const exchangeCookies = shape({
  sent: listOf(shape({ name: text, value: text, source: oneOf('jar', 'header') }, { overrodeJar: flag })),
  stored: listOf(cookieRecord),
  rejected: listOf(shape({ setCookie: text, url, reason: text })),
});

const eventKinds: readonly SessionCookieEventKind[] = ['issued', 'rotated', 'cleared', 'rejected-by-server', 'rejected-by-jar'];
const endCauses: readonly SessionEndCause[] = ['remember-me', 'concurrent-login'];

const sessionEvent = shape(
  { kind: oneOf(...eventKinds), cookieName: text, domain: text, path: text, at: time, exchangeId: text, url },
  { requestName: text, idleGapMs: finite, cause: oneOf(...endCauses) },
);

const fixFields: Readonly<Record<FixAction['kind'], readonly string[]>> = {
  'rerun-request': ['requestName'],
  resend: [],
  'add-header': ['name', 'value'],
  'switch-host': ['url'],
  'clear-cookie': ['name', 'domain', 'path'],
  'remove-directive': ['directive'],
  'remove-header': ['name'],
};

const fixAction: Check = (value, at) => {
  shape({ kind: oneOf(...Object.keys(fixFields)) })(value, at);
  const fields = fixFields[(value as FixAction).kind];
  shape(Object.fromEntries(fields.map((field) => [field, text])))(value, at);
};

const finding = shape({ id: text, message: text, evidence: listOf(text) }, { fix: shape({ title: text }, { action: fixAction }) });

const storedExchangeFields = shape(
  {
    id: text,
    sessionName: text,
    startedAt: time,
    request: shape({ method: text, url: text, headers: headerList, bodySize: count }, { name: text, source: shape({ file: text, line: count }), bodyText: text }),
    timings: shape({ totalMs: finite }, { connectMs: finite, tlsMs: finite, firstByteMs: finite, downloadMs: finite }),
    connectionReused: flag,
    cookies: exchangeCookies,
    redirects: listOf(shape({ method: text, url, status, location: text, cookies: exchangeCookies })),
    sessionEvents: listOf(sessionEvent),
    findings: listOf(finding),
  },
  {
    response: shape({ status, statusText: text, httpVersion: text, headers: headerList, body: base64, bodySize: count, truncated: flag, url }),
    error: shape({ code: text, message: text }),
    tests: listOf(shape({ name: text, passed: flag }, { message: text })),
    scriptLog: listOf(text),
  },
);

const storedExchange: Check = (value, at) => {
  storedExchangeFields(value, at);
  // A request that got a response went out, so its URL parses (the doctor reads it); a refused one may not.
  const exchange = value as { request: { url: unknown }; response?: unknown };
  if (exchange.response !== undefined) url(exchange.request.url, `${at}.request.url`);
};

const lifecycle = shape(
  { cookieName: text, domain: text, path: text, events: listOf(sessionEvent) },
  {
    issuedAt: time,
    issuedBy: text,
    lastRotatedAt: time,
    lastSentAt: time,
    lastSuccessAt: time,
    endedAt: time,
    longestWorkingIdleMs: finite,
    shortestFailedIdleMs: finite,
  },
);

/** tough-cookie's `Cookie.toJSON()`: it leaves out what equals its defaults, so every field is optional; null is its "unset". */
const storedCookie = shape(
  {},
  {
    key: text,
    value: text,
    expires: leaf((value) => value === 'Infinity' || value === null || isDate(value), 'a date or "Infinity"'),
    maxAge: leaf((value) => Number.isFinite(value) || value === 'Infinity' || value === '-Infinity', 'a number of seconds'),
    domain: leaf((value) => value === null || isText(value), 'a domain'),
    path: leaf((value) => value === null || isText(value), 'a path'),
    secure: flag,
    httpOnly: flag,
    extensions: listOf(text),
    hostOnly: leaf((value) => value === null || typeof value === 'boolean', 'true or false'),
    pathIsDefault: leaf((value) => value === null || typeof value === 'boolean', 'true or false'),
    creation: leaf((value) => value === null || isDate(value), 'a date'),
    lastAccessed: leaf((value) => value === null || isDate(value), 'a date'),
    sameSite: text,
  },
);

/** Checks one stored exchange, a session-cookie lifecycle and a jar cookie record, for stores outside the session state (the panel's history). */
export const checkStoredExchange: Check = storedExchange;
export const checkStoredLifecycles: Check = listOf(lifecycle);
export const checkStoredCookieRecords: Check = listOf(cookieRecord);

const textMap: Check = (value, at) => {
  if (!isPlainObject(value)) refuse(at, 'an object', value);
  for (const [key, entry] of Object.entries(value)) text(entry, `${at}.${key}`);
};

const storedToken = shape({ accessToken: text, issuedAt: time }, { idToken: text, refreshToken: text, scope: text, expiresAt: time });
const tokenMap: Check = (value, at) => {
  if (!isPlainObject(value)) refuse(at, 'an object', value);
  for (const [key, entry] of Object.entries(value)) storedToken(entry, `${at}.${key}`);
};

const tokenEvent = shape(
  { kind: oneOf('issued', 'refreshed', 'expired', 'revoked', 'used'), at: time, configName: text },
  // Any grant name: the grants grow (authorization code, device), and a kept event of a newer one must still load.
  { grant: text, scope: text, expiresAt: time },
);

/** Checks the token lifetime events a store outside the session keeps (the panel's history). */
export const checkStoredTokenEvents: Check = listOf(tokenEvent);

/** Checks what a TokenVault kept for one session: its tokens and their lifetime events. */
export const checkVaultTokens: Check = shape({ tokens: tokenMap, timeline: listOf(tokenEvent) });

/** Checks a whole stored session state (see `SessionState`); throws HS_STATE naming the first wrong field. */
export function checkSessionState(value: unknown, version: number): void {
  shape(
    {
      version: oneOf(version),
      name: text,
      jar: shape({ cookies: listOf(storedCookie) }),
      lifecycles: shape({ cookies: listOf(shape({ lifecycle, active: flag }, { value: text })) }),
      history: listOf(storedExchange),
    },
    { globals: textMap, tokens: tokenMap },
  )(value, '');
}
