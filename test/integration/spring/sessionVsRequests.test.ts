// Our Session against the real Tomcat + Spring app, next to python requests.Session as the
// reference: the same flow must give the same statuses, redirect hops and cookies (name, path).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Exchange, HttpRequest } from '../../../src/core/model/exchange';
import { Session } from '../../../src/core/session';
import { hiddenCsrf } from '../support/cookieClient';
import { type FlowStep, type FlowSummary, runRequestsFlow } from '../support/requestsFlow';
import { startSpringApp, type SpringApp } from '../support/springApp';

const sessionTimeoutSeconds = 2;
let app: SpringApp;

before(async () => {
  app = await startSpringApp({ sessionTimeoutSeconds });
});
after(() => app?.stop());

function request(method: string, url: string, body?: { form: Record<string, string> } | { json: unknown }, headers: [string, string][] = []): HttpRequest {
  if (!body) return { method, url, headers };
  return 'form' in body
    ? { method, url, headers: [...headers, ['Content-Type', 'application/x-www-form-urlencoded']], body: new URLSearchParams(body.form).toString() }
    : { method, url, headers: [...headers, ['Content-Type', 'application/json']], body: JSON.stringify(body.json) };
}

const bodyText = (exchange: Exchange) => new TextDecoder().decode(exchange.response?.body);

/** Logs in through the form, as requests_flow.py does, and returns the POST /login exchange. */
async function login(session: Session, base: string, credentials = { username: 'user', password: 'password' }): Promise<Exchange> {
  const page = await session.send(request('GET', `${base}/login`));
  const csrf = hiddenCsrf(bodyText(page));
  assert.ok(csrf);
  return session.send(request('POST', `${base}/login`, { form: { ...credentials, _csrf: csrf } }));
}

/** requests_flow.py's steps through our Session, summarized the same way. */
async function runSessionFlow(session: Session, base: string): Promise<FlowSummary & { loginExchange: Exchange }> {
  const steps: FlowStep[] = [];
  const record = (step: string, exchange: Exchange) => {
    assert.equal(exchange.error, undefined);
    steps.push({
      step,
      status: exchange.response?.status ?? 0,
      redirects: exchange.redirects.map((hop) => hop.status),
      cookies: session.listCookies().map((cookie) => `${cookie.name} ${cookie.path}`).sort(),
    });
    return exchange;
  };
  const xsrf = (): [string, string][] => [['X-XSRF-TOKEN', session.cookieValue('XSRF-TOKEN', `${base}/`) ?? '']];

  const page = record('GET /login', await session.send(request('GET', `${base}/login`)));
  const before = session.cookieValue('JSESSIONID', `${base}/`);
  const loginExchange = record('POST /login', await session.send(request('POST', `${base}/login`, { form: { username: 'user', password: 'password', _csrf: hiddenCsrf(bodyText(page)) ?? '' } })));
  const afterLogin = session.cookieValue('JSESSIONID', `${base}/`);
  const me: unknown = JSON.parse(bodyText(record('GET /api/me', await session.send(request('GET', `${base}/api/me`)))));
  record('POST /api/notes', await session.send(request('POST', `${base}/api/notes`, { json: { text: 'hi' } }, xsrf())));
  record('GET /api/admin', await session.send(request('GET', `${base}/api/admin`)));
  record('POST /logout', await session.send(request('POST', `${base}/logout`, undefined, xsrf())));
  record('GET /api/me', await session.send(request('GET', `${base}/api/me`)));
  record('GET /app/login', await session.send(request('GET', `${base}/app/login`)));
  return {
    steps,
    me,
    jsessionidRotatedAtLogin: before !== undefined && afterLogin !== undefined && before !== afterLogin,
    // requests raises CookieConflictError here; our jar simply holds both, scoped by Path.
    jsessionidConflict: session.listCookies().filter((cookie) => cookie.name === 'JSESSIONID').length > 1,
    loginExchange,
  };
}

test('the classic login flow: same statuses, hops and cookies as requests.Session, JSESSIONID rotated in both', async () => {
  const session = new Session({ name: 'default' });
  try {
    const [ours, reference] = await Promise.all([runSessionFlow(session, app.baseUrl), runRequestsFlow(app.baseUrl)]);
    const { loginExchange, ...summary } = ours;
    assert.deepEqual(summary, reference);
    assert.equal(reference.jsessionidRotatedAtLogin, true);
    const rotated = loginExchange.sessionEvents.filter((event) => event.kind === 'rotated');
    assert.deepEqual(rotated.map((event) => [event.cookieName, event.path]), [['JSESSIONID', '/']], 'the lifecycle records the rotation');
  } finally {
    session.dispose();
  }
});

test('after the idle timeout the server forgets the session, and the lifecycle says so', async () => {
  const session = new Session({ name: 'default' });
  try {
    await login(session, app.baseUrl);
    assert.equal((await session.send(request('GET', `${app.baseUrl}/api/me`))).response?.status, 200);
    await delay(sessionTimeoutSeconds * 1000 + 300);
    const expired = await session.send(request('GET', `${app.baseUrl}/api/me`));
    assert.equal(expired.response?.status, 401);
    const rejected = expired.sessionEvents.find((event) => event.kind === 'rejected-by-server');
    assert.ok(rejected, `a rejected-by-server event, got ${JSON.stringify(expired.sessionEvents.map((e) => e.kind))}`);
    assert.equal(rejected.cookieName, 'JSESSIONID');
    assert.ok((rejected.idleGapMs ?? 0) >= sessionTimeoutSeconds * 1000, `idle gap ${rejected.idleGapMs} ms`);
    assert.ok(expired.sessionEvents.some((event) => event.kind === 'issued'), 'the 401 carries a new JSESSIONID');
    const [lifecycle] = session.lifecycles().filter((l) => l.cookieName === 'JSESSIONID' && l.path === '/');
    assert.ok(lifecycle.shortestFailedIdleMs !== undefined && lifecycle.shortestFailedIdleMs >= sessionTimeoutSeconds * 1000);
  } finally {
    session.dispose();
  }
});

test('the /app context: its own JSESSIONID with Path=/app, tracked apart from the root one', async () => {
  const session = new Session({ name: 'default' });
  try {
    // /app first: a Path=/ XSRF-TOKEN would also be sent to /app (see springApp.test.ts).
    const appLogin = await login(session, `${app.baseUrl}/app`, { username: 'admin', password: 'admin' });
    assert.equal(appLogin.response?.url, `${app.baseUrl}/app/`);
    await login(session, app.baseUrl);
    const jsessionids = session.listCookies().filter((cookie) => cookie.name === 'JSESSIONID').map((cookie) => cookie.path).sort();
    assert.deepEqual(jsessionids, ['/', '/app']);
    const name = async (url: string) => (JSON.parse(bodyText(await session.send(request('GET', url)))) as { name: string }).name;
    assert.equal(await name(`${app.baseUrl}/app/api/me`), 'admin');
    assert.equal(await name(`${app.baseUrl}/api/me`), 'user');
    const paths = session.lifecycles().filter((l) => l.cookieName === 'JSESSIONID').map((l) => l.path).sort();
    assert.deepEqual(paths, ['/', '/app']);
  } finally {
    session.dispose();
  }
});
