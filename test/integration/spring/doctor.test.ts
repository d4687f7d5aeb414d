// The 401/403 doctor end to end: the real Tomcat + Spring app produces each failure, Session.send
// diagnoses it, and the finding must name the right cookie, request and time, with the right fix.
// Two cases the app cannot produce honestly (a Secure session cookie, which needs https) use small
// loopback servers; the CLI runs as a whole process against the same app and the demo server.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { formatDuration, formatTime, maskValue } from '../../../src/core/doctor/evidence';
import type { Exchange, Finding, HeaderList, HttpRequest } from '../../../src/core/model/exchange';
import type { RequestDirectives } from '../../../src/core/model/request';
import { Session, type SessionDefaults } from '../../../src/core/session';
import { startDemoServer } from '../../../src/demo/demoServer';
import { buildExtension } from '../../support/build';
import { repoRoot } from '../../support/codeServer';
import { startSpringApp, type SpringApp } from '../support/springApp';

const sessionTimeoutSeconds = 2;
let app: SpringApp;
let base: string;

before(async () => {
  [app] = await Promise.all([startSpringApp({ sessionTimeoutSeconds }), buildExtension()]);
  base = app.baseUrl;
});
after(() => app?.stop());

// The file these sessions pretend to run from has a login request named 'login' (runRequest derives it).
const hints = { loginRequestNames: ['login'] };
const sessions: Session[] = [];
after(() => sessions.forEach((session) => session.dispose()));

function newSession(defaults?: SessionDefaults): Session {
  const session = new Session({ name: 'default', env: {}, ...(defaults ? { defaults } : {}) });
  sessions.push(session);
  return session;
}

interface Send {
  readonly method?: string;
  readonly name?: string;
  readonly headers?: HeaderList;
  readonly form?: Record<string, string>;
  readonly json?: unknown;
  readonly options?: RequestDirectives;
}

function request(url: string, spec: Send = {}): HttpRequest {
  const headers: [string, string][] = [...(spec.headers ?? [])].map(([name, value]) => [name, value]);
  let body: string | undefined;
  if (spec.form) {
    headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    body = new URLSearchParams(spec.form).toString();
  } else if (spec.json !== undefined) {
    headers.push(['Content-Type', 'application/json']);
    body = JSON.stringify(spec.json);
  }
  return {
    method: spec.method ?? (body === undefined ? 'GET' : 'POST'),
    url: url.startsWith('http') ? url : `${base}${url}`,
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(spec.name ? { name: spec.name } : {}),
    ...(spec.options ? { options: spec.options } : {}),
  };
}

const json: HeaderList = [['Accept', 'application/json']];

async function send(session: Session, url: string, spec: Send = {}): Promise<Exchange> {
  const exchange = await session.send(request(url, spec), undefined, hints);
  assert.equal(exchange.error, undefined, exchange.error?.message);
  return exchange;
}

/** The browser's form login, with the CSRF token added by the session (csrf auto), not written in the body. */
async function login(session: Session, { at = '', password = 'password' } = {}): Promise<{ page: Exchange; login: Exchange }> {
  const page = await send(session, `${at}/login`, { name: 'loginPage', headers: [['Accept', 'text/html']] });
  assert.equal(page.response?.status, 200);
  const done = await send(session, `${at}/login`, { name: 'login', form: { username: 'user', password } });
  return { page, login: done };
}

function only(exchange: Exchange, id: string): Finding {
  assert.deepEqual(exchange.findings.map((finding) => finding.id), [id], JSON.stringify(exchange.findings, null, 2));
  return exchange.findings[0]!;
}

function findingOf(exchange: Exchange, id: string): Finding {
  const finding = exchange.findings.find((candidate) => candidate.id === id);
  assert.ok(finding, `no ${id} among ${JSON.stringify(exchange.findings.map((f) => f.id))}`);
  return finding;
}

function hasLine(finding: Finding, expected: string): void {
  assert.ok(finding.evidence.includes(expected), `evidence of ${finding.id} lacks\n  ${expected}\nit has\n  ${finding.evidence.join('\n  ')}`);
}

/** How evidence names a request: `'login' (POST http://127.0.0.1:PORT/login) at 2024-…Z`. */
function named(exchange: Exchange, method: string, url: string): string {
  return `'${exchange.request.name}' (${method} ${url}) at ${formatTime(exchange.startedAt)}`;
}

const rerunLogin = { title: "Re-run 'login' to log in, then send this request again", action: { kind: 'rerun-request', requestName: 'login' } };

function cookieValue(session: Session, name: string, path = '/'): string {
  const value = session.cookieValue(name, `${base}${path}`);
  assert.ok(value, `the jar holds ${name} for ${path}`);
  return value;
}

describe('against the real Spring app', () => {
  test('csrf auto: after the form login, POST /api/notes succeeds with no header written; the sent header and body are recorded', async () => {
    const session = newSession();
    const { page, login: done } = await login(session);
    assert.equal(done.response?.status, 200, 'the login POST carried the token as X-XSRF-TOKEN, not as a _csrf field');
    assert.deepEqual(done.redirects.map((hop) => [hop.method, hop.status, hop.location]), [['POST', 302, `${base}/`]]);
    assert.deepEqual(done.findings, []);
    const pageToken = page.cookies.stored.find((cookie) => cookie.name === 'XSRF-TOKEN')?.value;
    assert.ok(pageToken);
    assert.deepEqual(done.redirects[0]!.cookies.sent.map((cookie) => cookie.name).sort(), ['JSESSIONID', 'XSRF-TOKEN']);

    const token = cookieValue(session, 'XSRF-TOKEN');
    assert.notEqual(token, pageToken, 'the token rotated at login');
    const notes = await send(session, '/api/notes', { name: 'notes', json: { text: 'hi' } });
    assert.equal(notes.response?.status, 201);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(notes.response?.body)), { text: 'hi', author: 'user' });
    assert.deepEqual(notes.request.headers.filter(([name]) => name === 'X-XSRF-TOKEN'), [['X-XSRF-TOKEN', token]]);
    assert.equal(notes.request.bodyText, '{"text":"hi"}');
    assert.deepEqual(notes.findings, []);

    const me = await send(session, '/api/me', { headers: json });
    assert.equal(me.response?.status, 200);
    assert.deepEqual(me.findings, [], 'a 200 has no findings');
    assert.equal(me.request.headers.some(([name]) => name === 'X-XSRF-TOKEN'), false, 'GET is safe: no CSRF header');
  });

  test('no-session-cookie: GET /api/me before any login', async () => {
    const session = newSession();
    const me = await send(session, '/api/me', { name: 'me', headers: json });
    assert.equal(me.response?.status, 401);
    const finding = only(me, 'no-session-cookie');
    assert.match(finding.message, new RegExp(`no session cookie and no Authorization header went to ${base}/api/me, so the server answered 401`));
    hasLine(finding, `No session cookie (JSESSIONID or SESSION) was sent to ${base}/api/me: the jar holds none for this URL`);
    hasLine(finding, 'No login request has succeeded in this session');
    hasLine(finding, 'The server\'s error body says: status 401, error "Unauthorized", message "Unauthorized", path /api/me');
    assert.deepEqual(finding.fix, rerunLogin);
  });

  test('session-expired: idle past the app timeout; the idle gap and the observed bracket', async () => {
    const session = newSession();
    const { login: done } = await login(session);
    assert.equal((await send(session, '/api/me', { headers: json })).response?.status, 200);
    const sent = cookieValue(session, 'JSESSIONID');
    await delay(sessionTimeoutSeconds * 1000 + 600); // the app's deliberate session timeout
    const me = await send(session, '/api/me', { name: 'me' });
    assert.equal(me.response?.status, 401);
    const rejected = me.sessionEvents.find((event) => event.kind === 'rejected-by-server');
    assert.ok(rejected?.idleGapMs !== undefined && rejected.idleGapMs >= sessionTimeoutSeconds * 1000);
    const longest = session.lifecycles()[0]!.longestWorkingIdleMs;
    assert.ok(longest !== undefined && longest < sessionTimeoutSeconds * 1000);

    const finding = only(me, 'session-expired');
    const idle = formatDuration(rejected.idleGapMs);
    const bracket = `server timeout is between ${formatDuration(longest)} and ${idle}`;
    assert.equal(finding.message, `Session expired: JSESSIONID was sent but the server answered 401 as if there were no session — idle ${idle}; ${bracket}. Log in again.`);
    hasLine(finding, `Sent JSESSIONID=${maskValue(sent)} from the jar`);
    hasLine(finding, `It last worked at ${formatTime(me.startedAt - rejected.idleGapMs)}; this request went out at ${formatTime(me.startedAt)}`);
    hasLine(finding, `Last login: ${named(done, 'POST', `${base}/login`)}`);
    hasLine(finding, `Idle gap: ${idle}`);
    hasLine(finding, `Observed: ${bracket} (longest idle that still worked, shortest that failed)`);
    assert.ok(finding.evidence.some((line) => line.startsWith('The response set a new JSESSIONID=')), 'Spring started a new anonymous session');
    assert.deepEqual(finding.fix, rerunLogin);
  });

  test('session-logged-out: POST /logout, then GET /api/me; the logout itself is no rejection', async () => {
    const session = newSession();
    await login(session);
    const logout = await send(session, '/logout', { method: 'POST', name: 'logout' });
    assert.deepEqual(logout.redirects.map((hop) => [hop.status, hop.location]), [[302, `${base}/login?logout`]]);
    assert.equal(logout.sessionEvents.some((event) => event.kind === 'rejected-by-server'), false);
    assert.deepEqual(logout.findings, []);

    const me = await send(session, '/api/me', { headers: json });
    assert.equal(me.response?.status, 401);
    const finding = only(me, 'session-logged-out');
    assert.equal(finding.message, `Logged out: 'logout' at ${formatTime(logout.startedAt)} ended the session, so the server answered 401. Log in again.`);
    hasLine(finding, `Logout: ${named(logout, 'POST', `${base}/logout`)} → 200`);
    hasLine(finding, 'No login request succeeded after the logout');
    assert.deepEqual(finding.fix, rerunLogin);
  });

  test('stale-cookie-header: a hand-written Cookie with the JSESSIONID from before the login', async () => {
    const session = newSession();
    const { page, login: done } = await login(session);
    const preLogin = page.cookies.stored.find((cookie) => cookie.name === 'JSESSIONID')?.value;
    assert.ok(preLogin);
    const current = cookieValue(session, 'JSESSIONID');
    assert.notEqual(current, preLogin);
    const me = await send(session, '/api/me', { headers: [...json, ['Cookie', `JSESSIONID=${preLogin}`]] });
    assert.equal(me.response?.status, 401);
    const finding = only(me, 'stale-cookie-header');
    assert.match(finding.message, /^The request's Cookie header sent JSESSIONID=.*, overriding the jar's current JSESSIONID \(set by 'login'\)/);
    hasLine(finding, `Cookie header written in the request: JSESSIONID=${maskValue(preLogin)}`);
    hasLine(finding, `The jar's JSESSIONID for this URL was ${maskValue(current)}`);
    hasLine(finding, `The jar's value was set by ${named(done, 'POST', `${base}/login`)}`);
    assert.equal(finding.fix?.title, "Delete the Cookie header (or write JSESSIONID={{$cookie JSESSIONID}}) so the jar's current value goes out");
    assert.deepEqual(finding.fix?.action, { kind: 'remove-header', name: 'Cookie' });
  });

  test('cookie-path-mismatch: logged in at /app, then GET /api/me at the root context', async () => {
    const session = newSession();
    const { login: done } = await login(session, { at: '/app' });
    assert.equal(done.response?.status, 200);
    const me = await send(session, '/api/me', { headers: json });
    assert.equal(me.response?.status, 401);
    const finding = only(me, 'cookie-path-mismatch');
    assert.equal(finding.message, 'JSESSIONID is scoped to Path=/app, and this request went to /api/me, so the jar did not send it.');
    hasLine(finding, `The jar holds JSESSIONID (127.0.0.1, Path=/app), set by ${named(done, 'POST', `${base}/app/login`)}`);
    hasLine(finding, "This request's path /api/me is outside Path=/app");
  });

  test('cookie-host-mismatch: logged in at 127.0.0.1, then GET /api/me at localhost', async () => {
    const session = newSession();
    const { login: done } = await login(session);
    const localhost = base.replace('127.0.0.1', 'localhost');
    const me = await send(session, `${localhost}/api/me`, { headers: json });
    assert.equal(me.response?.status, 401);
    const finding = only(me, 'cookie-host-mismatch');
    assert.equal(finding.message, 'JSESSIONID is in the jar for 127.0.0.1, but this request went to localhost: cookies are kept per host name, even for the same server. Use 127.0.0.1.');
    hasLine(finding, `The jar holds JSESSIONID (127.0.0.1, Path=/), set by ${named(done, 'POST', `${base}/login`)}`);
    assert.deepEqual(finding.fix, { title: `Send to ${base}/api/me`, action: { kind: 'switch-host', url: `${base}/api/me` } });
  });

  test('cookie-jar-disabled: # @no-cookie-jar on GET /api/me after the login', async () => {
    const session = newSession();
    const { login: done } = await login(session);
    const me = await send(session, '/api/me', { headers: json, options: { noCookieJar: true } });
    assert.equal(me.response?.status, 401);
    const finding = only(me, 'cookie-jar-disabled');
    hasLine(finding, `The jar holds JSESSIONID (127.0.0.1, Path=/), set by ${named(done, 'POST', `${base}/login`)}`);
    assert.deepEqual(finding.fix, { title: 'Remove # @no-cookie-jar from this request', action: { kind: 'remove-directive', directive: 'no-cookie-jar' } });
  });

  test('csrf-token-missing: # @csrf off on POST /api/notes', async () => {
    const session = newSession();
    const { login: done } = await login(session);
    const notes = await send(session, '/api/notes', { json: { text: 'hi' }, options: { csrf: 'off' } });
    assert.equal(notes.response?.status, 403);
    assert.equal(notes.request.headers.some(([name]) => name === 'X-XSRF-TOKEN'), false);
    const finding = only(notes, 'csrf-token-missing');
    assert.match(finding.message, /^CSRF token missing: POST \/api\/notes sent no X-XSRF-TOKEN header and no _csrf field/);
    hasLine(finding, 'No X-XSRF-TOKEN header and no _csrf field in the body were sent');
    hasLine(finding, `The jar holds XSRF-TOKEN=${maskValue(cookieValue(session, 'XSRF-TOKEN'))}, set by ${named(done, 'POST', `${base}/login`)}`);
    hasLine(finding, '# @csrf off is set on this request, so the session did not add the header');
    assert.deepEqual(finding.fix, { title: 'Remove # @csrf off so the session adds X-XSRF-TOKEN from the jar', action: { kind: 'remove-directive', directive: 'csrf' } });
  });

  test('csrf-token-stale: the X-XSRF-TOKEN of the login page, sent after the login rotated it', async () => {
    const session = newSession();
    const { page, login: done } = await login(session);
    const old = page.cookies.stored.find((cookie) => cookie.name === 'XSRF-TOKEN')?.value;
    assert.ok(old);
    const notes = await send(session, '/api/notes', { json: { text: 'hi' }, headers: [['X-XSRF-TOKEN', old]] });
    assert.equal(notes.response?.status, 403);
    const finding = only(notes, 'csrf-token-stale');
    const current = cookieValue(session, 'XSRF-TOKEN');
    assert.equal(
      finding.message,
      `CSRF token stale: the X-XSRF-TOKEN header carried ${maskValue(old)}, but the server's current token is ${maskValue(current)} — it changed at ${named(done, 'POST', `${base}/login`)}. Send the current token.`,
    );
    hasLine(finding, `The sent value is the older XSRF-TOKEN set by ${named(page, 'GET', `${base}/login`)}`);
    assert.deepEqual(finding.fix?.action, { kind: 'add-header', name: 'X-XSRF-TOKEN', value: '{{$cookie XSRF-TOKEN}}' });
  });

  test('redirect-to-login: Accept: text/html before any login', async () => {
    const session = newSession();
    const me = await send(session, '/api/me', { headers: [['Accept', 'text/html']] });
    assert.equal(me.response?.status, 200, 'the redirect to the login page was followed');
    const finding = findingOf(me, 'redirect-to-login');
    assert.deepEqual(me.findings.map((f) => f.id), ['no-session-cookie', 'redirect-to-login']);
    hasLine(finding, `GET ${base}/api/me → 302 Location: ${base}/login; the redirect was followed and the final response is ${base}/login (200)`);
    hasLine(finding, 'Sent Accept: text/html');
    assert.deepEqual(finding.fix?.action, { kind: 'add-header', name: 'Accept', value: 'application/json' });
  });

  test('basic-auth-required: a wrong password in Authorization: Basic, and none at all', async () => {
    const session = newSession();
    const wrong = await session.send(request('/api/me', { headers: [...json, ['Authorization', `Basic ${Buffer.from('user:wrong').toString('base64')}`]] }));
    assert.equal(wrong.response?.status, 401);
    const finding = only(wrong, 'basic-auth-required');
    assert.equal(finding.message, "Basic credentials rejected: the server answered 401 to the Authorization header for user 'user'. Check the user name and password.");
    hasLine(finding, 'The server answered WWW-Authenticate: Basic realm="Realm"');
    // A file without a login request, no session cookie anywhere: the server wants Basic credentials.
    const none = await newSession().send(request('/api/me', { headers: json }));
    assert.equal(only(none, 'basic-auth-required').fix?.title, 'Add an Authorization: Basic header (base64 of user:password)');
  });

  test('bearer-token-expired, bearer-token-invalid, and a 401 from /api/bearer does not blame cookies', async () => {
    const session = newSession();
    await login(session);
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const expiredAt = Date.parse('2017-07-14T02:40:00Z');
    const expiredToken = `${part({ alg: 'RS256' })}.${part({ sub: 'user', exp: expiredAt / 1000 })}.c2ln`;
    const expired = await send(session, '/api/bearer', { headers: [['Authorization', `Bearer ${expiredToken}`]] });
    assert.equal(expired.response?.status, 401);
    const expiredFinding = only(expired, 'bearer-token-expired');
    assert.match(expiredFinding.message, /^Bearer token expired at 2017-07-14T02:40:00Z, .* ago\. Get a new token\.$/);
    hasLine(expiredFinding, "The token's exp claim is 2017-07-14T02:40:00Z (read without verifying the signature)");
    assert.ok(expiredFinding.evidence.some((line) => line.includes('Jwt expired at 2017-07-14T02:40:00Z')), 'the server\'s challenge is quoted');

    const invalid = await send(session, '/api/bearer', { headers: [['Authorization', 'Bearer not-a-jwt']] });
    assert.equal(invalid.response?.status, 401);
    const invalidFinding = only(invalid, 'bearer-token-invalid');
    assert.match(invalidFinding.message, /^Bearer token rejected \(".*Malformed token"\): it is not a JWT\.$/);

    const missing = await send(session, '/api/bearer');
    assert.equal(missing.response?.status, 401);
    assert.deepEqual(missing.findings.map((f) => f.id), ['bearer-token-missing'], 'the session is live: the 401 is about the missing token, not cookies');
  });

  test('login-failed: a wrong password comes back to /login?error', async () => {
    const session = newSession();
    const { login: failed } = await login(session, { password: 'wrong' });
    assert.equal(failed.response?.url, `${base}/login?error`);
    const finding = only(failed, 'login-failed');
    assert.equal(finding.message, `Login failed: ${named(failed, 'POST', `${base}/login`)} was sent back to /login?error — the server rejected the credentials for 'user'.`);
    hasLine(finding, `POST ${base}/login → 302 Location: ${base}/login?error`);
    assert.equal(finding.evidence.some((line) => line.includes('wrong')), false, 'the password is not repeated');
    assert.equal(finding.fix?.title, "Check the user name and password sent by 'login' (and the environment that fills them), then send it again");
  });

  test('access-denied: user calls /api/admin', async () => {
    const session = newSession();
    await login(session);
    const admin = await send(session, '/api/admin', { headers: json });
    assert.equal(admin.response?.status, 403);
    const finding = only(admin, 'access-denied');
    assert.match(finding.message, /^Access denied: the server knows who you are but refuses GET \/api\/admin/);
    hasLine(finding, `Authenticated with JSESSIONID=${maskValue(cookieValue(session, 'JSESSIONID'))}: the server did not answer 401, so the session is live`);
    hasLine(finding, 'GET is not checked for CSRF, so this is not a CSRF failure');
  });
});

describe('Secure session cookies (loopback servers: the Spring app serves no https)', () => {
  let tlsDir: string;
  let plain: http.Server;
  let secure: https.Server;
  let plainUrl: string;
  let secureUrl: string;
  // Like server.servlet.session.cookie.secure=true: the session cookie is always Secure.
  const handler: http.RequestListener = (req, res) => {
    if (req.url === '/login' && req.method === 'POST') {
      res.writeHead(200, { 'Set-Cookie': 'JSESSIONID=5F2C7A1B9E0D44F3A8B6C1D2E3F40A1B; Path=/; Secure; HttpOnly' });
      return res.end();
    }
    if (/JSESSIONID=5F2C7A1B9E0D44F3A8B6C1D2E3F40A1B/.test(req.headers.cookie ?? '')) return res.end('{"name":"user"}');
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Realm"', 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ timestamp: new Date().toISOString(), status: 401, error: 'Unauthorized', message: 'Unauthorized', path: req.url }));
  };
  before(async () => {
    tlsDir = mkdtempSync(join(tmpdir(), 'hs-doctor-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(tlsDir, 'key.pem'), '-out', join(tlsDir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    plain = http.createServer(handler);
    secure = https.createServer({ key: readFileSync(join(tlsDir, 'key.pem')), cert: readFileSync(join(tlsDir, 'cert.pem')) }, handler);
    await Promise.all([new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve)), new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve))]);
    plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
    secureUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
  });
  after(() => {
    for (const server of [plain, secure]) {
      server.closeAllConnections();
      server.close();
    }
    rmSync(tlsDir, { recursive: true, force: true });
  });

  test('cookie-rejected: the Secure JSESSIONID set over http never reaches the jar', async () => {
    const session = newSession();
    const done = await session.send(request(`${plainUrl}/login`, { name: 'login', form: { username: 'user', password: 'password' } }), undefined, hints);
    assert.equal(done.cookies.rejected.length, 1);
    const me = await session.send(request(`${plainUrl}/api/me`, { headers: json }), undefined, hints);
    assert.equal(me.response?.status, 401);
    const finding = only(me, 'cookie-rejected');
    assert.equal(finding.message, "The server's JSESSIONID never reached the jar: the jar refused its Set-Cookie (Cookie is Secure but this is not a secure connection), so JSESSIONID was not sent.");
    hasLine(finding, `${named(done, 'POST', `${plainUrl}/login`)} received Set-Cookie: JSESSIONID=5F2C…0A1B; Path=/; Secure; HttpOnly`);
    hasLine(finding, 'No JSESSIONID was stored after that');
  });

  test('cookie-secure-over-http: logged in over https, then the API over http', async () => {
    const session = newSession({ tls: { '127.0.0.1': { rejectUnauthorized: false } } });
    const done = await session.send(request(`${secureUrl}/login`, { name: 'login', form: { username: 'user', password: 'password' } }), undefined, hints);
    assert.equal(done.cookies.stored[0]?.secure, true);
    const me = await session.send(request(`${plainUrl}/api/me`, { headers: json }), undefined, hints);
    assert.equal(me.response?.status, 401);
    const finding = only(me, 'cookie-secure-over-http');
    hasLine(finding, `The jar holds JSESSIONID (127.0.0.1, Path=/), set by ${named(done, 'POST', `${secureUrl}/login`)}`);
    hasLine(finding, `This request went to ${plainUrl} over plain http`);
    const httpsUrl = `${plainUrl.replace('http:', 'https:')}/api/me`;
    assert.deepEqual(finding.fix, { title: `Send to ${httpsUrl}`, action: { kind: 'switch-host', url: httpsUrl } });
  });
});

describe('through the CLI (node dist/cli.js)', () => {
  const cli = join(repoRoot, 'dist/cli.js');
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hs-doctor-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[]): Promise<{ code: number; stdout: string }> {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args], { cwd: dir });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      assert.fail(`cli exited ${failed.code}: ${failed.stderr}`);
    }
  }

  const flow = `### The login page sets JSESSIONID and XSRF-TOKEN
# @name loginPage
GET {{host}}/login
Accept: text/html

### The form login: the _csrf field is chained, no header is written (csrf auto adds X-XSRF-TOKEN)
# @name login
POST {{host}}/login
Content-Type: application/x-www-form-urlencoded

username=user&password=password&_csrf={{loginPage.response.csrf}}

###
# @name me
GET {{host}}/api/me
Accept: application/json

###
# @name notes
POST {{host}}/api/notes
Content-Type: application/json

{"text": "from the CLI"}

###
# @name admin
GET {{host}}/api/admin
Accept: application/json

###
# @name logout
POST {{host}}/logout

###
# @name meAgain
GET {{host}}/api/me
Accept: application/json
`;

  interface JsonResult {
    readonly name: string;
    readonly status: number;
    readonly findings: readonly Finding[];
  }

  test('--json --explain: statuses of the whole flow, findings as {id, message, evidence, fix}', async () => {
    writeFileSync(join(dir, 'flow.http'), flow);
    const { stdout } = await run(['run', 'flow.http', '--json', '--explain', '--var', `host=${base}`]);
    const { results } = JSON.parse(stdout) as { results: JsonResult[] };
    assert.deepEqual(
      results.map((result) => [result.name, result.status]),
      [['loginPage', 200], ['login', 200], ['me', 200], ['notes', 201], ['admin', 403], ['logout', 200], ['meAgain', 401]],
    );
    assert.deepEqual(results.map((result) => result.findings.map((finding) => finding.id)), [[], [], [], [], ['access-denied'], [], ['session-logged-out']]);
    const loggedOut = results[6]!.findings[0]!;
    assert.deepEqual(Object.keys(loggedOut).sort(), ['evidence', 'fix', 'id', 'message']);
    // The login request name comes from the file (runRequest derives it), not from a hint in the test.
    assert.deepEqual(loggedOut.fix, rerunLogin);
    assert.match(loggedOut.message, /^Logged out: 'logout' at \S+Z ended the session, so the server answered 401\. Log in again\.$/);
  });

  test('--explain prints why, the evidence and the fix under the request', async () => {
    writeFileSync(join(dir, 'me.http'), '# @name me\nGET {{host}}/api/me\nAccept: application/json\n');
    const { stdout } = await run(['run', 'me.http', '--explain', '--var', `host=${base}`]);
    const lines = stdout.split('\n');
    assert.match(lines[0]!, new RegExp(`^! 401 +\\d+ ms  GET ${base}/api/me  \\(me\\)  me\\.http:2$`));
    assert.ok(lines.includes('    why: [basic-auth-required] The server asks for HTTP Basic credentials (WWW-Authenticate: Basic realm="Realm") and none were sent.'), stdout);
    assert.ok(lines.includes('      - No Authorization header and no session cookie were sent'), stdout);
    assert.ok(lines.includes('      fix: Add an Authorization: Basic header (base64 of user:password)'), stdout);
  });

  test("examples/01-login-form.http runs end to end against the demo server: /api/me 200, nothing copied by hand", async () => {
    const demo = await startDemoServer({ port: 0 });
    try {
      const { stdout } = await run(['run', join(repoRoot, 'examples/01-login-form.http'), '--json', '--var', `host=${demo.url}`]);
      const { results } = JSON.parse(stdout) as { results: JsonResult[] };
      assert.deepEqual(results.map((result) => [result.name, result.status]), [['loginPage', 200], ['login', 200], ['me', 200]]);
      assert.deepEqual(results.flatMap((result) => result.findings), []);
    } finally {
      await demo.close();
    }
  });
});
