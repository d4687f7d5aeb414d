// The demo server (src/demo) must answer like the Spring app: held to the same form-login checks.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { type DemoServer, startDemoServer } from '../../../src/demo/demoServer';
import { CookieClient, hiddenCsrf, setCookieNames } from '../support/cookieClient';
import { admin, assertBootError, formLogin, user } from '../support/formLogin';

const sessionTimeoutSeconds = 1;
let server: DemoServer;

before(async () => {
  server = await startDemoServer({ port: 0, host: '127.0.0.1', sessionTimeoutSeconds });
});
after(() => server?.close());

test('form login with the page\'s _csrf rotates JSESSIONID and the CSRF token', async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  await formLogin(new CookieClient(server.url));
});

test('a wrong password redirects to /login?error', async () => {
  const client = new CookieClient(server.url);
  const page = await client.send('GET', '/login');
  const login = await client.send('POST', '/login', { form: { username: 'user', password: 'nope', _csrf: hiddenCsrf(page.text) ?? '' } });
  assert.equal(login.status, 302);
  assert.equal(login.headers.get('location'), `${server.url}/login?error`);
  assert.match((await client.send('GET', '/login?error')).text, /Bad credentials/);
});

test('missing or wrong CSRF token: 403 with Boot\'s JSON error; the cookie value in X-XSRF-TOKEN passes', async () => {
  const client = new CookieClient(server.url);
  await client.send('GET', '/login');
  const login = await client.send('POST', '/login', { form: { ...user } });
  assert.equal(login.status, 403);
  assertBootError(login.text, 403, 'Forbidden', '/login');

  await formLogin(client);
  const wrong = await client.send('POST', '/api/notes', { headers: { 'X-XSRF-TOKEN': 'wrong' }, json: { text: 'hi' } });
  assert.equal(wrong.status, 403);
  const note = await client.send('POST', '/api/notes', { headers: { 'X-XSRF-TOKEN': client.cookie('XSRF-TOKEN') ?? '' }, json: { text: 'hi' } });
  assert.equal(note.status, 201);
  assert.deepEqual(JSON.parse(note.text), { text: 'hi', author: 'user' });
});

test('entry points: a browser is redirected to /login and back after login; an API client gets 401 Basic', async () => {
  const browser = new CookieClient(server.url);
  const redirected = await browser.send('GET', '/api/me', { headers: { Accept: 'text/html' } });
  assert.equal(redirected.status, 302);
  assert.equal(redirected.headers.get('location'), `${server.url}/login`);
  assert.ok(setCookieNames(redirected.setCookies).includes('JSESSIONID'));
  await formLogin(browser, { expectedLocation: `${server.url}/api/me` });

  const api = await new CookieClient(server.url).send('GET', '/api/me', { headers: { Accept: 'application/json' } });
  assert.equal(api.status, 401);
  assert.equal(api.headers.get('www-authenticate'), 'Basic realm="Realm"');
  assertBootError(api.text, 401, 'Unauthorized', '/api/me');
});

test('Basic auth, roles and the public endpoint', async () => {
  const client = new CookieClient(server.url);
  const basic = (u: { username: string; password: string }) => ({ Authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}` });
  assert.equal((await client.send('GET', '/api/admin', { headers: basic(admin) })).status, 200);
  const denied = await client.send('GET', '/api/admin', { headers: basic(user) });
  assert.equal(denied.status, 403);
  assertBootError(denied.text, 403, 'Forbidden', '/api/admin');
  assert.equal((await client.send('GET', '/api/me', { headers: basic({ username: 'user', password: 'x' }) })).status, 401);
  assert.equal((await client.send('GET', '/api/public')).status, 200);
});

test('logout invalidates the session and keeps the JSESSIONID cookie; an idle session expires', async () => {
  const client = new CookieClient(server.url);
  await formLogin(client);
  const logout = await client.send('POST', '/logout', { form: { _csrf: client.cookie('XSRF-TOKEN') ?? '' } });
  assert.equal(logout.status, 302);
  assert.equal(logout.headers.get('location'), `${server.url}/login?logout`);
  assert.deepEqual(setCookieNames(logout.setCookies), ['XSRF-TOKEN']);
  assert.equal((await client.send('GET', '/api/me')).status, 401);

  // The 401 above saved /api/me, so the login goes back there.
  await formLogin(client, { expectedLocation: `${server.url}/api/me` });
  await delay(sessionTimeoutSeconds * 1000 + 200);
  assert.equal((await client.send('GET', '/api/me')).status, 401, 'forgotten after the idle timeout');
});
