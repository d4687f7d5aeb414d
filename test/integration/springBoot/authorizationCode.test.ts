// Authorization Code with PKCE through `http-session run` as a whole process, against the real Spring
// Authorization Server (test/fixtures/spring-auth-server: client pkce-client, PKCE required, consent
// page on, 5 s access tokens) and the Spring Boot test app as resource server. The CLI prints the
// sign-in URL and waits; Debian's Chromium (headless) opens it, signs in on the server's login page and
// consents; the code comes back to the CLI's loopback listener and the request gets 200. The short-lived
// token is then refreshed without a browser, in the same run and in a second run with --session.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, startCli } from '../../support/cli';
import { authServerUser, consentOnPage, signInOnLoginPage, startSignInSetup, type SignInSetup } from '../support/authServer';

/** As registered in the fixture's application.properties. */
const clientSecret = 'pkce-secret-2b9f6d0e8a';
let setup: SignInSetup;

before(async () => {
  const web = {
    Type: 'OAuth2',
    'Grant Type': 'Authorization Code',
    'Auth URL': '{{issuer}}/oauth2/authorize',
    'Token URL': '{{issuer}}/oauth2/token',
    // Port 0: any free port (SAS matches a loopback IP redirect on any port, RFC 8252 §7.3).
    'Redirect URL': 'http://127.0.0.1:0/callback',
    'Client ID': 'pkce-client',
    Scope: 'openid read',
    PKCE: { 'Code Challenge Method': 'SHA-256' },
  };
  setup = await startSignInSetup('web', web, clientSecret, 2);
});
after(() => setup?.close());

interface JsonRun {
  readonly results: { status: number }[];
  readonly tokenEvents: { kind: string; config: string; grant?: string; scope?: string }[];
}

/** The tokens and codes the run handled, from the session file and the browser: none may be printed. */
function assertNoSecrets(output: string, secrets: readonly string[]): void {
  assert.ok(!output.includes(clientSecret), 'the client secret is not printed');
  assert.ok(!output.includes(authServerUser.password), 'the user\'s password is not printed');
  for (const secret of secrets) assert.ok(!output.includes(secret), 'no token or code is printed');
  assert.doesNotMatch(output, /eyJ[\w-]+\.eyJ/, 'no JWT at all');
}

test('the CLI prints the sign-in URL, Chromium signs in and consents, the code comes back, and the resource server answers 200; the 5 s token is refreshed without a browser', { timeout: 180_000 }, async () => {
  const { authServer, browser, dir } = setup;
  const cli = startCli(dir, 'run', 'web.http', '--env', 'dev', '--json', '--session', 'session.json');
  const [, signInUrl] = await cli.line(/^auth configuration 'web': sign in at (\S+)$/);
  const authorize = new URL(signInUrl!);
  assert.equal(authorize.origin + authorize.pathname, `${authServer.issuer}/oauth2/authorize`);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.match(authorize.searchParams.get('code_challenge') ?? '', /^[\w-]{43}$/);
  assert.match(authorize.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:[1-9]\d*\/callback$/);

  const page = await browser.newPage();
  const codes: string[] = [];
  page.on('request', (request) => {
    const code = new URL(request.url()).searchParams.get('code');
    if (code) codes.push(code);
  });
  await page.goto(signInUrl!);
  await signInOnLoginPage(page);
  await consentOnPage(page);
  await page.getByText('Signed in. You can close this tab.').waitFor();
  await page.close();

  const first = await cli.done;
  assert.equal(first.code, 0, first.stderr);
  const firstRun = JSON.parse(first.stdout) as JsonRun;
  assert.deepEqual(firstRun.results.map((result) => result.status), [200, 200]);
  assert.deepEqual(
    firstRun.tokenEvents.filter((event) => event.kind !== 'used').map((event) => [event.kind, event.grant]),
    [
      ['issued', 'authorization_code'],
      ['expired', undefined],
      ['refreshed', 'refresh_token'],
    ],
    'the 5 s token is refreshed before the second request',
  );
  assert.equal(codes.length, 1, 'the browser brought one code back');

  const second = await runCli(dir, 'run', 'web.http', '--env', 'dev', '--json', '--session', 'session.json');
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /sign in at/, 'no browser the second time');
  const secondRun = JSON.parse(second.stdout) as JsonRun;
  assert.deepEqual(secondRun.results.map((result) => result.status), [200, 200]);
  assert.deepEqual(secondRun.tokenEvents.filter((event) => event.kind === 'refreshed').map((event) => event.grant), ['refresh_token', 'refresh_token']);

  // {{$auth.idToken("web")}}: the OpenID Connect ID token of the same sign-in. The resource server checks
  // issuer, signature and audience (pkce-client), so it takes it too; it carries alice, and no scope.
  await writeFile(join(dir, 'id.http'), 'GET {{spring}}/api/me\nAuthorization: Bearer {{$auth.idToken("web")}}\n');
  const third = await runCli(dir, 'run', 'id.http', '--env', 'dev', '--json', '--session', 'session.json');
  assert.equal(third.code, 0, third.stderr);
  assert.deepEqual((JSON.parse(third.stdout) as JsonRun).results.map((result) => result.status), [200]);

  const stored = JSON.parse(await readFile(join(dir, 'session.json'), 'utf8')) as { sessions: { default: { tokens: Record<string, { accessToken: string; refreshToken: string; idToken: string }> } } };
  const { accessToken, refreshToken, idToken } = stored.sessions.default.tokens.web!;
  assert.ok(refreshToken && idToken, 'the session file keeps the refresh and id tokens');
  const idClaims = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString('utf8')) as { iss: string; sub: string; aud: string[] | string };
  assert.deepEqual([idClaims.iss, idClaims.sub, [idClaims.aud].flat()], [authServer.issuer, authServerUser.name, ['pkce-client']]);
  assertNoSecrets(first.stdout + first.stderr + second.stdout + second.stderr + third.stdout + third.stderr, [accessToken, refreshToken, idToken, ...codes]);
});
