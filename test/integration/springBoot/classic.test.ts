// The session engine and the 401/403 doctor against the real Spring Boot app in its `classic`
// configuration (formLogin + httpBasic, Boot's defaults: the CSRF token in the HTTP session, masked
// per render), on Boot 3.5 (Spring Security 6.5) and Boot 4.0 (Spring Security 7.0).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { formatDuration, formatTime } from '../../../src/core/doctor/evidence';
import { maskSecret } from '../../../src/core/secrets';
import { unmaskCsrfToken } from '../../../src/core/send/csrf';
import { hiddenCsrf } from '../support/cookieClient';
import { acceptHtml, acceptJson, DriverPool, hasLine, named, only, rerunLogin, SessionDriver, status, text } from '../support/sessionDriver';
import { bootVersions, startSpringBootApp, type SpringBootApp } from '../support/springBoot';

const sessionTimeoutSeconds = 2;

for (const boot of bootVersions) {
  describe(`classic on Boot ${boot}`, () => {
    let app: SpringBootApp;
    let base: string;
    const pool = new DriverPool();
    const driver = (): SessionDriver => pool.driver(base);

    before(async () => {
      app = await startSpringBootApp({ boot, profile: 'classic', sessionTimeoutSeconds });
      base = app.baseUrl;
    });
    after(async () => {
      pool.dispose();
      await app?.stop();
    });

    test('form login with the masked _csrf: JSESSIONID rotated, no CSRF header added, lifecycle issued → rotated', async () => {
      const session = driver();
      const first = hiddenCsrf(text(await session.send('/login', { headers: acceptHtml })))!;
      const { page, login } = await session.login();
      const pageToken = hiddenCsrf(text(page))!;
      assert.ok(unmaskCsrfToken(pageToken), 'Spring Security 6+ renders a masked token');
      assert.notEqual(first, pageToken, 'the mask differs per render');
      assert.equal(unmaskCsrfToken(first), unmaskCsrfToken(pageToken), 'the token behind it is the same');

      assert.equal(status(login), 200);
      assert.deepEqual(login.redirects.map((hop) => [hop.method, hop.status, hop.location]), [['POST', 302, `${base}/`]]);
      assert.equal(login.redirects[0]!.cookies.sent.some((cookie) => cookie.name === 'XSRF-TOKEN'), false);
      assert.deepEqual(login.findings, []);
      const issued = session.session.lifecycles()[0]!.events[0]!.kind === 'issued' ? login.redirects[0]!.cookies.sent.find((cookie) => cookie.name === 'JSESSIONID')?.value : undefined;
      assert.ok(issued, 'the login page started a session, and the login sent it');
      assert.notEqual(session.cookie('JSESSIONID'), issued, 'changeSessionId at login');
      const [lifecycle] = session.session.lifecycles();
      assert.deepEqual(lifecycle!.events.map((event) => [event.kind, event.requestName]), [['issued', undefined], ['rotated', 'login']]);
      assert.equal(lifecycle!.issuedBy, '/login');

      const me = await session.send('/api/me', { headers: acceptJson });
      assert.equal(status(me), 200);
      assert.deepEqual(JSON.parse(text(me)), { name: 'user', roles: ['ROLE_USER'] });
      assert.deepEqual(me.findings, []);
      assert.ok(session.session.lifecycles()[0]!.lastSuccessAt! >= me.startedAt);
    });

    test('the saved request: a browser GET is sent to /login, and back to it with ?continue after the login', async () => {
      const session = driver();
      const redirected = await session.send('/api/me', { headers: acceptHtml });
      assert.deepEqual(redirected.redirects.map((hop) => [hop.status, hop.location]), [[302, `${base}/login`]]);
      const { login } = await session.login();
      assert.deepEqual(login.redirects.map((hop) => [hop.status, hop.location]), [[302, `${base}/api/me?continue`]]);
      // The request cache replays the saved browser request, Accept: text/html included, on a JSON endpoint.
      assert.equal(status(login), 406);
    });

    test('POST with the masked token of a page rendered after the login passes; X-CSRF-TOKEN is the header', async () => {
      const session = driver();
      await session.login();
      const token = JSON.parse(text(await session.send('/api/csrf', { headers: acceptJson }))) as { headerName: string; token: string };
      assert.equal(token.headerName, 'X-CSRF-TOKEN');
      const note = await session.send('/api/notes', { json: { text: 'hi' }, headers: [[token.headerName, token.token]] });
      assert.equal(status(note), 201);
      assert.deepEqual(JSON.parse(text(note)), { text: 'hi', author: 'user' });
      assert.deepEqual(note.findings, []);
    });

    test('no-session-cookie: GET /api/me before any login (401 with a Basic challenge)', async () => {
      const me = await driver().send('/api/me', { name: 'me', headers: acceptJson });
      assert.equal(status(me), 401);
      assert.equal(me.response?.headers.find(([name]) => name.toLowerCase() === 'www-authenticate')?.[1], 'Basic realm="Realm"');
      const finding = only(me, 'no-session-cookie');
      hasLine(finding, `No session cookie (JSESSIONID or SESSION) was sent to ${base}/api/me: the jar holds none for this URL`);
      hasLine(finding, 'No login request has succeeded in this session');
      hasLine(finding, /^The server's error body says: status 401, error "Unauthorized", path \/api\/me$/);
      assert.deepEqual(finding.fix, rerunLogin);
    });

    test('session-expired: idle past the timeout; idle gap and bracket match what the server did', async () => {
      const session = driver();
      const { login } = await session.login();
      assert.equal(status(await session.send('/api/me', { headers: acceptJson })), 200);
      const sent = session.cookie('JSESSIONID')!;
      await delay(sessionTimeoutSeconds * 1000 + 1200); // the app's deliberate session timeout
      const me = await session.send('/api/me', { name: 'me', headers: acceptJson });
      assert.equal(status(me), 401);
      const rejected = me.sessionEvents.find((event) => event.kind === 'rejected-by-server');
      assert.ok(rejected?.idleGapMs !== undefined && rejected.idleGapMs >= sessionTimeoutSeconds * 1000);
      const lifecycle = session.session.lifecycles()[0]!;
      assert.ok(lifecycle.longestWorkingIdleMs! < sessionTimeoutSeconds * 1000);
      assert.equal(lifecycle.endedAt, me.startedAt);

      const finding = only(me, 'session-expired');
      const idle = formatDuration(rejected.idleGapMs);
      assert.match(finding.message, new RegExp(`^Session expired: JSESSIONID was sent but the server answered 401 as if there were no session — idle ${idle}; server timeout is between`));
      hasLine(finding, `Sent JSESSIONID=${maskSecret(sent)} from the jar`);
      hasLine(finding, `Last login: ${named(login, 'POST', `${base}/login`)}`);
      hasLine(finding, `Idle gap: ${idle}`);
      assert.deepEqual(finding.fix, rerunLogin);
    });

    test('session-logged-out: POST /logout with the token (204 for an API client), then GET /api/me', async () => {
      const session = driver();
      await session.login();
      const page = await session.send('/logout', { headers: acceptHtml });
      const logout = await session.send('/logout', { method: 'POST', name: 'logout', form: { _csrf: hiddenCsrf(text(page))! } });
      assert.deepEqual([logout.redirects.length, status(logout)], [0, 204], 'Spring Security 6+ answers a non-browser logout 204');
      assert.deepEqual(logout.findings, []);
      assert.equal(logout.sessionEvents.some((event) => event.kind === 'rejected-by-server'), false);

      const me = await session.send('/api/me', { headers: acceptJson });
      assert.equal(status(me), 401);
      const finding = only(me, 'session-logged-out');
      assert.equal(finding.message, `Logged out: 'logout' at ${formatTime(logout.startedAt)} ended the session, so the server answered 401. Log in again.`);
      hasLine(finding, 'No login request succeeded after the logout');
    });

    test('stale-cookie-header: a written Cookie with the JSESSIONID from before the login', async () => {
      const session = driver();
      const { page, login } = await session.login();
      const preLogin = page.cookies.stored.find((cookie) => cookie.name === 'JSESSIONID')!.value;
      const me = await session.send('/api/me', { headers: [...acceptJson, ['Cookie', `JSESSIONID=${preLogin}`]] });
      assert.equal(status(me), 401);
      const finding = only(me, 'stale-cookie-header');
      hasLine(finding, `Cookie header written in the request: JSESSIONID=${maskSecret(preLogin)}`);
      hasLine(finding, `The jar's value was set by ${named(login, 'POST', `${base}/login`)}`);
      assert.deepEqual(finding.fix?.action, { kind: 'remove-header', name: 'Cookie' });
    });

    test('cookie-host-mismatch and cookie-jar-disabled after a login at 127.0.0.1', async () => {
      const session = driver();
      const { login } = await session.login();
      const localhost = base.replace('127.0.0.1', 'localhost');
      const elsewhere = await session.send(`${localhost}/api/me`, { headers: acceptJson });
      assert.equal(status(elsewhere), 401);
      hasLine(only(elsewhere, 'cookie-host-mismatch'), `The jar holds JSESSIONID (127.0.0.1, Path=/), set by ${named(login, 'POST', `${base}/login`)}`);

      const withoutJar = await session.send('/api/me', { headers: acceptJson, options: { noCookieJar: true } });
      assert.equal(status(withoutJar), 401);
      assert.deepEqual(only(withoutJar, 'cookie-jar-disabled').fix?.action, { kind: 'remove-directive', directive: 'no-cookie-jar' });
    });

    test('csrf-token-missing: POST /api/notes after the login with no token (the session repository has no cookie to add)', async () => {
      const session = driver();
      await session.login();
      const notes = await session.send('/api/notes', { json: { text: 'hi' } });
      assert.equal(status(notes), 403);
      const finding = only(notes, 'csrf-token-missing');
      hasLine(finding, 'No X-XSRF-TOKEN header and no _csrf field in the body were sent');
      // The login page's token died with the login: the fix asks for a page rendered after it.
      assert.match(finding.fix!.title, /after the login, name it, and send its token: _csrf=\{\{thatPage\.response\.csrf\}\}/);
    });

    test("csrf-token-stale: the login page's masked token sent after the login replaced it", async () => {
      const session = driver();
      const { page, login } = await session.login();
      const old = hiddenCsrf(text(page))!;
      const notes = await session.send('/api/notes', { json: { text: 'hi' }, headers: [['X-CSRF-TOKEN', old]] });
      assert.equal(status(notes), 403);
      const finding = only(notes, 'csrf-token-stale');
      assert.match(finding.message, /^CSRF token stale: the X-CSRF-TOKEN header carried the token of 'loginPage'/);
      hasLine(finding, `Login since then: ${named(login, 'POST', `${base}/login`)} (Spring's CsrfAuthenticationStrategy replaces the token)`);
    });

    test('redirect-to-login: Accept: text/html before any login', async () => {
      const me = await driver().send('/api/me', { headers: acceptHtml });
      assert.equal(status(me), 200, 'the redirect to the login page was followed');
      assert.deepEqual(me.findings.map((f) => f.id), ['no-session-cookie', 'redirect-to-login']);
      assert.deepEqual(me.findings[1]!.fix?.action, { kind: 'add-header', name: 'Accept', value: 'application/json' });
    });

    test('basic-auth-required and login-failed: wrong credentials both ways', async () => {
      const session = driver();
      const wrong = await session.session.send(session.request('/api/me', { headers: [...acceptJson, ['Authorization', `Basic ${Buffer.from('user:wrong').toString('base64')}`]] }));
      assert.equal(status(wrong), 401);
      hasLine(only(wrong, 'basic-auth-required'), 'The server answered WWW-Authenticate: Basic realm="Realm"');

      const { login } = await driver().login({ password: 'wrong' });
      assert.equal(login.response?.url, `${base}/login?error`);
      const finding = only(login, 'login-failed');
      hasLine(finding, `POST ${base}/login → 302 Location: ${base}/login?error`);
      assert.equal(finding.evidence.some((line) => line.includes('wrong')), false, 'the password is not repeated');
    });

    test('access-denied: user calls /api/admin; a 200 flow has no findings', async () => {
      const session = driver();
      await session.login();
      const admin = await session.send('/api/admin', { headers: acceptJson });
      assert.equal(status(admin), 403);
      const finding = only(admin, 'access-denied');
      hasLine(finding, 'GET is not checked for CSRF, so this is not a CSRF failure');
      const [me, home] = [await session.send('/api/me', { headers: acceptJson }), await session.send('/')];
      assert.deepEqual([status(me), status(home)], [200, 200]);
      assert.deepEqual([...me.findings, ...home.findings], []);
    });
  });
}
