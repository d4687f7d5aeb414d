// Proves the Tomcat + Spring test app (test/fixtures/spring) puts Spring Security 5 / Boot's wire
// behaviour on the wire, with plain fetch and hand-kept cookies: no engine code involved.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { CookieClient, hiddenCsrf, setCookieNames } from '../support/cookieClient';
import { admin, assertBootError, formLogin, user } from '../support/formLogin';
import { runRequestsFlow } from '../support/requestsFlow';
import { startSpringApp, type SpringApp } from '../support/springApp';

const sessionTimeoutSeconds = 2;
let app: SpringApp;

before(async () => {
  app = await startSpringApp({ sessionTimeoutSeconds });
  process.stderr.write(`spring app: started in ${app.startMs} ms\n`);
});
after(() => app?.stop());

const basic = ({ username, password }: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

test('form login with the page\'s _csrf rotates JSESSIONID and the token, then /api/me is 200', async () => {
  await formLogin(new CookieClient(app.baseUrl));
});

test('a wrong password redirects to /login?error and keeps the session anonymous', async () => {
  const client = new CookieClient(app.baseUrl);
  const page = await client.send('GET', '/login');
  const session = client.cookie('JSESSIONID');
  const login = await client.send('POST', '/login', { form: { username: 'user', password: 'nope', _csrf: hiddenCsrf(page.text) ?? '' } });
  assert.equal(login.status, 302);
  assert.equal(login.headers.get('location'), `${app.baseUrl}/login?error`);
  assert.equal(client.cookie('JSESSIONID'), session, 'no rotation without a login');
  assert.equal((await client.send('GET', '/api/me')).status, 401);
  assert.match((await client.send('GET', '/login?error')).text, /Bad credentials/);
});

test('an unsafe request without the CSRF token is 403 with Boot\'s JSON error', async () => {
  const client = new CookieClient(app.baseUrl);
  await client.send('GET', '/login');
  const login = await client.send('POST', '/login', { form: { ...user } });
  assert.equal(login.status, 403);
  assert.equal(login.statusText, '', 'Tomcat sends no reason phrase');
  assertBootError(login.text, 403, 'Forbidden', '/login');

  const wrong = await client.send('POST', '/api/notes', { headers: { Authorization: basic(user), 'X-XSRF-TOKEN': 'wrong' }, json: { text: 'hi' } });
  assert.equal(wrong.status, 403);
  assertBootError(wrong.text, 403, 'Forbidden', '/api/notes');
});

test('POST /api/notes with X-XSRF-TOKEN from the cookie is accepted and echoed', async () => {
  const client = new CookieClient(app.baseUrl);
  await formLogin(client);
  const note = await client.send('POST', '/api/notes', { headers: { 'X-XSRF-TOKEN': client.cookie('XSRF-TOKEN') ?? '' }, json: { text: 'hi', tags: ['a'] } });
  assert.equal(note.status, 201);
  assert.deepEqual(JSON.parse(note.text), { text: 'hi', tags: ['a'], author: 'user' });
});

test('a browser (Accept: text/html) is sent to the login page, and back to the saved request after login', async () => {
  const client = new CookieClient(app.baseUrl);
  const denied = await client.send('GET', '/api/me?x=1', { headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
  assert.equal(denied.status, 302);
  assert.equal(denied.headers.get('location'), `${app.baseUrl}/login`, 'absolute redirect, like Boot');
  assert.ok(setCookieNames(denied.setCookies).includes('JSESSIONID'), 'saving the request creates a session');
  await formLogin(client, { expectedLocation: `${app.baseUrl}/api/me?x=1` });
});

test('an API client gets 401 with WWW-Authenticate: Basic and Boot\'s JSON error', async () => {
  const client = new CookieClient(app.baseUrl);
  const json = await client.send('GET', '/api/me', { headers: { Accept: 'application/json' } });
  assert.equal(json.status, 401);
  assert.equal(json.statusText, '');
  assert.equal(json.headers.get('www-authenticate'), 'Basic realm="Realm"');
  assertBootError(json.text, 401, 'Unauthorized', '/api/me');
  assert.deepEqual(setCookieNames(json.setCookies), ['XSRF-TOKEN'], 'a JSON request is not saved: no session');

  const any = await client.send('GET', '/api/me', { headers: { Accept: '*/*' } });
  assert.equal(any.status, 401);
  assert.deepEqual(setCookieNames(any.setCookies), ['JSESSIONID'], 'an */* GET is saved: the 401 carries a new JSESSIONID');
});

test('HTTP Basic authenticates one request without a session', async () => {
  const client = new CookieClient(app.baseUrl);
  const me = await client.send('GET', '/api/me', { headers: { Authorization: basic(admin) } });
  assert.equal(me.status, 200);
  assert.deepEqual(JSON.parse(me.text), { name: 'admin', roles: ['ROLE_ADMIN'] });
  assert.equal(client.cookie('JSESSIONID'), undefined);
  const bad = await client.send('GET', '/api/me', { headers: { Authorization: basic({ username: 'user', password: 'x' }), Accept: 'text/html' } });
  assert.equal(bad.status, 401, 'bad Basic credentials are 401 even for a browser');
  assert.equal(bad.headers.get('www-authenticate'), 'Basic realm="Realm"');
});

test('/api/admin is 403 for ROLE_USER and 200 for ROLE_ADMIN; /api/public needs nothing', async () => {
  const client = new CookieClient(app.baseUrl);
  await formLogin(client);
  const denied = await client.send('GET', '/api/admin');
  assert.equal(denied.status, 403);
  assertBootError(denied.text, 403, 'Forbidden', '/api/admin');
  assert.equal((await client.send('GET', '/api/admin', { headers: { Authorization: basic(admin) } })).status, 200);
  const anonymous = await new CookieClient(app.baseUrl).send('GET', '/api/public');
  assert.equal(anonymous.status, 200);
  assert.deepEqual(JSON.parse(anonymous.text), { message: 'public' });
});

test('POST /logout invalidates the session but leaves the JSESSIONID cookie in place', async () => {
  const client = new CookieClient(app.baseUrl);
  await formLogin(client);
  const session = client.cookie('JSESSIONID');
  const logout = await client.send('POST', '/logout', { headers: { 'X-XSRF-TOKEN': client.cookie('XSRF-TOKEN') ?? '' } });
  assert.equal(logout.status, 302);
  assert.equal(logout.headers.get('location'), `${app.baseUrl}/login?logout`);
  assert.deepEqual(setCookieNames(logout.setCookies), ['XSRF-TOKEN'], 'only the CSRF cookie is cleared');
  assert.equal(client.cookie('XSRF-TOKEN'), undefined);
  assert.equal(client.cookie('JSESSIONID'), session);
  const me = await client.send('GET', '/api/me', { headers: { Accept: 'application/json' } });
  assert.equal(me.status, 401, 'the server forgot the session');
});

test(`the session expires after ${sessionTimeoutSeconds} s idle, not before`, async () => {
  const client = new CookieClient(app.baseUrl);
  await formLogin(client);
  await delay(sessionTimeoutSeconds * 500);
  assert.equal((await client.send('GET', '/api/me')).status, 200, 'half the timeout idle: still logged in');
  const session = client.cookie('JSESSIONID');
  await delay(sessionTimeoutSeconds * 1000 + 300);
  const expired = await client.send('GET', '/api/me');
  assert.equal(expired.status, 401);
  assert.notEqual(client.cookie('JSESSIONID'), session, 'the 401 starts a new session (saved request)');
});

test('the app at /app has its own JSESSIONID and XSRF-TOKEN with Path=/app', async () => {
  const client = new CookieClient(app.baseUrl);
  // /app first: a Path=/ XSRF-TOKEN would also be sent to /app, and that app would use it.
  await formLogin(client, { contextPath: '/app', credentials: admin });
  await formLogin(client);
  const paths = client.cookies().map((c) => `${c.name} ${c.path}`).sort();
  assert.deepEqual(paths, ['JSESSIONID /', 'JSESSIONID /app', 'XSRF-TOKEN /', 'XSRF-TOKEN /app']);
  assert.notEqual(client.cookie('JSESSIONID', '/app'), client.cookie('JSESSIONID', '/'));
  // Each context knows only its own session.
  assert.equal(JSON.parse((await client.send('GET', '/api/me')).text).name, 'user');
  assert.equal(JSON.parse((await client.send('GET', '/app/api/me')).text).name, 'admin');
});

test('/api/bearer: missing, garbage, expired and valid JWTs (signature not checked)', async () => {
  const client = new CookieClient(app.baseUrl);
  const jwt = (payload: object) =>
    [{ alg: 'HS256', typ: 'JWT' }, payload].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2ln';
  const bearer = (token?: string) => client.send('GET', '/api/bearer', token ? { headers: { Authorization: `Bearer ${token}` } } : {});

  const missing = await bearer();
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get('www-authenticate'), 'Bearer');
  assert.match((await bearer('garbage')).headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token", error_description="[^"]*Malformed token"/);
  const expired = await bearer(jwt({ sub: 'user', exp: 1_500_000_000 }));
  assert.equal(expired.status, 401);
  assert.match(expired.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token", error_description="Jwt expired at 2017-07-14T02:40:00Z"/);
  const valid = await bearer(jwt({ sub: 'user', exp: Math.floor(Date.now() / 1000) + 600 }));
  assert.equal(valid.status, 200);
  assert.equal(JSON.parse(valid.text).subject, 'user');
  assert.equal(valid.setCookies.length, 0, 'stateless: no session, no CSRF cookie');
});

test('python requests.Session goes through the classic flow as a browser would', async () => {
  const summary = await runRequestsFlow(app.baseUrl);
  const both = ['JSESSIONID /', 'XSRF-TOKEN /'];
  assert.deepEqual(summary, {
    steps: [
      { step: 'GET /login', status: 200, redirects: [], cookies: both },
      { step: 'POST /login', status: 200, redirects: [302], cookies: both },
      { step: 'GET /api/me', status: 200, redirects: [], cookies: both },
      { step: 'POST /api/notes', status: 201, redirects: [], cookies: both },
      { step: 'GET /api/admin', status: 403, redirects: [], cookies: both },
      // Logout clears XSRF-TOKEN; the followed redirect to /login?logout issues a new one and a new session.
      { step: 'POST /logout', status: 200, redirects: [302], cookies: both },
      { step: 'GET /api/me', status: 401, redirects: [], cookies: both },
      { step: 'GET /app/login', status: 200, redirects: [], cookies: ['JSESSIONID /', 'JSESSIONID /app', 'XSRF-TOKEN /'] },
    ],
    me: { name: 'user', roles: ['ROLE_USER'] },
    jsessionidRotatedAtLogin: true,
    jsessionidConflict: true,
  });
});

test('a start that fails (port taken) is reported with the app\'s stderr, not a hang', async () => {
  const blocker = createServer().listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  const { port } = blocker.address() as { port: number };
  try {
    await assert.rejects(
      async () => (await startSpringApp({ port })).stop(),
      /exited \(1\) before listening:[\s\S]*Address already in use[\s\S]*Tomcat did not start/,
    );
  } finally {
    blocker.close();
  }
});
