// The engine's Session next to python's requests.Session (the reference client) on the real Spring
// Boot 3.5 and 4.0 app: the same flow through both must give the same statuses and redirect hops, send
// the same cookies and leave the same cookies (name, path) in the jar after every step, in the
// configurations classic (CSRF token in the session, the page's masked _csrf), spa (the cookie CSRF
// repository, the header from the XSRF-TOKEN cookie) and spring-session (a SESSION cookie).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Exchange } from '../../../src/core/model/exchange';
import { hiddenCsrf } from '../support/cookieClient';
import { type Flow, type FlowStep, type FlowSummary, type FlowValue, runRequestsFlow } from '../support/requestsFlow';
import { SessionDriver, text } from '../support/sessionDriver';
import { bootVersions, startSpringBootApp, type SpringBootApp, type SpringProfile } from '../support/springBoot';

type Profile = Extract<SpringProfile, 'classic' | 'spa' | 'spring-session'>;
const profiles: readonly Profile[] = ['classic', 'spa', 'spring-session'];

// A browser's: the way back from the login is answered with the saved request's headers, and
// /api/me writes only JSON (text/html alone would get 406 there).
const html = { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const json = { Accept: 'application/json' };
const user = { username: 'user', password: 'password' };

/**
 * A browser-like start (a page that needs a login, so a saved request and a session), the form login
 * with the page's masked _csrf, the API with the profile's CSRF header, the plain Tomcat context at
 * /app with its own JSESSIONID (Path=/app), a browser logout.
 */
function flowFor(profile: Profile, base: string): Flow {
  // classic and spring-session keep the token in the session: /api/csrf gives it masked, for X-CSRF-TOKEN.
  // spa: the raw XSRF-TOKEN cookie value as X-XSRF-TOKEN.
  const csrf: Record<string, FlowValue> = profile === 'spa' ? { 'X-XSRF-TOKEN': { cookie: 'XSRF-TOKEN' } } : { 'X-CSRF-TOKEN': { json: 'token' } };
  return {
    base,
    sessionCookie: profile === 'spring-session' ? 'SESSION' : 'JSESSIONID',
    conflictCookie: 'JSESSIONID',
    requests: [
      { step: 'GET /api/me as a page: to /login, the request saved in a session', method: 'GET', path: '/api/me', headers: html },
      { step: 'POST /login with the page\'s _csrf', method: 'POST', path: '/login', headers: { Accept: '*/*' }, form: { ...user, _csrf: { field: '_csrf' } }, login: true },
      { step: 'GET /api/me', method: 'GET', path: '/api/me', headers: json },
      { step: 'GET /api/csrf', method: 'GET', path: '/api/csrf', headers: json },
      { step: 'POST /api/notes with the CSRF header', method: 'POST', path: '/api/notes', headers: { ...json, ...csrf }, json: { text: 'hi' } },
      { step: 'GET /api/admin: not an admin', method: 'GET', path: '/api/admin', headers: json },
      { step: 'GET /app/: the /app context starts its own session', method: 'GET', path: '/app/', headers: json },
      { step: 'GET /app/x: the same /app session', method: 'GET', path: '/app/x', headers: json },
      { step: 'GET /api/me: still the root session', method: 'GET', path: '/api/me', headers: json },
      { step: 'POST /logout as a page: to /login?logout', method: 'POST', path: '/logout', headers: { ...html, ...csrf } },
      { step: 'GET /api/me after logout', method: 'GET', path: '/api/me', headers: json },
    ],
  };
}

/** The same flow through the engine's Session (its automatic CSRF header off: both clients send the same). */
async function runEngineFlow(flow: Flow): Promise<FlowSummary & { readonly exchanges: readonly Exchange[]; readonly driver: SessionDriver }> {
  const driver = new SessionDriver(flow.base, { csrf: { mode: 'off' } });
  const steps: FlowStep[] = [];
  const exchanges: Exchange[] = [];
  const jsonValues: Record<string, unknown> = {};
  let lastField = '';
  let rotatedAtLogin = false;
  const resolve = (value: FlowValue): string => {
    if (typeof value === 'string') return value;
    if ('field' in value) return lastField;
    if ('cookie' in value) return driver.cookie(value.cookie) ?? '';
    const found = jsonValues[value.json];
    return found === undefined ? '' : String(found);
  };
  const jarPaths = () => new Map(driver.session.listCookies().map((cookie) => [`${cookie.name}=${cookie.value}`, cookie.path]));
  const resolveAll = (values: Readonly<Record<string, FlowValue>> | undefined) =>
    Object.fromEntries(Object.entries(values ?? {}).map(([name, value]) => [name, resolve(value)]));

  for (const request of flow.requests) {
    const sessionBefore = driver.cookie(flow.sessionCookie);
    const known = jarPaths();
    const exchange = await driver.send(request.path, {
      method: request.method,
      headers: Object.entries(resolveAll(request.headers)),
      ...(request.form ? { form: resolveAll(request.form) } : {}),
      ...(request.json !== undefined ? { json: request.json } : {}),
    });
    exchanges.push(exchange);
    for (const [pair, path] of jarPaths()) known.set(pair, path);
    const sessionAfter = driver.cookie(flow.sessionCookie);
    if (request.login) rotatedAtLogin = sessionBefore !== undefined && sessionAfter !== undefined && sessionBefore !== sessionAfter;

    const cookieHeader = exchange.request.headers.find(([name]) => name.toLowerCase() === 'cookie')?.[1] ?? '';
    const response = exchange.response;
    assert.ok(response);
    const step: { -readonly [K in keyof FlowStep]: FlowStep[K] } = {
      step: request.step,
      status: response.status,
      redirects: exchange.redirects.map((hop) => hop.status),
      sent: cookieHeader.split('; ').filter(Boolean).map((pair) => `${pair.slice(0, pair.indexOf('='))} ${known.get(pair) ?? '?'}`),
      cookies: driver.session.listCookies().map((cookie) => `${cookie.name} ${cookie.path}`).sort(),
    };
    const contentType = response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
    if (contentType.startsWith('text/html')) lastField = hiddenCsrf(text(exchange)) ?? lastField;
    if (contentType.startsWith('application/json') && text(exchange)) {
      const body: unknown = JSON.parse(text(exchange));
      if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
        Object.assign(jsonValues, body);
        if (response.status >= 200 && response.status < 300) {
          step.body = Object.fromEntries(Object.entries(body).map(([key, value]) => [key, key === 'token' ? '<token>' : value]));
        }
      }
    }
    steps.push(step);
  }
  // requests raises CookieConflictError for an ambiguous name; our jar holds both, scoped by Path.
  const conflict = driver.session.listCookies().filter((cookie) => cookie.name === flow.conflictCookie).length > 1;
  return { steps, rotatedAtLogin, conflict, exchanges, driver };
}

/**
 * The Cookie headers with cookies of one name kept in their order, names sorted. Both clients put the
 * longest Path first; among equal paths RFC 6265 orders by creation time, and a cookie cleared and set
 * again (XSRF-TOKEN at login) is new to Python's cookiejar but keeps its first creation time in
 * tough-cookie, so the engine sends XSRF-TOKEN before JSESSIONID where requests sends it after.
 * Only the order within one name reaches a server's choice.
 */
function byName(summary: FlowSummary): FlowSummary {
  const name = (cookie: string) => cookie.slice(0, cookie.indexOf(' '));
  return { ...summary, steps: summary.steps.map((step) => ({ ...step, sent: [...step.sent].sort((a, b) => name(a).localeCompare(name(b))) })) };
}

/** The statuses (hops first) every client must see, per profile. */
const expectedStatuses = ['302 200', '302 200', '200', '200', '201', '403', '200', '200', '200', '302 200', '401'];

for (const boot of bootVersions) {
  describe(`engine vs requests.Session on Spring Boot ${boot}`, () => {
    const apps = new Map<Profile, SpringBootApp>();
    const drivers: SessionDriver[] = [];

    before(async () => {
      const started = await Promise.all(profiles.map((profile) => startSpringBootApp({ boot, profile, sessionTimeoutSeconds: 60 })));
      started.forEach((app, i) => apps.set(profiles[i]!, app));
    });
    after(async () => {
      drivers.forEach((driver) => driver.dispose());
      await Promise.all([...apps.values()].map((app) => app.stop()));
    });

    for (const profile of profiles) {
      test(`${profile}: same statuses, hops and cookies at every step; the session cookie rotated at login; the /app JSESSIONID`, async () => {
        const app = apps.get(profile);
        assert.ok(app);
        const flow = flowFor(profile, app.baseUrl);
        // One after the other: spring-session allows one session per user (maximumSessions(1)).
        const { exchanges, driver, ...ours } = await runEngineFlow(flow);
        drivers.push(driver);
        const reference = await runRequestsFlow(flow);

        assert.deepEqual(byName(ours), byName(reference));
        assert.deepEqual(reference.steps.map((step) => [...step.redirects, step.status].join(' ')), expectedStatuses);
        assert.equal(reference.rotatedAtLogin, true, `${flow.sessionCookie} changed at login`);
        assert.deepEqual(reference.steps[1]?.body, { name: 'user', roles: ['ROLE_USER'] }, 'back at the saved request, logged in');
        const rotated = exchanges[1]?.sessionEvents.filter((event) => event.kind === 'rotated').map((event) => [event.cookieName, event.path]);
        assert.deepEqual(rotated, [[flow.sessionCookie, '/']], 'the engine\'s lifecycle records the rotation');

        // /app has its own session, whose JSESSIONID (Path=/app) goes only there, before the root cookies.
        const [appVisit, meAgain] = [reference.steps[7], reference.steps[8]];
        assert.deepEqual(appVisit?.body, { context: '/app', new: false, visits: 2 }, 'the /app session went on');
        assert.equal(appVisit?.sent[0], 'JSESSIONID /app');
        assert.ok(meAgain?.sent.includes(`${flow.sessionCookie} /`));
        assert.equal(meAgain?.sent.includes('JSESSIONID /app'), false);
        assert.deepEqual(meAgain?.body, { name: 'user', roles: ['ROLE_USER'] });
        const jsessionids = driver.session.listCookies().filter((cookie) => cookie.name === 'JSESSIONID');
        if (profile === 'spring-session') {
          assert.equal(reference.conflict, false, 'SESSION on /, one JSESSIONID on /app: s.cookies["JSESSIONID"] is not ambiguous');
          return;
        }
        // Two JSESSIONIDs, Path=/ and Path=/app: requests' s.cookies["JSESSIONID"] raises CookieConflictError;
        // the engine reads each by URL and tracks their lifetimes apart.
        assert.equal(reference.conflict, true, 'CookieConflictError');
        assert.deepEqual(appVisit?.sent.filter((cookie) => cookie.startsWith('JSESSIONID ')), ['JSESSIONID /app', 'JSESSIONID /']);
        const byPath = new Map(jsessionids.map((cookie) => [cookie.path, cookie.value]));
        assert.equal(driver.session.cookieValue('JSESSIONID', `${app.baseUrl}/app/x`), byPath.get('/app'));
        assert.equal(driver.session.cookieValue('JSESSIONID', `${app.baseUrl}/api/me`), byPath.get('/'));
        const tracked = driver.session.lifecycles().filter((lifecycle) => lifecycle.cookieName === 'JSESSIONID').map((lifecycle) => lifecycle.path).sort();
        assert.deepEqual(tracked, ['/', '/app']);
      });
    }
  });
}
