// Proves what the real Spring Boot 3.5 (Security 6.5) and 4.0 (Security 7.0) test app
// (test/fixtures/spring-boot) puts on the wire, per security profile, with plain fetch and
// hand-kept cookies: the facts test/fixtures/spring-boot/README.md tabulates.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { CookieClient, hiddenCsrf, setCookieNames, type ClientResponse } from '../support/cookieClient';
import {
  bootVersions,
  jwtAudience,
  mintJwt,
  startSpringBootApp,
  type BootVersion,
  type SpringBootApp,
  type SpringBootAppOptions,
  type SpringProfile,
} from '../support/springBoot';

const sessionTimeoutSeconds = 2;
/** Past the idle timeout: Tomcat and Spring Session both compare idle time >= timeout. */
const idleLongEnough = () => delay(sessionTimeoutSeconds * 1000 + 400);

const user = { username: 'user', password: 'password' };
const admin = { username: 'admin', password: 'admin' };
const html = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const json = { Accept: 'application/json' };
const basic = ({ username, password }: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

const startTimes: string[] = [];
after(() => {
  if (startTimes.length) process.stderr.write(`spring boot start-up: ${startTimes.join(', ')}\n`);
});

/** Starts the app for the enclosing describe block and stops it after; returns a getter. */
function useApp(boot: BootVersion, profile: SpringProfile, options: Partial<SpringBootAppOptions> = {}): () => SpringBootApp {
  let app: SpringBootApp | undefined;
  before(async () => {
    app = await startSpringBootApp({ boot, profile, sessionTimeoutSeconds, ...options });
    startTimes.push(`${boot} ${profile}${options.extraProperties ? '*' : ''} ${app.startMs} ms`);
  });
  after(() => app?.stop());
  return () => {
    assert.ok(app, 'app started');
    return app;
  };
}

/** A client that, like a browser, drops cookies cleared with a past Expires (Tomcat sends no Max-Age=0). */
const browser = (app: SpringBootApp) => new CookieClient(app.baseUrl, { expiredDeletes: true });

/** Boot's error body: exactly timestamp, status, error, path (message is hidden by default). */
function assertBootError(response: ClientResponse, boot: BootVersion, status: number, error: string, path: string): void {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('content-type'), 'application/json');
  const body = JSON.parse(response.text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['timestamp', 'status', 'error', 'path']);
  // Boot 3 (Jackson 2) writes the offset as +00:00, Boot 4 (Jackson 3) as Z.
  const timestamp = boot === '3.5' ? /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/ : /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
  assert.match(String(body.timestamp), timestamp);
  assert.deepEqual({ status: body.status, error: body.error, path: body.path }, { status, error, path });
}

/** The XOR-masked token (BREACH protection): base64url(random ‖ random XOR token), unmasked. */
function unmask(masked: string): string {
  const bytes = Buffer.from(masked, 'base64url');
  const half = bytes.length / 2;
  return Buffer.from(bytes.subarray(half).map((b, i) => b ^ (bytes[i] ?? 0))).toString('utf8');
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const jsessionid = /^JSESSIONID=[0-9A-F]{32}; Path=\/; HttpOnly$/;
const xsrfCookie = /^XSRF-TOKEN=[0-9a-f-]{36}; Path=\/$/;
/** A cookie deleted through the Servlet API: Tomcat 10.1 (Boot 3.5) also sends Max-Age=0, Tomcat 11 (Boot 4.0) only Expires. */
const cleared = (boot: BootVersion, name: string) =>
  `${name}=; ${boot === '3.5' ? 'Max-Age=0; ' : ''}Expires=Thu, 01 Jan 1970 00:00:10 GMT; Path=/`;
const whitelabel = (status: number, error: string) => new RegExp(
  `^<html><body><h1>Whitelabel Error Page</h1><p>This application has no explicit mapping for /error, so you are seeing this as a fallback\\.</p>` +
  `<div id='created'>[^<]+</div><div>There was an unexpected error \\(type=${error}, status=${status}\\)\\.</div></body></html>$`);

/** GET /login as a browser: 200 HTML with the masked hidden _csrf input. */
async function loginPage(client: CookieClient): Promise<{ response: ClientResponse; csrf: string }> {
  const response = await client.send('GET', '/login', { headers: html });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/html;charset=UTF-8');
  assert.match(response.text, /<title>Please sign in<\/title>/);
  const csrf = hiddenCsrf(response.text);
  assert.ok(csrf, 'the generated login page has a hidden _csrf input');
  assert.match(csrf, /^[A-Za-z0-9_-]{96}$/, 'masked: base64url of 72 bytes');
  return { response, csrf };
}

/** Login page, then POST /login with its _csrf; returns the POST's answer (302). */
async function formLogin(client: CookieClient, credentials = user, extra: Record<string, string> = {}): Promise<ClientResponse> {
  const { csrf } = await loginPage(client);
  const login = await client.send('POST', '/login', { headers: html, form: { ...credentials, _csrf: csrf, ...extra } });
  assert.equal(login.status, 302, login.text);
  return login;
}

async function csrfEndpoint(client: CookieClient): Promise<{ headerName: string; parameterName: string; token: string }> {
  const response = await client.send('GET', '/api/csrf', { headers: json });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/json');
  const body = JSON.parse(response.text) as { headerName: string; parameterName: string; token: string };
  assert.deepEqual(Object.keys(body), ['headerName', 'parameterName', 'token']);
  return body;
}

async function assertMe(client: CookieClient, name: string, roles: string[]): Promise<void> {
  const me = await client.send('GET', '/api/me', { headers: json });
  assert.equal(me.status, 200, me.text);
  assert.deepEqual(JSON.parse(me.text), { name, roles });
}

for (const boot of bootVersions) {
  describe(`Spring Boot ${boot}`, () => {
    describe('classic: formLogin + httpBasic, CSRF in the session (XOR), changeSessionId, request cache', () => {
      const app = useApp(boot, 'classic');

      test('the login page starts a session and renders a masked _csrf that differs per render', async () => {
        const client = browser(app());
        const first = await loginPage(client);
        assert.equal(first.response.setCookies.length, 1);
        assert.match(first.response.setCookies[0] ?? '', jsessionid, 'rendering the token stores it in a new session');
        const second = await loginPage(client);
        assert.deepEqual(second.response.setCookies, []);
        assert.notEqual(second.csrf, first.csrf, 'BREACH protection: a fresh mask per render');
        assert.match(unmask(first.csrf), uuid);
        assert.equal(unmask(second.csrf), unmask(first.csrf), 'the same session token under both masks');
        assert.ok(first.response.text.includes('<form class="login-form" method="post" action="/login">'));
      });

      test('form login rotates JSESSIONID and redirects to /; then / and /api/me answer for the user', async () => {
        const client = browser(app());
        await loginPage(client);
        const before = client.cookie('JSESSIONID');
        const login = await formLogin(client);
        assert.equal(login.headers.get('location'), `${app().baseUrl}/`, 'absolute, no saved request');
        assert.equal(login.setCookies.length, 1);
        assert.match(login.setCookies[0] ?? '', jsessionid);
        assert.notEqual(client.cookie('JSESSIONID'), before, 'changeSessionId');
        const home = await client.send('GET', '/');
        assert.equal(home.status, 200);
        assert.equal(home.headers.get('content-type'), 'text/plain;charset=UTF-8');
        assert.equal(home.text, 'Hello, user');
        await assertMe(client, 'user', ['ROLE_USER']);
        assertBootError(await client.send('GET', '/api/admin', { headers: json }), boot, 403, 'Forbidden', '/api/admin');
      });

      test('a browser is sent to /login, and back to the saved request with ?continue after login', async () => {
        const client = browser(app());
        const denied = await client.send('GET', '/api/me?x=1', { headers: html });
        assert.equal(denied.status, 302);
        assert.equal(denied.headers.get('location'), `${app().baseUrl}/login`);
        assert.equal(denied.text, '');
        assert.match(denied.setCookies[0] ?? '', jsessionid, 'the saved request lives in a new session');
        const login = await formLogin(client);
        assert.equal(login.headers.get('location'), `${app().baseUrl}/api/me?x=1&continue`);

        const home = browser(app());
        await home.send('GET', '/', { headers: html });
        assert.equal((await formLogin(home)).headers.get('location'), `${app().baseUrl}/?continue`);
      });

      test('an API call without a session is 401 Basic realm="Realm" with Boot\'s JSON error', async () => {
        const client = browser(app());
        const asJson = await client.send('GET', '/api/me', { headers: json });
        assertBootError(asJson, boot, 401, 'Unauthorized', '/api/me');
        assert.equal(asJson.headers.get('www-authenticate'), 'Basic realm="Realm"');
        assert.equal(asJson.statusText, '', 'Tomcat sends no reason phrase');
        assert.deepEqual(asJson.setCookies, [], 'a JSON request is not saved: no session');

        const xhr = await client.send('GET', '/api/me', { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
        assert.equal(xhr.status, 401);
        assert.equal(xhr.headers.get('www-authenticate'), null, 'no Basic challenge, so browsers show no password dialog');
        assert.equal(xhr.headers.get('content-length'), '0');
        assert.equal(xhr.text, '');
        assert.deepEqual(xhr.setCookies, []);

        const any = await client.send('GET', '/api/me', { headers: { Accept: '*/*' } });
        assertBootError(any, boot, 401, 'Unauthorized', '/api/me');
        assert.equal(any.headers.get('www-authenticate'), 'Basic realm="Realm"');
        assert.match(any.setCookies[0] ?? '', jsessionid, 'Accept */*: the GET is saved in a new session');
      });

      test('HTTP Basic authenticates one request without creating a session; bad credentials are 401', async () => {
        const client = browser(app());
        const me = await client.send('GET', '/api/me', { headers: { ...json, Authorization: basic(admin) } });
        assert.equal(me.status, 200);
        assert.deepEqual(JSON.parse(me.text), { name: 'admin', roles: ['ROLE_ADMIN'] });
        assert.deepEqual(me.setCookies, []);
        const adminApi = await client.send('GET', '/api/admin', { headers: { ...json, Authorization: basic(admin) } });
        assert.deepEqual(JSON.parse(adminApi.text), { message: 'Hello, administrator admin' });
        const wrong = await client.send('GET', '/api/me', { headers: { ...json, Authorization: basic({ ...user, password: 'nope' }) } });
        assertBootError(wrong, boot, 401, 'Unauthorized', '/api/me');
        assert.equal(wrong.headers.get('www-authenticate'), 'Basic realm="Realm"');
      });

      test('a wrong password redirects to /login?error without rotating the session', async () => {
        const client = browser(app());
        const { csrf } = await loginPage(client);
        const session = client.cookie('JSESSIONID');
        const login = await client.send('POST', '/login', { headers: html, form: { ...user, password: 'nope', _csrf: csrf } });
        assert.equal(login.status, 302);
        assert.equal(login.headers.get('location'), `${app().baseUrl}/login?error`);
        assert.deepEqual(login.setCookies, []);
        assert.equal(client.cookie('JSESSIONID'), session);
        assert.match((await client.send('GET', '/login?error', { headers: html })).text, /<div class="alert alert-danger" role="alert">Invalid credentials<\/div>/);
      });

      test('CSRF: unsafe requests need the masked token (X-CSRF-TOKEN from /api/csrf); without it 403', async () => {
        const client = browser(app());
        const anonymous = await client.send('POST', '/login', { headers: json, form: { ...user } });
        assertBootError(anonymous, boot, 403, 'Forbidden', '/login');
        assert.match(anonymous.setCookies[0] ?? '', jsessionid, 'CsrfFilter stored a fresh token in a new session');
        const page = await client.send('POST', '/api/notes', { headers: html, json: {} });
        assert.equal(page.status, 403);
        assert.equal(page.headers.get('content-type'), 'text/html;charset=UTF-8');
        assert.match(page.text, whitelabel(403, 'Forbidden'), 'browsers get the Whitelabel page');

        await formLogin(client);
        const token = await csrfEndpoint(client);
        assert.equal(token.headerName, 'X-CSRF-TOKEN');
        assert.equal(token.parameterName, '_csrf');
        assert.equal(unmask(token.token).length, 36);
        const missing = await client.send('POST', '/api/notes', { headers: json, json: { text: 'hi' } });
        assertBootError(missing, boot, 403, 'Forbidden', '/api/notes');
        const wrong = await client.send('POST', '/api/notes', { headers: { ...json, 'X-CSRF-TOKEN': 'wrong' }, json: { text: 'hi' } });
        assertBootError(wrong, boot, 403, 'Forbidden', '/api/notes');
        const note = await client.send('POST', '/api/notes', { headers: { ...json, 'X-CSRF-TOKEN': token.token }, json: { text: 'hi', tags: ['a'] } });
        assert.equal(note.status, 201);
        assert.equal(note.headers.get('content-type'), 'application/json');
        assert.deepEqual(JSON.parse(note.text), { text: 'hi', tags: ['a'], author: 'user' });
        const unmasked = await client.send('POST', '/api/notes', { headers: { ...json, 'X-CSRF-TOKEN': unmask(token.token) }, json: { text: 'hi' } });
        assert.equal(unmasked.status, 403, 'the XOR handler only accepts masked values');
      });

      test('logout: a browser is redirected to /login?logout, an API client gets 204; the session is gone', async () => {
        const client = browser(app());
        await formLogin(client);
        const { token } = await csrfEndpoint(client);
        const session = client.cookie('JSESSIONID');
        const logout = await client.send('POST', '/logout', { headers: html, form: { _csrf: token } });
        assert.equal(logout.status, 302);
        assert.equal(logout.headers.get('location'), `${app().baseUrl}/login?logout`);
        assert.deepEqual(logout.setCookies, [], 'JSESSIONID is not deleted, the session is invalidated');
        assert.equal(client.cookie('JSESSIONID'), session);
        assertBootError(await client.send('GET', '/api/me', { headers: json }), boot, 401, 'Unauthorized', '/api/me');
        assert.match((await client.send('GET', '/login?logout', { headers: html })).text, /You have been signed out/);

        const api = browser(app());
        await formLogin(api);
        const apiToken = await csrfEndpoint(api);
        const noContent = await api.send('POST', '/logout', { headers: { Accept: '*/*', 'X-CSRF-TOKEN': apiToken.token } });
        assert.equal(noContent.status, 204, 'httpBasic() registers a 204 logout answer for non-browser requests');
        assert.equal(noContent.text, '');
      });

      test('an idle session times out: the old JSESSIONID is then anonymous (401), no cookie is set', async () => {
        const client = browser(app());
        await formLogin(client);
        await assertMe(client, 'user', ['ROLE_USER']);
        await idleLongEnough();
        const expired = await client.send('GET', '/api/me', { headers: json });
        assertBootError(expired, boot, 401, 'Unauthorized', '/api/me');
        assert.deepEqual(expired.setCookies, []);
      });

      test('a second Tomcat context at /app: two JSESSIONID cookies, Path=/ and Path=/app, one origin', async () => {
        const client = browser(app());
        await formLogin(client);
        const appSession = await client.send('GET', '/app/');
        assert.equal(appSession.status, 200);
        assert.match(appSession.setCookies[0] ?? '', /^JSESSIONID=[0-9A-F]{32}; Path=\/app; HttpOnly$/);
        assert.deepEqual(JSON.parse(appSession.text), { context: '/app', new: true, visits: 1 });
        assert.deepEqual(client.cookies().map((c) => `${c.name} ${c.path}`).sort(), ['JSESSIONID /', 'JSESSIONID /app']);
        assert.notEqual(client.cookie('JSESSIONID', '/app'), client.cookie('JSESSIONID', '/'));
        // Both cookies go to /app (longest Path first): Tomcat takes the first whose session exists.
        const again = await client.send('GET', '/app/x');
        assert.deepEqual(JSON.parse(again.text), { context: '/app', new: false, visits: 2 });
        await assertMe(client, 'user', ['ROLE_USER']);
      });
    });

    describe('classic without permitAll for /error (app.permit-error-page=false), as in the getting-started guides', () => {
      const app = useApp(boot, 'classic', { extraProperties: { 'app.permit-error-page': 'false' } });

      test('an anonymous client\'s CSRF 403 turns into the entry point\'s answer: 401 Basic, or 302 to /login;jsessionid=', async () => {
        const api = browser(app());
        const rejected = await api.send('POST', '/api/notes', { headers: json, json: {} });
        assert.equal(rejected.status, 401, 'the error dispatch to /error is itself denied');
        assert.equal(rejected.headers.get('www-authenticate'), 'Basic realm="Realm"');
        assert.equal(rejected.text, '', 'no JSON error body');
        assert.match(rejected.setCookies[0] ?? '', jsessionid);

        const page = browser(app());
        const redirected = await page.send('POST', '/api/notes', { headers: html, json: {} });
        assert.equal(redirected.status, 302);
        assert.match(redirected.headers.get('location') ?? '', new RegExp(`^${app().baseUrl}/login;jsessionid=[0-9A-F]{32}$`));
        assert.equal(redirected.headers.get('location')?.split('=')[1], page.cookie('JSESSIONID'), 'the new session id, also in the URL');
      });

      test('an authenticated client\'s errors still render: Boot\'s JSON 403 and 404', async () => {
        const client = browser(app());
        const headers = { ...json, Authorization: basic(user) };
        assertBootError(await client.send('GET', '/api/admin', { headers }), boot, 403, 'Forbidden', '/api/admin');
        assertBootError(await client.send('GET', '/nope', { headers }), boot, 404, 'Not Found', '/nope');
      });
    });

    describe('spa-xor: CookieCsrfTokenRepository.withHttpOnlyFalse() with the default XOR handler', () => {
      const app = useApp(boot, 'spa-xor');

      test('the cookie is deferred: set only when something reads the token; /api/csrf returns it masked', async () => {
        const client = browser(app());
        const pub = await client.send('GET', '/api/public', { headers: json });
        assert.equal(pub.status, 200);
        assert.deepEqual(JSON.parse(pub.text), { message: 'public' });
        assert.deepEqual(pub.setCookies, [], 'nothing read the token');
        const response = await client.send('GET', '/api/csrf', { headers: json });
        assert.equal(response.setCookies.length, 1);
        assert.match(response.setCookies[0] ?? '', xsrfCookie, 'no HttpOnly, no SameSite, no Max-Age');
        const body = JSON.parse(response.text) as { headerName: string; token: string };
        assert.equal(body.headerName, 'X-XSRF-TOKEN');
        assert.equal(unmask(body.token), client.cookie('XSRF-TOKEN'), 'the masked body token hides the cookie value');
        const page = await loginPage(client);
        assert.deepEqual(page.response.setCookies, [], 'no session: the token is in the cookie');
        assert.equal(unmask(page.csrf), client.cookie('XSRF-TOKEN'));
      });

      test('the raw XSRF-TOKEN cookie value as X-XSRF-TOKEN is rejected with 403; a masked value passes', async () => {
        const client = browser(app());
        const login = await formLogin(client);
        assert.equal(login.headers.get('location'), `${app().baseUrl}/`);
        assert.deepEqual(login.setCookies.map((c) => c.replace(/=[0-9A-F]{32};/, '=…;')), [cleared(boot, 'XSRF-TOKEN'), 'JSESSIONID=…; Path=/; HttpOnly'],
          'the token cleared and not re-issued; a new session (there was none)');
        assert.equal(client.cookie('XSRF-TOKEN'), undefined);

        const { token } = await csrfEndpoint(client);
        const raw = client.cookie('XSRF-TOKEN');
        assert.ok(raw);
        const rejected = await client.send('POST', '/api/notes', { headers: { ...json, 'X-XSRF-TOKEN': raw }, json: { text: 'hi' } });
        assertBootError(rejected, boot, 403, 'Forbidden', '/api/notes');
        const accepted = await client.send('POST', '/api/notes', { headers: { ...json, 'X-XSRF-TOKEN': token }, json: { text: 'hi' } });
        assert.equal(accepted.status, 201);
        assert.deepEqual(JSON.parse(accepted.text), { text: 'hi', author: 'user' });
        const fromPage = (await loginPage(client)).csrf;
        const pageToken = await client.send('POST', '/api/notes', { headers: { ...json, 'X-XSRF-TOKEN': fromPage }, json: { text: 'page' } });
        assert.equal(pageToken.status, 201, 'the login page\'s masked value works in the header too');
      });

      test('logout clears XSRF-TOKEN (Expires in 1970; Max-Age=0 on Boot 3.5 only) and redirects', async () => {
        const client = browser(app());
        await formLogin(client);
        const { token } = await csrfEndpoint(client);
        const logout = await client.send('POST', '/logout', { headers: html, form: { _csrf: token } });
        assert.equal(logout.status, 302);
        assert.equal(logout.headers.get('location'), `${app().baseUrl}/login?logout`);
        assert.deepEqual(logout.setCookies, [cleared(boot, 'XSRF-TOKEN')]);
      });
    });

    describe('spa: the reference docs\' single-page-application CSRF setup', () => {
      const app = useApp(boot, 'spa');

      test('the first response already sets XSRF-TOKEN (the deferred token is loaded on every request)', async () => {
        const client = browser(app());
        const pub = await client.send('GET', '/api/public', { headers: json });
        assert.equal(pub.status, 200);
        assert.equal(pub.setCookies.length, 1);
        assert.match(pub.setCookies[0] ?? '', xsrfCookie);
        const again = await client.send('GET', '/api/public', { headers: json });
        assert.deepEqual(again.setCookies, [], 'issued once, then read back from the cookie');
        const denied = browser(app());
        const unauthorized = await denied.send('GET', '/api/me', { headers: json });
        assert.equal(unauthorized.status, 401);
        assert.match(unauthorized.setCookies[0] ?? '', xsrfCookie, 'a 401 sets it too');
      });

      test('the raw cookie value is accepted as X-XSRF-TOKEN, the masked one only as the _csrf form field', async () => {
        const client = browser(app());
        await client.send('GET', '/api/public');
        const anonymous = await client.send('POST', '/api/notes', { headers: { ...json, 'X-XSRF-TOKEN': client.cookie('XSRF-TOKEN') ?? '' }, json: {} });
        assert.equal(anonymous.status, 401, 'CSRF passed, authentication missing');
        assert.equal(anonymous.headers.get('www-authenticate'), 'Basic realm="Realm"');

        const before = client.cookie('XSRF-TOKEN');
        const login = await formLogin(client);
        assert.deepEqual(setCookieNames(login.setCookies), ['XSRF-TOKEN', 'XSRF-TOKEN', 'JSESSIONID']);
        assert.equal(login.setCookies[0], cleared(boot, 'XSRF-TOKEN'));
        assert.match(login.setCookies[1] ?? '', xsrfCookie, 'cleared, then a fresh token at once');
        assert.match(login.setCookies[2] ?? '', jsessionid);
        assert.notEqual(client.cookie('XSRF-TOKEN'), before);

        const raw = client.cookie('XSRF-TOKEN') ?? '';
        const note = await client.send('POST', '/api/notes', { headers: { ...json, 'X-XSRF-TOKEN': raw }, json: { text: 'spa' } });
        assert.equal(note.status, 201);
        assert.deepEqual(JSON.parse(note.text), { text: 'spa', author: 'user' });
        const { token } = await csrfEndpoint(client);
        assert.equal(unmask(token), raw, '/api/csrf still answers with the masked value');
        const masked = await client.send('POST', '/api/notes', { headers: { ...json, 'X-XSRF-TOKEN': token }, json: { text: 'spa' } });
        assertBootError(masked, boot, 403, 'Forbidden', '/api/notes');
      });
    });

    describe('spring-session: Spring Session JDBC (H2), SESSION cookie, maximumSessions(1)', () => {
      const app = useApp(boot, 'spring-session');
      const sessionCookie = /^SESSION=([A-Za-z0-9+/=]+); Path=\/; HttpOnly; SameSite=Lax$/;

      test('SESSION replaces JSESSIONID: base64 of a UUID, HttpOnly, SameSite=Lax; rotated at login', async () => {
        const client = browser(app());
        const page = await loginPage(client);
        assert.equal(page.response.setCookies.length, 1);
        const [, value = ''] = sessionCookie.exec(page.response.setCookies[0] ?? '') ?? [];
        assert.match(Buffer.from(value, 'base64').toString('utf8'), uuid);
        const login = await client.send('POST', '/login', { headers: html, form: { ...user, _csrf: page.csrf } });
        assert.equal(login.status, 302);
        assert.equal(login.headers.get('location'), `${app().baseUrl}/`);
        assert.equal(login.setCookies.length, 1);
        assert.match(login.setCookies[0] ?? '', sessionCookie);
        assert.notEqual(client.cookie('SESSION'), value, 'changeSessionId');
        await assertMe(client, 'user', ['ROLE_USER']);
        assert.equal(client.cookies().some((c) => c.name === 'JSESSIONID'), false);
      });

      test('a second login of the same user expires the first session: its next request gets the default text', async () => {
        const first = browser(app());
        await formLogin(first);
        await assertMe(first, 'user', ['ROLE_USER']);
        const second = browser(app());
        await formLogin(second);
        await assertMe(second, 'user', ['ROLE_USER']);

        const expired = await first.send('GET', '/api/me', { headers: json });
        assert.equal(expired.status, 200, 'ResponseBodySessionInformationExpiredStrategy keeps the status');
        assert.equal(expired.text, 'This session has been expired (possibly due to multiple concurrent logins being attempted as the same user).');
        assert.equal(expired.headers.get('content-type'), null);
        assert.deepEqual(expired.setCookies, ['SESSION=; Max-Age=0; Expires=Thu, 1 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax']);
        assert.equal(first.cookie('SESSION'), undefined);
        assertBootError(await first.send('GET', '/api/me', { headers: json }), boot, 401, 'Unauthorized', '/api/me');
        await assertMe(second, 'user', ['ROLE_USER']);
      });

      test('an idle SESSION expires after spring.session.timeout (seconds): 401 on the next request', async () => {
        const client = browser(app());
        await formLogin(client);
        await idleLongEnough();
        const expired = await client.send('GET', '/api/me', { headers: json });
        assertBootError(expired, boot, 401, 'Unauthorized', '/api/me');
        assert.deepEqual(expired.setCookies, []);
      });

      test('logout deletes the SESSION cookie (Max-Age=0)', async () => {
        const client = browser(app());
        await formLogin(client);
        const { token } = await csrfEndpoint(client);
        const logout = await client.send('POST', '/logout', { headers: html, form: { _csrf: token } });
        assert.equal(logout.status, 302);
        assert.deepEqual(logout.setCookies, ['SESSION=; Max-Age=0; Expires=Thu, 1 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax']);
      });
    });

    describe('remember-me: token-based remember-me next to the session', () => {
      const app = useApp(boot, 'remember-me');

      test('after the session times out, the remember-me cookie signs the user in again with a new JSESSIONID', async () => {
        const client = browser(app());
        const page = await loginPage(client);
        assert.match(page.response.text, /<p><input type='checkbox' name='remember-me'\/> Remember me on this computer\.<\/p>/);
        const login = await client.send('POST', '/login', { headers: html, form: { ...user, _csrf: page.csrf, 'remember-me': 'on' } });
        assert.equal(login.status, 302);
        assert.deepEqual(setCookieNames(login.setCookies), ['JSESSIONID', 'remember-me']);
        // Two weeks; Tomcat 10.1 (Boot 3.5) writes Max-Age before Expires, Tomcat 11 (Boot 4.0) after.
        const expires = 'Expires=[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT';
        const lifetime = boot === '3.5' ? `Max-Age=1209600; ${expires}` : `${expires}; Max-Age=1209600`;
        const rememberMe = new RegExp(`^remember-me=([A-Za-z0-9+/=]+); ${lifetime}; Path=/; HttpOnly$`).exec(login.setCookies[1] ?? '');
        assert.ok(rememberMe, login.setCookies[1]);
        const [name, expiry, algorithm, signature] = Buffer.from(rememberMe[1] ?? '', 'base64').toString('utf8').split(':');
        assert.equal(name, 'user');
        assert.ok(Math.abs(Number(expiry) - (Date.now() + 14 * 24 * 3600 * 1000)) < 60_000, 'expiry in ms, two weeks ahead');
        assert.equal(algorithm, 'SHA256');
        assert.match(signature ?? '', /^[0-9a-f]{64}$/);

        const session = client.cookie('JSESSIONID');
        await idleLongEnough();
        const me = await client.send('GET', '/api/me', { headers: json });
        assert.equal(me.status, 200, 'silently re-authenticated');
        assert.deepEqual(JSON.parse(me.text), { name: 'user', roles: ['ROLE_USER'] });
        assert.equal(me.setCookies.length, 1, 'the remember-me cookie is not re-issued');
        assert.match(me.setCookies[0] ?? '', jsessionid);
        assert.notEqual(client.cookie('JSESSIONID'), session);
        await assertMe(client, 'user', ['ROLE_USER']);
      });

      test('without remember-me=on the idle timeout logs the user out; logout clears the remember-me cookie', async () => {
        const plain = browser(app());
        const login = await formLogin(plain);
        assert.deepEqual(setCookieNames(login.setCookies), ['JSESSIONID']);

        const client = browser(app());
        await formLogin(client, user, { 'remember-me': 'on' });
        const { token } = await csrfEndpoint(client);
        const logout = await client.send('POST', '/logout', { headers: html, form: { _csrf: token } });
        assert.equal(logout.status, 302);
        assert.deepEqual(logout.setCookies, [cleared(boot, 'remember-me')]);
        assert.equal(client.cookie('remember-me'), undefined);

        await idleLongEnough();
        assertBootError(await plain.send('GET', '/api/me', { headers: json }), boot, 401, 'Unauthorized', '/api/me');
      });

      test('a tampered remember-me cookie is cleared and the request stays anonymous', async () => {
        const client = browser(app());
        const forged = Buffer.from(`admin:${Date.now() + 60_000}:SHA256:${'0'.repeat(64)}`).toString('base64');
        const me = await client.send('GET', '/api/me', { headers: { ...json, Cookie: `remember-me=${forged}` } });
        assertBootError(me, boot, 401, 'Unauthorized', '/api/me');
        assert.deepEqual(me.setCookies, [cleared(boot, 'remember-me'), cleared(boot, 'remember-me')], 'cleared twice, by the same request');
      });
    });

    describe('problem-details: spring.mvc.problemdetails.enabled + @PreAuthorize', () => {
      const app = useApp(boot, 'problem-details');
      const problem = 'application/problem+json';
      /** Boot 3.5 (Jackson 2): type, title, status, detail, instance. Boot 4.0 (Jackson 3): sorted keys, no type. */
      const assertProblem = (response: ClientResponse, status: number, title: string, detail: string, instance: string) => {
        assert.equal(response.status, status);
        assert.equal(response.headers.get('content-type'), problem);
        const expected = boot === '3.5'
          ? { type: 'about:blank', title, status, detail, instance }
          : { detail, instance, status, title };
        assert.equal(response.text, JSON.stringify(expected));
      };

      test('@PreAuthorize denial is a problem+json 403 (through the app\'s @ExceptionHandler)', async () => {
        const client = browser(app());
        await formLogin(client);
        assertProblem(await client.send('GET', '/api/reports', { headers: json }), 403, 'Forbidden', 'Access Denied', '/api/reports');
        const adminClient = browser(app());
        await formLogin(adminClient, admin);
        const allowed = await adminClient.send('GET', '/api/reports', { headers: json });
        assert.equal(allowed.status, 200);
        assert.deepEqual(JSON.parse(allowed.text), { reports: ['2025-Q4'] });
      });

      test('MVC errors are problem+json, whatever the Accept: unknown path 404, unreadable JSON 400, wrong method 405', async () => {
        const client = browser(app());
        await formLogin(client);
        assertProblem(await client.send('GET', '/nope', { headers: json }), 404, 'Not Found', 'No static resource nope.', '/nope');
        assertProblem(await client.send('GET', '/nope', { headers: html }), 404, 'Not Found', 'No static resource nope.', '/nope');

        const { token } = await csrfEndpoint(client);
        const badJson = await client.send('POST', '/api/notes', { headers: { ...json, 'Content-Type': 'application/json', 'X-CSRF-TOKEN': token }, body: '{"text":' });
        assertProblem(badJson, 400, 'Bad Request', 'Failed to read request', '/api/notes');

        const wrongMethod = await client.send('DELETE', '/api/me', { headers: { ...json, 'X-CSRF-TOKEN': token } });
        assertProblem(wrongMethod, 405, 'Method Not Allowed', 'Method \'DELETE\' is not supported.', '/api/me');
        assert.equal(wrongMethod.headers.get('allow'), 'GET');
      });

      test('Spring Security\'s filter-level 401 and 403 stay Boot\'s JSON error, not problem+json', async () => {
        const client = browser(app());
        assertBootError(await client.send('GET', '/api/reports', { headers: json }), boot, 401, 'Unauthorized', '/api/reports');
        await formLogin(client);
        assertBootError(await client.send('GET', '/api/admin', { headers: json }), boot, 403, 'Forbidden', '/api/admin');
        assertBootError(await client.send('POST', '/api/notes', { headers: json, json: {} }), boot, 403, 'Forbidden', '/api/notes');
      });
    });

    describe('problem-details without the AccessDeniedException handler (app.access-denied-problem=false)', () => {
      const app = useApp(boot, 'problem-details', { extraProperties: { 'app.access-denied-problem': 'false' } });

      test('by default a @PreAuthorize denial leaves MVC and becomes Boot\'s JSON error 403', async () => {
        const client = browser(app());
        await formLogin(client);
        assertBootError(await client.send('GET', '/api/reports', { headers: json }), boot, 403, 'Forbidden', '/api/reports');
      });
    });

    describe('resource-server: stateless JWT bearer tokens (HS256, aud, no clock skew)', () => {
      const app = useApp(boot, 'resource-server');
      const now = () => Math.floor(Date.now() / 1000);
      const token = (claims: Record<string, unknown> = {}, secret = app().jwtSecret, header: Record<string, unknown> = {}) =>
        mintJwt(secret, { sub: 'alice', aud: [jwtAudience], scope: 'read', iat: now(), exp: now() + 300, ...claims }, header);
      const bearer = (jwt: string) => ({ ...json, Authorization: `Bearer ${jwt}` });
      // Security 7 adds RFC 9728's resource_metadata to every 401 challenge (not to 403).
      const metadata = () => (boot === '4.0' ? `, resource_metadata="${app().baseUrl}/.well-known/oauth-protected-resource"` : '');
      const invalid = (description: string) =>
        `Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt: ${description}", ` +
        `error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"${metadata()}`;
      const assertInvalid = (response: ClientResponse, description: string) => {
        assert.equal(response.status, 401);
        assert.equal(response.headers.get('www-authenticate'), invalid(description));
        assert.equal(response.text, '');
        assert.deepEqual(response.setCookies, []);
      };

      test('a valid token: 200 {subject, scopes}, no cookie; a POST needs no CSRF token', async () => {
        const client = browser(app());
        const me = await client.send('GET', '/api/me', { headers: bearer(token()) });
        assert.equal(me.status, 200);
        assert.deepEqual(JSON.parse(me.text), { subject: 'alice', scopes: ['read'] });
        assert.deepEqual(me.setCookies, []);
        const note = await client.send('POST', '/api/notes', { headers: bearer(token()), json: { text: 'jwt' } });
        assert.equal(note.status, 201);
        assert.deepEqual(JSON.parse(note.text), { text: 'jwt', author: 'alice' });
        assert.deepEqual(client.cookies(), []);
        const lenient = [token({ aud: jwtAudience }), token({ exp: undefined }), token({}, app().jwtSecret, { typ: undefined })];
        for (const jwt of lenient) assert.equal((await client.send('GET', '/api/me', { headers: bearer(jwt) })).status, 200, 'aud as a string, no exp, no typ');
        const lowercase = await client.send('GET', '/api/me', { headers: { ...json, Authorization: `bearer ${token()}` } });
        assert.equal(lowercase.status, 200, 'the scheme is case-insensitive');
      });

      test('no token: 401 with a bare Bearer challenge (plus resource_metadata on 4.0) and an empty body', async () => {
        const client = browser(app());
        const none = await client.send('GET', '/api/me', { headers: json });
        assert.equal(none.status, 401);
        assert.equal(none.headers.get('www-authenticate'), `Bearer${metadata().replace(/^,/, '')}`);
        assert.equal(none.headers.get('content-length'), '0');
        assert.equal(none.text, '');
        assert.deepEqual(none.setCookies, []);
        const basicAuth = await client.send('GET', '/api/me', { headers: { ...json, Authorization: basic(user) } });
        assert.equal(basicAuth.status, 401, 'Basic is not a bearer token');
        assert.equal(basicAuth.headers.get('www-authenticate'), none.headers.get('www-authenticate'));
        const query = await client.send('GET', `/api/me?access_token=${token()}`, { headers: json });
        assert.equal(query.status, 401, 'the access_token query parameter is off by default');
        assert.equal((await client.send('GET', '/api/public', { headers: json })).status, 200);
      });

      test('Security 7 serves RFC 9728 protected-resource metadata; 6.5 does not', async () => {
        const client = browser(app());
        const response = await client.send('GET', '/.well-known/oauth-protected-resource', { headers: json });
        if (boot === '3.5') {
          assert.equal(response.status, 401);
          return;
        }
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), 'application/json');
        assert.deepEqual(JSON.parse(response.text), {
          resource: app().baseUrl,
          bearer_methods_supported: ['header'],
          tls_client_certificate_bound_access_tokens: true,
        });
      });

      test('expired, wrong signature, wrong audience, malformed, wrong typ: 401 Bearer error="invalid_token" with the reason', async () => {
        const client = browser(app());
        const exp = now() - 1;
        const expiredAt = new Date(exp * 1000).toISOString().replace('.000', '');
        assertInvalid(await client.send('GET', '/api/me', { headers: bearer(token({ iat: exp - 60, exp })) }), `Jwt expired at ${expiredAt}`);
        assertInvalid(await client.send('GET', '/api/me', { headers: bearer(token({}, 'another-secret-that-is-long-enough-0123456789')) }),
          'Signed JWT rejected: Invalid signature');
        assertInvalid(await client.send('GET', '/api/me', { headers: bearer(token({ aud: ['someone-else'] })) }), 'The aud claim is not valid');
        // Read once: the clock may pass a second between minting the token and reading the answer.
        const notBefore = now() + 60;
        assertInvalid(await client.send('GET', '/api/me', { headers: bearer(token({ nbf: notBefore })) }),
          `Jwt used before ${new Date(notBefore * 1000).toISOString().replace('.000', '')}`);
        assertInvalid(await client.send('GET', '/api/me', { headers: bearer('not.a.jwt') }), 'Malformed token');
        assertInvalid(await client.send('GET', '/api/me', { headers: bearer(token({}, app().jwtSecret, { alg: 'HS512' })) }),
          'Signed JWT rejected: Another algorithm expected, or no matching key(s) found');
        assertInvalid(await client.send('GET', '/api/me', { headers: bearer(token({}, app().jwtSecret, { typ: 'at+jwt' })) }),
          boot === '3.5' ? 'JOSE header typ (type) at+jwt not allowed' : 'the given typ value needs to be one of [JWT]');
      });

      test('a missing scope is 403 Bearer error="insufficient_scope"; SCOPE_admin passes', async () => {
        const client = browser(app());
        const denied = await client.send('GET', '/api/admin', { headers: bearer(token()) });
        assert.equal(denied.status, 403);
        assert.equal(denied.headers.get('www-authenticate'),
          'Bearer error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"');
        assert.equal(denied.text, '');
        const allowed = await client.send('GET', '/api/admin', { headers: bearer(token({ scope: 'read admin' })) });
        assert.equal(allowed.status, 200);
        assert.deepEqual(JSON.parse(allowed.text), { message: 'Hello, administrator alice' });
      });

      test('"stateless" still makes a session for CSRF: a POST without a bearer token gets 403 and a JSESSIONID', async () => {
        const client = browser(app());
        const post = await client.send('POST', '/api/notes', { headers: json, json: {} });
        assertBootError(post, boot, 403, 'Forbidden', '/api/notes');
        assert.match(post.setCookies[0] ?? '', jsessionid, 'HttpSessionCsrfTokenRepository saved a fresh token');
        const session = client.cookie('JSESSIONID');
        // Each bearer-authenticated request that carries that cookie gets it rotated (changeSessionId).
        const me = await client.send('GET', '/api/me', { headers: bearer(token()) });
        assert.equal(me.status, 200);
        assert.match(me.setCookies[0] ?? '', jsessionid);
        assert.notEqual(client.cookie('JSESSIONID'), session);
      });
    });
  });
}
