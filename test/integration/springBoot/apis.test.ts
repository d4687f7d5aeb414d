// The doctor on the answers of APIs, against the real Spring Boot app on Boot 3.5 and 4.0:
// `problem-details` (method security's 403 and MVC's errors as application/problem+json) and
// `resource-server` (stateless JWT bearer tokens and the real WWW-Authenticate challenges).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HeaderList } from '../../../src/core/model/exchange';
import { acceptJson, DriverPool, hasLine, only, SessionDriver, status, text } from '../support/sessionDriver';
import { bootVersions, jwtAudience, mintJwt, startSpringBootApp, type SpringBootApp } from '../support/springBoot';

const now = (): number => Math.floor(Date.now() / 1000);

for (const boot of bootVersions) {
  describe(`problem-details and resource-server on Boot ${boot}`, () => {
    let problems: SpringBootApp;
    let resources: SpringBootApp;
    const pool = new DriverPool();
    const driver = (app: SpringBootApp): SessionDriver => pool.driver(app.baseUrl);
    const token = (claims: Record<string, unknown> = {}, secret = resources.jwtSecret): string =>
      mintJwt(secret, { sub: 'alice', aud: [jwtAudience], scope: 'read', iat: now(), exp: now() + 300, ...claims });
    const bearer = (jwt: string): HeaderList => [...acceptJson, ['Authorization', `Bearer ${jwt}`]];

    before(async () => {
      [problems, resources] = await Promise.all([
        startSpringBootApp({ boot, profile: 'problem-details' }),
        startSpringBootApp({ boot, profile: 'resource-server' }),
      ]);
    });
    after(async () => {
      pool.dispose();
      await Promise.all([problems?.stop(), resources?.stop()]);
    });

    test('access-denied from method security, read from problem details, on GET and on a POST with a valid CSRF token', async () => {
      const session = driver(problems);
      await session.login();
      const get = await session.send('/api/reports', { headers: acceptJson });
      assert.equal(status(get), 403);
      assert.match(get.response!.headers.find(([name]) => name.toLowerCase() === 'content-type')![1], /^application\/problem\+json/);
      const getFinding = only(get, 'access-denied');
      assert.match(getFinding.message, /refuses GET \/api\/reports \("Access Denied"\)/);
      hasLine(getFinding, /^The server's problem details \(application\/problem\+json\) say: status 403, title "Forbidden", detail "Access Denied", instance \/api\/reports$/);

      const csrf = JSON.parse(text(await session.send('/api/csrf', { headers: acceptJson }))) as { headerName: string; token: string };
      const post = await session.send('/api/reports', { json: { name: 'Q1' }, headers: [...acceptJson, [csrf.headerName, csrf.token]] });
      assert.equal(status(post), 403);
      const postFinding = only(post, 'access-denied');
      hasLine(postFinding, "The 403 is the application's own problem details: Spring Security's CSRF filter refuses before the application runs, so this is not a CSRF failure");

      const admin = driver(problems);
      await admin.login({ username: 'admin', password: 'admin' });
      const adminCsrf = JSON.parse(text(await admin.send('/api/csrf', { headers: acceptJson }))) as { headerName: string; token: string };
      const created = await admin.send('/api/reports', { json: { name: 'Q1' }, headers: [...acceptJson, [adminCsrf.headerName, adminCsrf.token]] });
      assert.equal(status(created), 201);
      assert.deepEqual(created.findings, []);
    });

    test('problem details: a filter-level 401 stays Boot\'s JSON error; a 404 problem has no finding', async () => {
      const session = driver(problems);
      const anonymous = await session.send('/api/reports', { headers: acceptJson });
      assert.equal(status(anonymous), 401);
      hasLine(only(anonymous, 'no-session-cookie'), /^The server's error body says: status 401, error "Unauthorized", path \/api\/reports$/);
      await session.login();
      const missing = await session.send('/api/nothing-here', { headers: acceptJson });
      assert.equal(status(missing), 404);
      assert.deepEqual(missing.findings, []);
    });

    test('bearer-token-missing, -expired, -invalid (signature, audience, malformed) on the real challenges', async () => {
      const api = driver(resources);
      const none = await api.send('/api/me', { headers: acceptJson });
      assert.equal(status(none), 401);
      const missing = only(none, 'bearer-token-missing');
      assert.match(missing.message, /^The server wants a Bearer token \(WWW-Authenticate: Bearer/);

      const exp = now() - 5;
      const expired = await api.send('/api/me', { headers: bearer(token({ iat: exp - 60, exp })) });
      assert.equal(status(expired), 401);
      const expiredFinding = only(expired, 'bearer-token-expired');
      assert.match(expiredFinding.message, new RegExp(`^Bearer token expired at ${new Date(exp * 1000).toISOString().replace('.000', '')}`));
      hasLine(expiredFinding, /^The server answered WWW-Authenticate: Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt: Jwt expired at /);

      const cases: [string, string, RegExp][] = [
        ['wrong signature', token({}, 'another-secret-that-is-long-enough-0123456789'), /Invalid signature"\): it is a JWT that has not expired/],
        ['wrong audience', token({ aud: ['someone-else'] }), /The aud claim is not valid"\): it is a JWT that has not expired/],
        ['malformed', 'not-a-jwt', /Malformed token"\): it is not a JWT\.$/],
      ];
      for (const [what, jwt, message] of cases) {
        const rejected = await api.send('/api/me', { headers: bearer(jwt) });
        assert.equal(status(rejected), 401, what);
        assert.match(only(rejected, 'bearer-token-invalid').message, message, what);
      }

      const good = await api.send('/api/me', { headers: bearer(token()) });
      assert.equal(status(good), 200);
      assert.deepEqual(good.findings, []);
    });

    test('insufficient_scope: a 403 with a valid token is access-denied with the challenge quoted', async () => {
      const denied = await driver(resources).send('/api/admin', { headers: bearer(token()) });
      assert.equal(status(denied), 403);
      const finding = only(denied, 'access-denied');
      hasLine(finding, 'Authenticated with Authorization: bearer');
      hasLine(finding, 'The server answered WWW-Authenticate: Bearer error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"');
    });
  });
}
