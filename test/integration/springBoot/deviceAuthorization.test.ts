// The Device Authorization grant (RFC 8628) through `http-session run` as a whole process, against the
// real Spring Authorization Server (test/fixtures/spring-auth-server: client device-client) and the
// Spring Boot test app as resource server. The CLI prints the verification page and the user code and
// polls; Debian's Chromium (headless) opens the page, signs in and consents; the CLI's next poll gets
// the token and the request gets 200.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startCli } from '../../support/cli';
import { authServerUser, consentOnPage, signInOnLoginPage, startSignInSetup, type SignInSetup } from '../support/authServer';

/** As registered in the fixture's application.properties. */
const clientSecret = 'device-secret-3a7c5e91bd';
let setup: SignInSetup;

before(async () => {
  const tv = {
    Type: 'OAuth2',
    'Grant Type': 'Device Authorization',
    'Device Auth URL': '{{issuer}}/oauth2/device_authorization',
    'Token URL': '{{issuer}}/oauth2/token',
    'Client ID': 'device-client',
    Scope: 'read',
  };
  setup = await startSignInSetup('tv', tv, clientSecret, 1);
});
after(() => setup?.close());

test('the CLI shows the verification page and user code, Chromium signs in and consents there, the polling CLI gets the token and the resource server answers 200', { timeout: 180_000 }, async () => {
  const { authServer, browser, dir } = setup;
  const cli = startCli(dir, 'run', 'tv.http', '--env', 'dev', '--json', '--session', 'session.json');
  const [, pageUrl, userCode] = await cli.line(/^auth configuration 'tv': open (\S+) and confirm the code (\S+); waiting…$/);
  assert.equal(pageUrl, `${authServer.issuer}/oauth2/device_verification?user_code=${userCode}`, 'verification_uri_complete: the code is in the link');
  assert.match(userCode!, /^[A-Z]{4}-[A-Z]{4}$/);

  const page = await browser.newPage();
  await page.goto(pageUrl!);
  await signInOnLoginPage(page);
  await consentOnPage(page);
  // SAS then says the device is approved.
  await page.waitForURL(/\?success$/);
  await page.close();

  const { code, stdout, stderr } = await cli.done;
  assert.equal(code, 0, stderr);
  const { results, tokenEvents } = JSON.parse(stdout) as { results: { status: number }[]; tokenEvents: { kind: string; grant?: string; scope?: string }[] };
  assert.deepEqual(results.map((result) => result.status), [200]);
  assert.deepEqual(tokenEvents.map((event) => [event.kind, event.grant, event.scope]), [['issued', 'device_code', 'read']]);
  const stored = JSON.parse(await readFile(join(dir, 'session.json'), 'utf8')) as { sessions: { default: { tokens: { tv: { accessToken: string; refreshToken: string } } } } };
  const { accessToken, refreshToken } = stored.sessions.default.tokens.tv;
  const output = stdout + stderr;
  for (const secret of [clientSecret, authServerUser.password, accessToken, refreshToken]) assert.ok(!output.includes(secret), 'no secret, token or password is printed');
  assert.doesNotMatch(output, /eyJ[\w-]+\.eyJ/, 'no JWT at all');
});
