// The Password grant through `http-session run` as a whole process, against the real Spring
// Authorization Server (test/fixtures/spring-auth-server: client legacy-client, the password grant that
// PasswordGrant.java adds back) and the Spring Boot test app as resource server: alice's token, 200 from
// the resource server, and a wrong password refused with the configuration's name; the same from a YAML
// request file, whose headers take `{{$auth.token("name")}}` as .http files do.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../support/cli';
import { authServerUser, startTokenSetup, type TokenSetup } from '../support/authServer';

/** As registered in the fixture's application.properties. */
const clientSecret = 'legacy-secret-9d4a2c7e15';
const wrongPassword = 'not-alice-pw-0f3b';
let setup: TokenSetup;

before(async () => {
  const legacy = { Type: 'OAuth2', 'Grant Type': 'Password', 'Token URL': '{{issuer}}/oauth2/token', 'Client ID': 'legacy-client', Username: authServerUser.name, Scope: 'read' };
  setup = await startTokenSetup('legacy', legacy, clientSecret, 2);
  const { dir } = setup;
  // The passwords in the private file, as users keep them; `mistyped` is `legacy` with a wrong password.
  const environment = JSON.parse(await readFile(join(dir, 'http-client.env.json'), 'utf8')) as { dev: { Security: { Auth: Record<string, unknown> } } };
  environment.dev.Security.Auth.mistyped = legacy;
  await writeFile(join(dir, 'http-client.env.json'), JSON.stringify(environment));
  const secrets = { legacy: { 'Client Secret': clientSecret, Password: authServerUser.password }, mistyped: { 'Client Secret': clientSecret, Password: wrongPassword } };
  await writeFile(join(dir, 'http-client.private.env.json'), JSON.stringify({ dev: { Security: { Auth: secrets } } }));
  await writeFile(join(dir, 'mistyped.http'), ['GET {{spring}}/api/me', 'Authorization: Bearer {{$auth.token("mistyped")}}', ''].join('\n'));
  for (const name of ['legacy', 'mistyped']) {
    await writeFile(join(dir, `${name}.http.yaml`), ['requests:', '  - GET: "{{spring}}/api/me"', '    headers:', `      Authorization: 'Bearer {{$auth.token("${name}")}}'`, ''].join('\n'));
  }
});
after(() => setup?.close());

function assertNoSecrets(output: string, tokens: readonly string[]): void {
  for (const secret of [clientSecret, authServerUser.password, wrongPassword, ...tokens]) assert.ok(!output.includes(secret), 'no password, client secret or token is printed');
  assert.doesNotMatch(output, /eyJ[\w-]+\.eyJ/, 'no JWT at all');
}

test('the password grant: a token for alice from the real authorization server, 200 from the resource server, one token for both requests', { timeout: 180_000 }, async () => {
  const { code, stdout, stderr } = await runCli(setup.dir, 'run', 'legacy.http', '--env', 'dev', '--json', '--session', 'session.json');
  assert.equal(code, 0, stderr);
  const run = JSON.parse(stdout) as { results: { status: number; body?: string }[]; tokenEvents: { kind: string; grant?: string; scope?: string }[] };
  assert.deepEqual(run.results.map((result) => result.status), [200, 200]);
  assert.deepEqual(run.tokenEvents.map((event) => [event.kind, event.grant]), [['issued', 'password'], ['used', undefined]]);
  assert.equal(run.tokenEvents[0]!.scope, 'read');
  const stored = JSON.parse(await readFile(join(setup.dir, 'session.json'), 'utf8')) as { sessions: { default: { tokens: Record<string, { accessToken: string; refreshToken?: string }> } } };
  const { accessToken, refreshToken } = stored.sessions.default.tokens.legacy!;
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string };
  assert.equal(claims.sub, 'alice', 'the token is the user\'s, not the client\'s');
  assert.ok(refreshToken, 'the server issued a refresh token too');
  assertNoSecrets(stdout + stderr, [accessToken, refreshToken]);
});

test('a wrong password: the request stops with the server\'s refusal, naming the auth configuration', { timeout: 120_000 }, async () => {
  const { code, stdout, stderr } = await runCli(setup.dir, 'run', 'mistyped.http', '--env', 'dev');
  assert.notEqual(code, 0);
  assert.match(stderr + stdout, /auth configuration 'mistyped': the token endpoint http:\/\/127\.0\.0\.1:\d+\/oauth2\/token answered 400 \(invalid_grant: Bad user credentials\)/);
  assertNoSecrets(stdout + stderr, []);
});

test('a YAML request file: the header\'s {{$auth.token("legacy")}} gets the token (200); a wrong password is refused on the header\'s line', { timeout: 120_000 }, async () => {
  const ok = await runCli(setup.dir, 'run', 'legacy.http.yaml', '--env', 'dev', '--json');
  assert.equal(ok.code, 0, ok.stderr);
  const run = JSON.parse(ok.stdout) as { results: { status: number }[]; tokenEvents: { kind: string; grant?: string }[] };
  assert.deepEqual(run.results.map((result) => result.status), [200]);
  assert.deepEqual(run.tokenEvents.map((event) => [event.kind, event.grant]), [['issued', 'password']]);
  const refused = await runCli(setup.dir, 'run', 'mistyped.http.yaml', '--env', 'dev');
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /^mistyped\.http\.yaml:4:\d+: not sent: auth configuration 'mistyped': the token endpoint \S+ answered 400 \(invalid_grant: Bad user credentials\)$/m);
  assertNoSecrets(ok.stdout + ok.stderr + refused.stdout + refused.stderr, []);
});
