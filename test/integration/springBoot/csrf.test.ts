// CSRF works or is explained, never silently wrong, against the real Spring Boot app with
// CookieCsrfTokenRepository: `spa` (the SPA handler the Spring docs recommend: the raw cookie value
// is accepted as the header) and `spa-xor` (the default XOR handler: the raw value is refused — the
// common Spring Security 6 upgrade trap for API clients), on Boot 3.5 and 4.0.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Finding } from '../../../src/core/model/exchange';
import { buildExtension } from '../../support/build';
import { repoRoot } from '../../support/codeServer';
import { maskSecret } from '../../../src/core/secrets';
import { unmaskCsrfToken } from '../../../src/core/send/csrf';
import { acceptJson, DriverPool, findingIds, hasLine, only, SessionDriver, status, text } from '../support/sessionDriver';
import { bootVersions, startSpringBootApp, type SpringBootApp } from '../support/springBoot';

// A request file as users write it for a Spring app: nothing copied by hand, CSRF from the page and the jar.
const flow = `### The login page sets JSESSIONID and XSRF-TOKEN
# @name loginPage
GET {{host}}/login
Accept: text/html

### The form login: the page's masked _csrf is chained
# @name login
POST {{host}}/login
Content-Type: application/x-www-form-urlencoded

username=user&password=password&_csrf={{loginPage.response.csrf}}

###
# @name me
GET {{host}}/api/me
Accept: application/json

### csrf auto sends the XSRF-TOKEN cookie as X-XSRF-TOKEN
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

interface CliResult {
  readonly name: string;
  readonly status: number;
  readonly findings: readonly Finding[];
}

/** `http-session run flow.http --json --explain` as a whole process. */
async function runFlow(host: string): Promise<CliResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-boot-cli-'));
  try {
    await writeFile(join(dir, 'flow.http'), flow);
    const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'dist/cli.js'), 'run', 'flow.http', '--json', '--explain', '--var', `host=${host}`], { cwd: dir });
    return (JSON.parse(stdout) as { results: CliResult[] }).results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function xsrfHeader(exchange: { request: { headers: readonly (readonly [string, string])[] } }): string | undefined {
  return exchange.request.headers.find(([name]) => name === 'X-XSRF-TOKEN')?.[1];
}

for (const boot of bootVersions) {
  describe(`spa and spa-xor on Boot ${boot}`, () => {
    let spa: SpringBootApp;
    let spaXor: SpringBootApp;
    const pool = new DriverPool();
    const driver = (app: SpringBootApp): SessionDriver => pool.driver(app.baseUrl);

    before(async () => {
      [spa, spaXor] = await Promise.all([startSpringBootApp({ boot, profile: 'spa' }), startSpringBootApp({ boot, profile: 'spa-xor' }), buildExtension()]);
    });
    after(async () => {
      pool.dispose();
      await Promise.all([spa?.stop(), spaXor?.stop()]);
    });

    test('spa: the first response sets XSRF-TOKEN; csrf auto makes every unsafe request pass with no token written', async () => {
      const session = driver(spa);
      const first = await session.send('/api/public', { headers: acceptJson });
      assert.ok(first.cookies.stored.some((cookie) => cookie.name === 'XSRF-TOKEN'), 'the deferred token was loaded, so the cookie is set at once');
      const { login } = await session.login();
      assert.equal(status(login), 200, 'the form login with the masked _csrf passed');
      assert.equal(login.redirects[0] && xsrfHeader(login), undefined);
      const note = await session.send('/api/notes', { json: { text: 'hi' } });
      assert.equal(status(note), 201);
      assert.equal(xsrfHeader(note), session.cookie('XSRF-TOKEN'), 'the raw cookie value went out as X-XSRF-TOKEN');
      assert.deepEqual(note.findings, []);
      const again = await session.send('/api/notes', { json: { text: 'again' } });
      assert.equal(status(again), 201);
    });

    test('spa: the XSRF-TOKEN from before the login, written by hand after it, is csrf-token-stale', async () => {
      const session = driver(spa);
      await session.send('/api/public', { headers: acceptJson });
      const before = session.cookie('XSRF-TOKEN')!;
      const { login } = await session.login();
      const current = session.cookie('XSRF-TOKEN')!;
      assert.notEqual(current, before, 'the login replaced the token');
      const stale = await session.send('/api/notes', { json: { text: 'hi' }, headers: [['X-XSRF-TOKEN', before]] });
      assert.equal(status(stale), 403);
      const finding = only(stale, 'csrf-token-stale');
      assert.match(finding.message, new RegExp(`^CSRF token stale: the X-XSRF-TOKEN header carried ${maskSecret(before)}, but the server's current token is ${maskSecret(current)}`));
      assert.ok(finding.evidence.some((line) => line.startsWith('The token rotated at ') && line.includes(`${spa.baseUrl}/login`)), finding.evidence.join('\n'));
      assert.equal(login.findings.length, 0);
      assert.deepEqual(finding.fix?.action, { kind: 'add-header', name: 'X-XSRF-TOKEN', value: '{{$cookie XSRF-TOKEN}}' });
    });

    test('spa: a masked token in the header is refused (the SPA handler unmasks only the form field): csrf-token-masked', async () => {
      const session = driver(spa);
      await session.login();
      const passed = await session.send('/api/notes', { name: 'note', json: { text: 'hi' } });
      assert.equal(status(passed), 201);
      const csrf = JSON.parse(text(await session.send('/api/csrf', { headers: acceptJson }))) as { token: string };
      assert.equal(unmaskCsrfToken(csrf.token), session.cookie('XSRF-TOKEN'));
      const masked = await session.send('/api/notes', { json: { text: 'masked' }, headers: [['X-XSRF-TOKEN', csrf.token]] });
      assert.equal(status(masked), 403);
      const finding = only(masked, 'csrf-token-masked');
      hasLine(finding, new RegExp(`^'note' \\(POST ${spa.baseUrl}/api/notes\\) at \\S+ passed with the raw XSRF-TOKEN value in X-XSRF-TOKEN$`));
      assert.deepEqual(finding.fix?.action, { kind: 'add-header', name: 'X-XSRF-TOKEN', value: '{{$cookie XSRF-TOKEN}}' });
    });

    test('spa: a 403 on an unsafe request after raw tokens passed is access-denied, not CSRF', async () => {
      const session = driver(spa);
      await session.login();
      assert.equal(status(await session.send('/api/notes', { json: { text: 'hi' } })), 201);
      const admin = await session.send('/api/admin', { method: 'POST', json: {} });
      assert.equal(status(admin), 403);
      const finding = only(admin, 'access-denied');
      hasLine(finding, `The CSRF token sent matches the server's current one (${maskSecret(session.cookie('XSRF-TOKEN')!)})`);
    });

    test('spa-xor: the login with the masked _csrf works; the first POST gets 403 that sets the deferred token, and a re-send is offered', async () => {
      const session = driver(spaXor);
      const { login } = await session.login();
      assert.equal(status(login), 200, 'csrf auto did not override the form token with the raw cookie');
      assert.equal(session.cookie('XSRF-TOKEN'), undefined, 'the login replaced the token, and nothing loaded the new one yet');

      const first = await session.send('/api/notes', { name: 'note', json: { text: 'hi' } });
      assert.equal(status(first), 403);
      const token = session.cookie('XSRF-TOKEN');
      assert.ok(token, 'the 403 set the deferred XSRF-TOKEN');
      const missing = only(first, 'csrf-token-missing');
      assert.match(missing.message, /this 403 set XSRF-TOKEN just now \(Spring Security 6\+ creates the token on the first request that needs it\)/);
      hasLine(missing, `This 403 response set XSRF-TOKEN=${maskSecret(token)}: the server expects it back as X-XSRF-TOKEN`);
      assert.deepEqual(missing.fix?.action, { kind: 'resend' });

      // The re-send carries the raw cookie value, which the XOR handler cannot accept: explained, no re-send offered.
      const resent = await session.send('/api/notes', { name: 'note', json: { text: 'hi' } });
      assert.equal(status(resent), 403);
      assert.equal(xsrfHeader(resent), token);
      const unmasked = only(resent, 'csrf-token-unmasked');
      assert.match(unmasked.message, /carried the raw XSRF-TOKEN cookie value as X-XSRF-TOKEN, and Spring Security 6\+ by default accepts only a masked token/);
      hasLine(unmasked, `Sent X-XSRF-TOKEN: ${maskSecret(token)} — exactly the XSRF-TOKEN cookie's value`);
      assert.equal(unmasked.fix?.action, undefined, 'nothing to re-send: the same value would fail again');
      assert.match(unmasked.fix!.title, /csrf\.spa\(\)/);
      assert.match(unmasked.fix!.title, /SpaCsrfTokenRequestHandler/);

      // The first way out: a masked token, from the app's CsrfToken endpoint, passes.
      const csrf = JSON.parse(text(await session.send('/api/csrf', { headers: acceptJson }))) as { token: string };
      assert.equal(unmaskCsrfToken(csrf.token), token, 'the endpoint serves the same token, masked');
      const masked = await session.send('/api/notes', { json: { text: 'hi' }, headers: [['X-XSRF-TOKEN', csrf.token]] });
      assert.equal(status(masked), 201);
      assert.deepEqual(masked.findings, []);
    });

    test('spa-xor: with the raw cookie value written by hand, the same explanation', async () => {
      const session = driver(spaXor);
      await session.login();
      await session.send('/api/csrf', { headers: acceptJson }); // loads the deferred token: the cookie is set
      const token = session.cookie('XSRF-TOKEN')!;
      const written = await session.send('/api/notes', { json: { text: 'hi' }, headers: [['X-XSRF-TOKEN', token]], options: { csrf: 'off' } });
      assert.equal(status(written), 403);
      assert.deepEqual(findingIds(written), ['csrf-token-unmasked']);
    });

    test('the CLI runs a whole request file against the spa app: statuses and findings of every step', async () => {
      const results = await runFlow(spa.baseUrl);
      assert.deepEqual(
        results.map((result) => [result.name, result.status, result.findings.map((finding) => finding.id)]),
        [
          ['loginPage', 200, []],
          ['login', 200, []],
          ['me', 200, []],
          ['notes', 201, []],
          ['admin', 403, ['access-denied']],
          ['logout', 204, []],
          ['meAgain', 401, ['session-logged-out']],
        ],
      );
      const loggedOut = results[6]!.findings[0]!;
      assert.deepEqual(Object.keys(loggedOut).sort(), ['evidence', 'fix', 'id', 'message']);
      assert.deepEqual(loggedOut.fix, { title: "Re-run 'login' to log in, then send this request again", action: { kind: 'rerun-request', requestName: 'login' } });
    });

    test('the same file against spa-xor: the XOR trap is named where it happens', async () => {
      const results = await runFlow(spaXor.baseUrl);
      assert.deepEqual(
        results.slice(0, 4).map((result) => [result.name, result.status, result.findings.map((finding) => finding.id)]),
        [['loginPage', 200, []], ['login', 200, []], ['me', 200, []], ['notes', 403, ['csrf-token-missing']]],
      );
      assert.deepEqual(results[3]!.findings[0]!.fix?.action, { kind: 'resend' });
    });
  });
}
