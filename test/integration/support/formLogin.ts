// The browser-style form login both the Spring app and the demo server must support, asserted
// step by step: shared so the two servers are held to the same wire behaviour.
import assert from 'node:assert/strict';
import { CookieClient, hiddenCsrf, setCookieNames } from './cookieClient';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export const user: Credentials = { username: 'user', password: 'password' };
export const admin: Credentials = { username: 'admin', password: 'admin' };

/**
 * GET the login page, POST it back with its `_csrf` field, and check: the page's token is the
 * XSRF-TOKEN cookie, the login rotates JSESSIONID and the CSRF token, and redirects to
 * `expectedLocation` (default: the context root). `contextPath` is '' or e.g. '/app'.
 */
export async function formLogin(
  client: CookieClient,
  { contextPath = '', credentials = user, expectedLocation }: { contextPath?: string; credentials?: Credentials; expectedLocation?: string } = {},
): Promise<void> {
  const cookiePath = contextPath || '/';
  const page = await client.send('GET', `${contextPath}/login`, { headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  const csrf = hiddenCsrf(page.text);
  assert.ok(csrf, 'login page has a hidden _csrf input');
  assert.equal(client.cookie('XSRF-TOKEN', cookiePath), csrf, 'the form token is the XSRF-TOKEN cookie');
  const sessionBefore = client.cookie('JSESSIONID', cookiePath);
  assert.ok(sessionBefore, 'showing the login page starts a session');

  const login = await client.send('POST', `${contextPath}/login`, { form: { ...credentials, _csrf: csrf } });
  assert.equal(login.status, 302);
  assert.equal(login.headers.get('location'), expectedLocation ?? `${client.baseUrl}${contextPath}/`);
  // Spring's CsrfAuthenticationStrategy clears the old token, then sets a new one.
  assert.deepEqual(setCookieNames(login.setCookies).sort(), ['JSESSIONID', 'XSRF-TOKEN', 'XSRF-TOKEN']);
  const sessionAfter = client.cookie('JSESSIONID', cookiePath);
  assert.ok(sessionAfter);
  assert.notEqual(sessionAfter, sessionBefore, 'JSESSIONID rotated at login');
  const csrfAfter = client.cookie('XSRF-TOKEN', cookiePath);
  assert.ok(csrfAfter);
  assert.notEqual(csrfAfter, csrf, 'CSRF token rotated at login');

  const me = await client.send('GET', `${contextPath}/api/me`);
  assert.equal(me.status, 200);
  assert.deepEqual(JSON.parse(me.text), {
    name: credentials.username,
    roles: [credentials.username === 'admin' ? 'ROLE_ADMIN' : 'ROLE_USER'],
  });
}

/** Asserts Spring Boot's JSON error body. */
export function assertBootError(text: string, status: number, error: string, path: string): void {
  const body = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['timestamp', 'status', 'error', 'message', 'path']);
  assert.match(String(body.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
  assert.deepEqual({ ...body, timestamp: undefined }, { timestamp: undefined, status, error, message: error, path });
}
