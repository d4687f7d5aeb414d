import { headerValue } from '../../model/headers';
import { describeExchange, withErrorBody } from '../evidence';
import { formField } from '../../send/csrf';
import type { Facts, Rule } from '../facts';
import { rerunLoginFix } from '../fixes';

// The login page as an answer: a failed login bounced to /login?error, or a protected URL sent to /login.

const userFields = ['username', 'user', 'email', 'login'];

/** The user name a login request sent (form or JSON body), never the password. */
function loginUser(facts: Facts): string | undefined {
  const body = facts.context.requestBody;
  if (body === undefined) return undefined;
  // A redirect that turned the POST into a GET dropped the Content-Type from the recorded (final) headers.
  const contentType =
    headerValue(facts.exchange.request.headers, 'Content-Type') ?? (/^\s*\{/.test(body) ? 'application/json' : 'application/x-www-form-urlencoded');
  if (/json/i.test(contentType)) {
    try {
      const parsed: unknown = JSON.parse(body);
      const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
      const user = userFields.map((field) => fields[field]).find((value) => typeof value === 'string');
      return typeof user === 'string' ? user : undefined;
    } catch {
      return undefined;
    }
  }
  return userFields.map((field) => formField(body, contentType, field)).find((value) => value !== undefined);
}

function hopLine(facts: Facts): string {
  const { hop } = facts;
  return `${hop.method} ${hop.url.href} → ${hop.status}${hop.location ? ` Location: ${hop.location.href}` : ''}`;
}

/** `login-failed`: the login request came back to `/login?error` (or 401): the server refused the credentials. */
export const loginFailed: Rule = (facts) => {
  if (facts.trigger !== 'login-error') return undefined;
  const user = loginUser(facts);
  const where = facts.hop.location ? `was sent back to ${facts.hop.location.pathname}${facts.hop.location.search}` : `got ${facts.hop.status}`;
  return {
    id: 'login-failed',
    message: `Login failed: ${describeExchange(facts.exchange)} ${where} — the server rejected the credentials${user ? ` for '${user}'` : ''}.`,
    evidence: withErrorBody(facts.response, [
      hopLine(facts),
      user ? `The request logged in as '${user}'` : undefined,
      facts.hop.location
        ? "Spring's form login redirects to ?error when authentication fails: bad credentials, a locked or disabled account"
        : undefined,
    ]),
    fix: { title: `Check the user name and password sent by ${facts.exchange.request.name ? `'${facts.exchange.request.name}'` : 'this request'} (and the environment that fills them), then send it again` },
  };
};

/** `redirect-to-login`: Spring's form-login entry point redirected a protected request to the login page. */
export const redirectToLogin: Rule = (facts) => {
  if (facts.trigger !== 'login-redirect') return undefined;
  const accept = headerValue(facts.exchange.request.headers, 'Accept');
  const asksJson = accept !== undefined && /json/i.test(accept);
  const followed = facts.exchange.redirects.length > 0 ? `; the redirect was followed and the final response is ${facts.response.url} (${facts.response.status})` : '';
  return {
    id: 'redirect-to-login',
    message: asksJson
      ? `Redirected to the login page (${facts.hop.location?.pathname}): the server wants a login first, even for Accept: application/json.`
      : `Redirected to the login page (${facts.hop.location?.pathname}): Spring's form-login entry point does this for browser-like requests. An API client should send Accept: application/json to get a 401 instead — or log in first.`,
    evidence: [
      hopLine(facts) + followed,
      accept === undefined ? 'No Accept header was sent' : `Sent Accept: ${accept}`,
      asksJson ? undefined : 'Spring Boot picks the login-page entry point for requests that accept text/html, and a 401 with Boot\'s JSON error body for API clients',
    ].filter((line) => line !== undefined),
    fix: asksJson ? rerunLoginFix(facts) : { title: 'Send Accept: application/json to get a 401 instead of the login page', action: { kind: 'add-header', name: 'Accept', value: 'application/json' } },
  };
};
