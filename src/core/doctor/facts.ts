import { requestAsSent, type CookieRecord, type Exchange, type Finding, type ResponseRecord, type SentCookie } from '../model/exchange';
import { formField, isUnsafeMethod } from '../send/csrf';
import { isConcurrentLoginExpiry } from '../session/springSignals';
import { extractFormFieldValue } from '../vars/formField';
import { challengeOf, credentialsOf, type Challenge, type Credentials } from './authHeaders';
import { defaultLoginPaths, type DoctorContext } from './context';
import { headerValue } from '../model/headers';
import { bodyText } from './evidence';

/**
 * Why the doctor looks at an exchange at all. `session-ended`: Spring answered (with 200) that a newer
 * login of the same user expired this session.
 */
export type Trigger = 'unauthorized' | 'forbidden' | 'login-redirect' | 'login-error' | 'session-ended';

/** The hop that failed: the one redirected to the login page, else the final one. */
export interface FailedHop {
  readonly method: string;
  readonly url: URL;
  readonly status: number;
  /** The resolved Location of a redirect hop. */
  readonly location?: URL;
  readonly sent: readonly SentCookie[];
}

/** What every rule starts from. */
export interface Facts {
  readonly exchange: Exchange;
  readonly response: ResponseRecord;
  readonly context: DoctorContext;
  readonly trigger: Trigger;
  readonly hop: FailedHop;
  readonly challenge?: Challenge;
  readonly credentials?: Credentials;
  /**
   * False when the request authenticated another way (an Authorization header) or the server asked for a
   * Bearer token: then a 401 has its own reason and cookie rules stay quiet.
   */
  readonly cookieAuth: boolean;
}

/** The facts of an exchange the doctor should diagnose; undefined when it needs no diagnosis. */
export function factsOf(exchange: Exchange, context: DoctorContext): Facts | undefined {
  const response = exchange.response;
  if (!response) return undefined;
  const found = triggerOf(exchange, context);
  if (!found) return undefined;
  const challenge = challengeOf(response.headers);
  const credentials = credentialsOf(exchange.request.headers);
  return {
    exchange,
    response,
    context,
    ...found,
    challenge,
    credentials,
    cookieAuth: credentials === undefined && challenge?.scheme !== 'bearer',
  };
}

function hopsOf(exchange: Exchange, response: ResponseRecord): FailedHop[] {
  const hops = exchange.redirects.map((hop) => ({
    method: hop.method,
    url: new URL(hop.url),
    status: hop.status,
    location: resolve(hop.location, hop.url),
    sent: hop.cookies.sent,
  }));
  const last = exchange.redirects.at(-1);
  // 303, and 301/302 after a POST, turn into GET — as undici and browsers do.
  const method =
    last === undefined || last.status === 307 || last.status === 308 || (last.status !== 303 && last.method !== 'POST')
      ? (last?.method ?? exchange.request.method)
      : 'GET';
  const location = headerValue(response.headers, 'Location');
  const finalUrl = response.url || exchange.request.url;
  hops.push({
    method,
    url: new URL(finalUrl),
    status: response.status,
    location: response.status >= 300 && response.status < 400 && location ? resolve(location, finalUrl) : undefined,
    sent: exchange.cookies.sent,
  });
  return hops;
}

function resolve(location: string, base: string): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

function triggerOf(exchange: Exchange, context: DoctorContext): Pick<Facts, 'trigger' | 'hop'> | undefined {
  const response = exchange.response;
  if (!response) return undefined;
  const hops = hopsOf(exchange, response);
  const finalHop = hops[hops.length - 1]!;
  const toLogin = hops.find((hop) => hop.location && isLoginPage(hop.location, context));
  if (toLogin?.location?.searchParams.has('error')) return { trigger: 'login-error', hop: toLogin };
  if (toLogin && !toLogin.location?.searchParams.has('logout') && !isLogoutPath(toLogin.url)) {
    return { trigger: 'login-redirect', hop: toLogin };
  }
  if (response.status === 401) {
    return { trigger: isLoginRequest(exchange, context) ? 'login-error' : 'unauthorized', hop: finalHop };
  }
  if (response.status === 403) return { trigger: 'forbidden', hop: finalHop };
  if (isConcurrentLoginExpiry(response.body)) return { trigger: 'session-ended', hop: finalHop };
  return undefined;
}

/** Whether a URL is a login page by its path (`/login`, `/signin`… or the configured list). */
export function isLoginPage(url: URL, context: DoctorContext): boolean {
  const path = url.pathname
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.[a-z]+$/, '');
  return (context.loginPaths ?? defaultLoginPaths).some((loginPath) => path.endsWith(loginPath.toLowerCase()));
}

function isLogoutPath(url: URL): boolean {
  return /\/logout\/?$/i.test(url.pathname);
}

/** A login-like request: named as one in the file, or a POST to a login page. */
export function isLoginRequest(exchange: Exchange, context: DoctorContext): boolean {
  const name = exchange.request.name;
  if (name !== undefined && context.loginRequestNames.includes(name)) return true;
  const sent = requestAsSent(exchange);
  return sent.method.toUpperCase() === 'POST' && isLoginPage(new URL(sent.url), context);
}

/** A login-like request that got through (no 4xx/5xx, no bounce to `/login?error`). */
export function isSuccessfulLogin(exchange: Exchange, context: DoctorContext): boolean {
  const response = exchange.response;
  return isLoginRequest(exchange, context) && response !== undefined && response.status < 400 && !triggerOf(exchange, context);
}

/** A logout that took effect: `/logout` answered without error, or a redirect to `/login?logout`. */
export function isLogout(exchange: Exchange, context: DoctorContext): boolean {
  const response = exchange.response;
  if (!response) return false;
  const hops = hopsOf(exchange, response);
  if (hops.some((hop) => hop.location && isLoginPage(hop.location, context) && hop.location.searchParams.has('logout'))) return true;
  return isLogoutPath(new URL(requestAsSent(exchange).url)) && response.status < 400;
}

/** The session's history followed by the exchange being diagnosed. */
export function timeline(facts: Facts): readonly Exchange[] {
  return [...facts.context.history, facts.exchange];
}

/**
 * The latest exchange (in history or this one) that stored the cookie `name`, optionally with `value`. Exchanges
 * restored from storage are skipped: their cookie values are masked, so they cannot tell.
 */
export function lastStoredBy(
  exchanges: readonly Exchange[],
  name: string,
  value?: string,
): { readonly exchange: Exchange; readonly cookie: CookieRecord } | undefined {
  for (let index = exchanges.length - 1; index >= 0; index--) {
    const exchange = exchanges[index]!;
    if (exchange.redacted) continue;
    const cookie = exchange.cookies.stored.findLast((stored) => stored.name === name && (value === undefined || stored.value === value));
    if (cookie) return { exchange, cookie };
  }
  return undefined;
}

/** Whether the failed hop's method is one CSRF protection checks. */
export function isUnsafe(facts: Facts): boolean {
  return isUnsafeMethod(facts.hop.method);
}

/** The CSRF token the request carried: in the header, or as a form field of a known body. */
export type SentToken =
  /** `name`: the header or field it went in. */
  | { readonly via: 'header' | 'field'; readonly name: string; readonly value: string }
  /** `bodyChecked` is false when a body was sent but the doctor was not given its text. */
  | { readonly via: 'none'; readonly bodyChecked: boolean };

const sessionCsrfHeaderName = 'X-CSRF-TOKEN';

/** Which CSRF token went out with the request. */
export function sentCsrfToken(facts: Facts): SentToken {
  const { csrf, requestBody } = facts.context;
  // X-CSRF-TOKEN is the header of Spring's session-stored token (HttpSessionCsrfTokenRepository).
  for (const name of [csrf.headerName, sessionCsrfHeaderName]) {
    const header = headerValue(facts.exchange.request.headers, name);
    if (header !== undefined) return { via: 'header', name, value: header };
  }
  if (requestBody === undefined) return { via: 'none', bodyChecked: facts.exchange.request.bodySize === 0 };
  const field = formField(requestBody, headerValue(facts.exchange.request.headers, 'Content-Type') ?? '', csrf.fieldName);
  return field === undefined ? { via: 'none', bodyChecked: true } : { via: 'field', name: csrf.fieldName, value: field };
}

/** The latest earlier response (same origin) whose HTML carried the CSRF form field, with its token. */
export function lastFormToken(facts: Facts): { readonly exchange: Exchange; readonly value: string } | undefined {
  const origin = facts.hop.url.origin;
  for (const exchange of [...facts.context.history].reverse()) {
    const response = exchange.response;
    if (!response || new URL(response.url).origin !== origin) continue;
    if (!/html/i.test(headerValue(response.headers, 'Content-Type') ?? '')) continue;
    const value = extractFormFieldValue(bodyText(response), facts.context.csrf.fieldName);
    if (value !== undefined) return { exchange, value };
  }
  return undefined;
}

/** The session cookies that went out with the failed hop. */
export function sentSessionCookies(facts: Facts): readonly SentCookie[] {
  return facts.hop.sent.filter((cookie) => facts.context.sessionCookieNames.includes(cookie.name));
}

/**
 * A 401, a redirect to login, or a 403 to a request that carried neither a session cookie nor credentials
 * (Spring answers anonymous requests 403 when no login entry point is configured).
 */
export function sessionMissingOrRejected(facts: Facts): boolean {
  if (!facts.cookieAuth) return false;
  if (facts.trigger === 'unauthorized' || facts.trigger === 'login-redirect') return true;
  return facts.trigger === 'forbidden' && sentSessionCookies(facts).length === 0;
}

/** Whether this server is used with sessions at all: a login request, a session cookie, a redirect to login. */
export function sessionInUse(facts: Facts): boolean {
  const { context } = facts;
  return (
    context.loginRequestNames.length > 0 ||
    context.lifecycles.length > 0 ||
    context.jar.some((cookie) => context.sessionCookieNames.includes(cookie.name)) ||
    facts.trigger === 'login-redirect'
  );
}

/** Session cookies the server set in this exchange (Spring starts a new session for an anonymous request). */
export function freshSessionCookies(facts: Facts): readonly CookieRecord[] {
  return facts.exchange.cookies.stored.filter((cookie) => facts.context.sessionCookieNames.includes(cookie.name));
}

/** A diagnosis rule: one stable id, one finding at most. */
export type Rule = (facts: Facts) => Finding | undefined;
