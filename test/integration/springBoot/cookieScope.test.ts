// Cookie scope on real Spring Boot 3.5 / 4.0 servers (classic profile), each configured the way it
// goes wrong in practice: a session cookie Path that does not cover the app
// (server.servlet.session.cookie.path), a Secure session cookie served over plain http
// (server.servlet.session.cookie.secure), and a login over https followed by calls over http.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { acceptJson, DriverPool, hasLine, named, only, SessionDriver, status } from '../support/sessionDriver';
import { bootVersions, startSpringBootApp, type SpringBootApp } from '../support/springBoot';

let tlsDir: string;
const keyStorePassword = 'http-session-tests';

before(() => {
  // A self-signed certificate for 127.0.0.1 in a PKCS12 key store, as server.ssl.* reads it.
  tlsDir = mkdtempSync(join(tmpdir(), 'hs-boot-tls-'));
  const file = (name: string) => join(tlsDir, name);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('key.pem'), '-out', file('cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', '-in', file('cert.pem'), '-inkey', file('key.pem'), '-out', file('server.p12'), '-passout', `pass:${keyStorePassword}`], { stdio: 'ignore' });
});
after(() => rmSync(tlsDir, { recursive: true, force: true }));

for (const boot of bootVersions) {
  describe(`cookie scope on Boot ${boot}`, () => {
    let pathScoped: SpringBootApp;
    let secureOverHttp: SpringBootApp;
    let https: SpringBootApp;
    let plain: SpringBootApp;
    const pool = new DriverPool();
    const driver = (base: string, insecureTls = false): SessionDriver =>
      pool.driver(base, insecureTls ? { tls: { '127.0.0.1': { rejectUnauthorized: false } } } : undefined);

    before(async () => {
      const classic = (extraProperties: Record<string, string> = {}) => startSpringBootApp({ boot, profile: 'classic', extraProperties });
      [pathScoped, secureOverHttp] = await Promise.all([
        classic({ 'server.servlet.session.cookie.path': '/app' }),
        classic({ 'server.servlet.session.cookie.secure': 'true' }),
      ]);
      [https, plain] = await Promise.all([
        classic({
          'server.ssl.key-store': join(tlsDir, 'server.p12'),
          'server.ssl.key-store-type': 'PKCS12',
          'server.ssl.key-store-password': keyStorePassword,
        }),
        classic(),
      ]);
    });
    after(async () => {
      pool.dispose();
      await Promise.all([pathScoped, secureOverHttp, https, plain].map((app) => app?.stop()));
    });

    test('cookie-path-mismatch: the session cookie is Path=/app, so the login POST to /login goes without it', async () => {
      const session = driver(pathScoped.baseUrl);
      const { page, login } = await session.login();
      const cookie = page.cookies.stored.find((stored) => stored.name === 'JSESSIONID');
      assert.equal(cookie?.path, '/app');
      assert.equal(status(login), 403, 'without its session, the form token means nothing to Spring');
      assert.ok(login.cookies.stored.some((stored) => stored.name === 'JSESSIONID'), 'the 403 started yet another session, again at Path=/app');
      const finding = only(login, 'cookie-path-mismatch');
      assert.equal(finding.message, 'JSESSIONID is scoped to Path=/app, and this request went to /login, so the jar did not send it.');
      hasLine(finding, 'This 403 response set JSESSIONID (127.0.0.1, Path=/app)');
      hasLine(finding, "This request's path /login is outside Path=/app");
    });

    test('cookie-rejected: a Secure session cookie over http never reaches the jar', async () => {
      const session = driver(secureOverHttp.baseUrl);
      const { page, login } = await session.login();
      assert.equal(page.cookies.rejected.length, 1);
      assert.match(page.cookies.rejected[0]!.setCookie, /^JSESSIONID=[0-9A-F]+; Path=\/; Secure; HttpOnly$/);
      assert.equal(status(login), 403);
      const finding = only(login, 'cookie-rejected');
      assert.equal(finding.message, "The server's JSESSIONID never reached the jar: the jar refused its Set-Cookie (Cookie is Secure but this is not a secure connection), so JSESSIONID was not sent.");
      hasLine(finding, 'No JSESSIONID was stored after that');
    });

    test('cookie-secure-over-http: logged in over https, then the API of an http server on the same host', async () => {
      const secureBase = https.baseUrl.replace('http:', 'https:');
      const session = driver(secureBase, true);
      const { login } = await session.login();
      assert.equal(status(login), 200);
      assert.equal(session.session.listCookies().find((cookie) => cookie.name === 'JSESSIONID')?.secure, true, 'Tomcat marks the cookie Secure over https');
      const me = await session.send(`${plain.baseUrl}/api/me`, { headers: acceptJson });
      assert.equal(status(me), 401);
      const finding = only(me, 'cookie-secure-over-http');
      hasLine(finding, `The jar holds JSESSIONID (127.0.0.1, Path=/), set by ${named(login, 'POST', `${secureBase}/login`)}`);
      hasLine(finding, `This request went to ${plain.baseUrl} over plain http`);
      const httpsUrl = `${plain.baseUrl.replace('http:', 'https:')}/api/me`;
      assert.deepEqual(finding.fix, { title: `Send to ${httpsUrl}`, action: { kind: 'switch-host', url: httpsUrl } });
    });
  });
}
