// The demo server (src/demo) must answer like the real Spring Boot 4.0 app in its `spa` profile: one
// scripted sequence of requests runs against both, every answer is normalised (values that differ per
// run replaced by their shape) and the two lists must be equal. Then examples/01-login-form.http runs
// end to end against the demo server through the CLI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual, promisify } from 'node:util';
import { type DemoServer, startDemoServer } from '../../../src/demo/demoServer';
import { buildExtension } from '../../support/build';
import { repoRoot } from '../../support/codeServer';
import { type ClientResponse, CookieClient, hiddenCsrf, type SendOptions } from '../support/cookieClient';
import { type SpringBootApp, startSpringBootApp } from '../support/springBoot';

const sessionTimeoutSeconds = 2;
let spring: SpringBootApp;
let demo: DemoServer;
/** The demo server's clock: the wall clock plus the idle time the script let pass. */
let demoSkewMs = 0;

before(async () => {
  [spring, demo] = await Promise.all([
    startSpringBootApp({ boot: '4.0', profile: 'spa', sessionTimeoutSeconds }),
    startDemoServer({ port: 0, host: '127.0.0.1', sessionTimeoutSeconds, now: () => Date.now() + demoSkewMs }),
    buildExtension(),
  ]);
});
after(async () => {
  await Promise.all([spring?.stop(), demo?.close()]);
});

const html = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const json = { Accept: 'application/json' };
const basic = (username: string, password: string) => ({ ...json, Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` });
const user = { username: 'user', password: 'password' };

/** One answer with what differs per run replaced by its shape. */
interface Answer {
  readonly step: string;
  readonly status?: number;
  readonly statusText?: string;
  readonly headers?: Record<string, string>;
  readonly setCookies?: readonly string[];
  readonly body?: string;
  /** A fact the script derived, e.g. that two renders masked the token differently. */
  readonly fact?: unknown;
}

const keptHeaders = [
  'location', 'content-type', 'content-language', 'www-authenticate', 'allow', 'accept',
  'cache-control', 'pragma', 'expires', 'x-content-type-options', 'x-frame-options', 'x-xss-protection',
];
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** XorCsrfTokenRequestAttributeHandler's mask undone: base64url(random ‖ random XOR token) → token. */
function unmask(masked: string): string {
  const bytes = Buffer.from(masked, 'base64url');
  const half = bytes.length / 2;
  return Buffer.from(bytes.subarray(half).map((b, i) => b ^ (bytes[i] ?? 0))).toString('utf8');
}

/** What a CSRF token in a page or body is, relative to the client's XSRF-TOKEN cookie. */
function tokenShape(token: string, client: CookieClient): string {
  const cookie = client.cookie('XSRF-TOKEN');
  if (cookie !== undefined && token === cookie) return '{raw XSRF-TOKEN}';
  if (/^[A-Za-z0-9_-]{96}$/.test(token) && cookie !== undefined && unmask(token) === cookie) return '{masked XSRF-TOKEN}';
  return `{other: ${token}}`;
}

function valueShape(value: string): string {
  if (value === '') return '';
  if (uuid.test(value)) return '{uuid}';
  if (/^[0-9A-F]{32}$/.test(value)) return '{session id}';
  return `{other: ${value}}`;
}

function normalise(step: string, response: ClientResponse, client: CookieClient): Answer {
  const headers: Record<string, string> = {};
  for (const name of keptHeaders) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = name === 'location' ? value.replace(client.baseUrl, '{origin}') : value;
  }
  const contentType = response.headers.get('content-type') ?? '';
  let body = response.text;
  if (contentType.startsWith('application/json')) {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    // Boot 4 (Jackson 3) writes the instant with milliseconds and Z.
    if (typeof parsed.timestamp === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(parsed.timestamp)) parsed.timestamp = '{instant}';
    if (typeof parsed.token === 'string') parsed.token = tokenShape(parsed.token, client);
    body = JSON.stringify(parsed);
  } else if (contentType.startsWith('text/html')) {
    body = body
      .replace(/(name="_csrf" type="hidden" value=")([^"]*)"/g, (_, start: string, token: string) => `${start}${tokenShape(token, client)}"`)
      .replace(/<div id='created'>[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}<\/div>/, "<div id='created'>{date}</div>");
  }
  return {
    step,
    status: response.status,
    statusText: response.statusText,
    headers,
    setCookies: response.setCookies.map((cookie) => cookie.replace(/^([^=]+)=([^;]*)/, (_, name: string, value: string) => `${name}=${valueShape(value)}`)),
    body,
  };
}

/** Records the normalised answers of one server. */
class Recorder {
  readonly answers: Answer[] = [];

  /** `idle` lets time pass on the server: the real app needs the wall clock, the demo server's is moved on. */
  constructor(
    readonly baseUrl: string,
    readonly idle: (ms: number) => Promise<void>,
  ) {}

  /** A browser-like client: a cookie cleared with a past Expires (Tomcat 11 sends no Max-Age) is dropped. */
  client(): CookieClient {
    return new CookieClient(this.baseUrl, { expiredDeletes: true });
  }

  async send(step: string, client: CookieClient, method: string, path: string, options: SendOptions = {}): Promise<ClientResponse> {
    const response = await client.send(method, path, options);
    this.answers.push(normalise(step, response, client));
    return response;
  }

  fact(step: string, fact: unknown): void {
    this.answers.push({ step, fact });
  }
}

/** The script both servers answer. Cookies and tokens come from each server's own answers. */
async function script(r: Recorder): Promise<void> {
  // A: a browser, sent to log in and back to the saved request.
  const a = r.client();
  await r.send('first request: the XSRF-TOKEN cookie is set at once', a, 'GET', '/api/public', { headers: json });
  await r.send('second request: no cookie', a, 'GET', '/api/public', { headers: json });
  await r.send('a protected page: 302 to /login, the request saved in a new session', a, 'GET', '/api/me?x=1', { headers: html });
  const page = await r.send('the login page', a, 'GET', '/login', { headers: html });
  const again = await r.send('the login page again', a, 'GET', '/login', { headers: html });
  r.fact('the _csrf field is masked afresh per render', hiddenCsrf(page.text) !== hiddenCsrf(again.text));
  const masked = hiddenCsrf(again.text) ?? '';
  const raw = () => a.cookie('XSRF-TOKEN') ?? '';
  await r.send('login without a token (browser): 403 Whitelabel page', a, 'POST', '/login', { headers: html, form: user });
  await r.send('login without a token (API): 403 JSON', a, 'POST', '/login', { headers: json, form: user });
  await r.send('login with the raw cookie value in _csrf: 403', a, 'POST', '/login', { headers: json, form: { ...user, _csrf: raw() } });
  await r.send('login with the masked value in X-XSRF-TOKEN: 403', a, 'POST', '/login', { headers: { ...json, 'X-XSRF-TOKEN': masked }, form: user });
  await r.send('login with a wrong header and the right _csrf: 403', a, 'POST', '/login', { headers: { ...json, 'X-XSRF-TOKEN': 'wrong' }, form: { ...user, _csrf: masked } });
  await r.send('a wrong password: 302 /login?error', a, 'POST', '/login', { headers: html, form: { ...user, password: 'nope', _csrf: masked } });
  await r.send('the error page', a, 'GET', '/login?error', { headers: html });
  await r.send('login with the masked _csrf: back to the saved request', a, 'POST', '/login', { headers: html, form: { ...user, _csrf: masked } });
  await r.send('the saved request', a, 'GET', '/api/me?x=1&continue', { headers: html });
  await r.send('home', a, 'GET', '/', { headers: { Accept: '*/*' } });
  await r.send('home asked for JSON: 406', a, 'GET', '/', { headers: json });
  await r.send('the login page when logged in', a, 'GET', '/login', { headers: html });
  await r.send('admin only: 403', a, 'GET', '/api/admin', { headers: json });
  await r.send('unknown path: 404 JSON', a, 'GET', '/nope', { headers: json });
  await r.send('unknown path: 404 page', a, 'GET', '/nope', { headers: html });
  await r.send('the CSRF endpoint: the masked token', a, 'GET', '/api/csrf', { headers: json });
  await r.send('a note with the raw cookie value in X-XSRF-TOKEN: 201', a, 'POST', '/api/notes', { headers: { ...json, 'X-XSRF-TOKEN': raw() }, json: { text: 'hi', tags: ['a'] } });
  await r.send('a note without a token: 403', a, 'POST', '/api/notes', { headers: json, json: { text: 'hi' } });
  await r.send('a note with a wrong token: 403', a, 'POST', '/api/notes', { headers: { ...json, 'X-XSRF-TOKEN': 'wrong' }, json: { text: 'hi' } });
  await r.send('a note with broken JSON: 400', a, 'POST', '/api/notes', { headers: { ...json, 'X-XSRF-TOKEN': raw(), 'Content-Type': 'application/json' }, body: '{"text":' });
  await r.send('a note as a form: 415', a, 'POST', '/api/notes', { headers: { ...json, 'X-XSRF-TOKEN': raw() }, form: { text: 'hi' } });
  await r.send('a wrong method: 405', a, 'DELETE', '/api/me', { headers: { ...json, 'X-XSRF-TOKEN': raw() } });
  await r.send('the logout page', a, 'GET', '/logout', { headers: html });
  await r.send('logout (browser): 302 /login?logout', a, 'POST', '/logout', { headers: { ...html, 'X-XSRF-TOKEN': raw() } });
  await r.send('after logout: 401 and a new XSRF-TOKEN', a, 'GET', '/api/me', { headers: json });
  await r.send('the signed-out page', a, 'GET', '/login?logout', { headers: html });

  // B: an API client that never renders a page.
  const b = r.client();
  await r.send('API: 401 Basic', b, 'GET', '/api/me', { headers: json });
  await r.send('XMLHttpRequest: 401 without a challenge', b, 'GET', '/api/me', { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
  await r.send('a wrong password with the header: 302 /login?error and a session', b, 'POST', '/login', { headers: { 'X-XSRF-TOKEN': b.cookie('XSRF-TOKEN') ?? '' }, form: { ...user, password: 'nope' } });
  await r.send('Accept */*: 401 Basic, the request saved', b, 'GET', '/api/me', { headers: { Accept: '*/*' } });
  await r.send('no Accept: 401 Basic', b, 'GET', '/api/me');
  await r.send('login with the raw header only: session id changed, token replaced', b, 'POST', '/login', { headers: { 'X-XSRF-TOKEN': b.cookie('XSRF-TOKEN') ?? '' }, form: user });
  await r.send('me', b, 'GET', '/api/me', { headers: json });
  await r.send('logout (API): 204', b, 'POST', '/logout', { headers: { ...json, 'X-XSRF-TOKEN': b.cookie('XSRF-TOKEN') ?? '' } });
  await r.send('after logout: 401', b, 'GET', '/api/me', { headers: json });
  await r.send('logout without a cookie: 403 and a new token', b, 'POST', '/logout', { headers: json });

  // Basic: per request, no session.
  const c = r.client();
  await r.send('Basic admin', c, 'GET', '/api/admin', { headers: basic('admin', 'admin') });
  await r.send('Basic user on the admin API: 403', c, 'GET', '/api/admin', { headers: basic('user', 'password') });
  await r.send('Basic with a wrong password: 401', c, 'GET', '/api/me', { headers: basic('user', 'nope') });
  await r.send('Basic, undecodable: 401', c, 'GET', '/api/me', { headers: { ...json, Authorization: 'Basic !!!' } });

  // E: the way back from the login is answered with the saved request's headers: it asked for text/html alone.
  const e = r.client();
  await r.send('E: a page with Accept text/html alone: 302 /login', e, 'GET', '/api/me', { headers: { Accept: 'text/html' } });
  const ePage = await r.send('E: the login page', e, 'GET', '/login', { headers: html });
  await r.send('E: login: back to /api/me?continue', e, 'POST', '/login', { form: { ...user, _csrf: hiddenCsrf(ePage.text) ?? '' } });
  await r.send('E: the way back, Accept replayed from the saved request: 406', e, 'GET', '/api/me?continue', { headers: json });
  await r.send('E: the same URL again, the saved request used up: 200', e, 'GET', '/api/me?continue', { headers: json });

  // D: an idle session expires; the next request is anonymous.
  const d = r.client();
  const loginPage = await r.send('D: the login page', d, 'GET', '/login', { headers: html });
  await r.send('D: login without an earlier session: the token replaced, then a new session', d, 'POST', '/login', { form: { ...user, _csrf: hiddenCsrf(loginPage.text) ?? '' } });
  await r.send('D: me', d, 'GET', '/api/me', { headers: json });
  await r.idle(sessionTimeoutSeconds * 1000 + 400);
  await r.send('D: after the idle timeout: 401, no cookie', d, 'GET', '/api/me', { headers: json });
  await r.send('D: a browser after the idle timeout: 302 /login, a new session', d, 'GET', '/api/me', { headers: html });
}

test('the demo server answers the scripted requests exactly like Spring Boot 4.0 (spa profile)', async () => {
  // Spring's session timeout runs on the wall clock: that wait is the one sleep left.
  const real = new Recorder(spring.baseUrl, (ms) => delay(ms));
  const imitation = new Recorder(demo.url, async (ms) => {
    demoSkewMs += ms;
  });
  await Promise.all([script(real), script(imitation)]);

  // The real app's answers are the reference; spot-check that they are what the script says.
  const statuses = real.answers.map((answer) => answer.status ?? answer.fact);
  assert.deepEqual(statuses, [
    200, 200, 302, 200, 200, true, 403, 403, 403, 403, 403, 302, 200, 302, 200, 200, 406, 200, 403, 404, 404, 200,
    201, 403, 403, 400, 415, 405, 200, 302, 401, 200,
    401, 401, 302, 401, 401, 302, 200, 204, 401, 403,
    200, 403, 401, 401,
    302, 200, 302, 406, 200,
    200, 302, 200, 401, 302,
  ]);
  assert.equal(imitation.answers.length, real.answers.length);
  const differences = real.answers.flatMap((expected, i) =>
    isDeepStrictEqual(imitation.answers[i], expected) ? [] : [{ spring: expected, demo: imitation.answers[i] }]);
  assert.deepEqual(differences, [], 'answers where the demo server differs from Spring Boot');
});

test('examples/01-login-form.http runs end to end against the demo server through the CLI', async () => {
  const cli = join(repoRoot, 'dist/cli.js');
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'run', join(repoRoot, 'examples/01-login-form.http'), '--json', '--var', `host=${demo.url}`]);
  const { results } = JSON.parse(stdout) as { results: { name: string; status: number; findings: unknown[] }[] };
  assert.deepEqual(results.map((result) => [result.name, result.status]), [['loginPage', 200], ['login', 200], ['me', 200]]);
  assert.deepEqual(results.flatMap((result) => result.findings), []);
});
