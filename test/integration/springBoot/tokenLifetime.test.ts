// A token's end, through `http-session run` as a whole process, against the real Spring Authorization
// Server issuing opaque tokens (clients svc-client, 10 min, and short-client, 5 s) and the Spring Boot
// test app as a resource server that introspects every token at the authorization server. Revoked:
// the request file revokes its own token at /oauth2/revoke, the resource server's next answer is 401
// invalid_token, and the CLI drops the token, fetches a new one and sends the request again; a token
// with a refresh token (the password grant's legacy-client) is refreshed instead. Expired:
// a token kept in a --session file until the authorization server says it is no longer active is
// replaced by the next run.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { buildExtension } from '../../support/build';
import { runCli } from '../../support/cli';
import { authServerUser, startAuthServer, type AuthServer } from '../support/authServer';
import { startSpringBootApp, type SpringBootApp } from '../support/springBoot';

/** As registered in the fixture's application.properties. */
const secrets = { svc: 'svc-secret-81f0c3a6d2', short: 'short-secret-6e2d9b0f47', api: 'api-secret-5d1c9e7a4b', legacy: 'legacy-secret-9d4a2c7e15' };
let authServer: AuthServer;
let resourceServer: SpringBootApp;
let dir: string;

before(async () => {
  [authServer] = await Promise.all([startAuthServer(), buildExtension()]);
  resourceServer = await startSpringBootApp({
    boot: '4.0',
    profile: 'resource-server',
    extraProperties: { 'opaque.introspection-uri': `${authServer.issuer}/oauth2/introspect`, 'opaque.client-id': 'api-client', 'opaque.client-secret': secrets.api },
  });
  dir = await mkdtemp(join(tmpdir(), 'hs-token-end-'));
  const auth = (clientId: string) => ({ Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{issuer}}/oauth2/token', 'Client ID': clientId, Scope: 'read' });
  await writeFile(
    join(dir, 'http-client.env.json'),
    JSON.stringify({
      dev: {
        issuer: authServer.issuer,
        spring: resourceServer.baseUrl,
        Security: { Auth: { svc: auth('svc-client'), short: auth('short-client'), legacy: { ...auth('legacy-client'), 'Grant Type': 'Password', Username: authServerUser.name } } },
      },
    }),
  );
  await writeFile(
    join(dir, 'http-client.private.env.json'),
    JSON.stringify({
      dev: {
        svcSecret: secrets.svc,
        legacySecret: secrets.legacy,
        Security: { Auth: { svc: { 'Client Secret': secrets.svc }, short: { 'Client Secret': secrets.short }, legacy: { 'Client Secret': secrets.legacy, Password: authServerUser.password } } },
      },
    }),
  );
  const call = (config: string) => ['###', 'GET {{spring}}/api/me', `Authorization: Bearer {{$auth.token("${config}")}}`, ''];
  /** A request with `config`'s token, the client revoking that access token (RFC 7009), the same request again. */
  const revokedBetween = (config: string, client: string, secret: string) =>
    [
      ...call(config),
      '### the client revokes its own token',
      'POST {{issuer}}/oauth2/revoke',
      `Authorization: Basic ${client} {{${secret}}}`,
      'Content-Type: application/x-www-form-urlencoded',
      '',
      `token={{$auth.token("${config}")}}&token_type_hint=access_token`,
      '',
      ...call(config),
    ].join('\n');
  await writeFile(join(dir, 'revoke.http'), revokedBetween('svc', 'svc-client', 'svcSecret'));
  await writeFile(join(dir, 'revoke-refreshable.http'), revokedBetween('legacy', 'legacy-client', 'legacySecret'));
  await writeFile(join(dir, 'short.http'), call('short').join('\n'));
});
after(async () => {
  await resourceServer?.stop();
  await authServer?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface JsonRun {
  readonly results: { status: number }[];
  readonly tokenEvents: { kind: string; config: string; grant?: string; at: string; expiresAt?: string }[];
}

async function run(file: string, ...args: string[]): Promise<{ json: JsonRun; output: string }> {
  const { code, stdout, stderr } = await runCli(dir, 'run', file, '--env', 'dev', '--json', ...args);
  assert.equal(code, 0, stdout + stderr);
  return { json: JSON.parse(stdout) as JsonRun, output: stdout + stderr };
}

/** Whether the authorization server still calls `token` active (RFC 7662). */
async function active(token: string): Promise<boolean> {
  const response = await fetch(`${authServer.issuer}/oauth2/introspect`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`api-client:${secrets.api}`).toString('base64')}` },
    body: new URLSearchParams({ token }),
  });
  return ((await response.json()) as { active: boolean }).active;
}

function assertNoSecrets(output: string, tokens: readonly string[]): void {
  for (const secret of [...Object.values(secrets), ...tokens]) assert.ok(!output.includes(secret), 'no client secret or token is printed');
}

test('a token revoked at the authorization server: the resource server answers 401 invalid_token, the CLI fetches a new token and the request succeeds', { timeout: 120_000 }, async () => {
  const { json, output } = await run('revoke.http', '--session', 'revoke.json');
  assert.deepEqual(json.results.map((result) => result.status), [200, 200, 200], 'before, the revocation, after (sent again with a new token)');
  assert.deepEqual(
    json.tokenEvents.filter((event) => event.kind !== 'used').map((event) => [event.kind, event.grant]),
    [
      ['issued', 'client_credentials'],
      ['revoked', undefined],
      ['issued', 'client_credentials'],
    ],
  );
  const stored = JSON.parse(await readFile(join(dir, 'revoke.json'), 'utf8')) as { sessions: { default: { tokens: { svc: { accessToken: string } } } } };
  const { accessToken } = stored.sessions.default.tokens.svc;
  assert.equal(await active(accessToken), true, 'the kept token is the new one');
  assertNoSecrets(output, [accessToken]);
});

test('a revoked access token with a refresh token: the 401 invalid_token makes the CLI refresh it (the refresh token is still good at the server), and the request succeeds', { timeout: 120_000 }, async () => {
  const { json, output } = await run('revoke-refreshable.http', '--session', 'revoke-refreshable.json');
  assert.deepEqual(json.results.map((result) => result.status), [200, 200, 200]);
  assert.deepEqual(
    json.tokenEvents.filter((event) => event.kind !== 'used').map((event) => [event.kind, event.grant]),
    [
      ['issued', 'password'],
      ['revoked', undefined],
      ['refreshed', 'refresh_token'],
    ],
  );
  const stored = JSON.parse(await readFile(join(dir, 'revoke-refreshable.json'), 'utf8')) as { sessions: { default: { tokens: { legacy: { accessToken: string; refreshToken: string } } } } };
  const { accessToken, refreshToken } = stored.sessions.default.tokens.legacy;
  assert.equal(await active(accessToken), true, 'the kept token is the refreshed one');
  assertNoSecrets(output, [accessToken, refreshToken]);
});

test('a token that expired between runs: the next run records it expired and fetches a new one', { timeout: 120_000 }, async () => {
  const first = await run('short.http', '--session', 'short.json');
  assert.deepEqual(first.json.results.map((result) => result.status), [200]);
  const stored = JSON.parse(await readFile(join(dir, 'short.json'), 'utf8')) as { sessions: { default: { tokens: { short: { accessToken: string } } } } };
  const expiredToken = stored.sessions.default.tokens.short.accessToken;
  // The authorization server's word that the 5 s token has expired: asked until it says so.
  while (await active(expiredToken)) await delay(500);
  const refused = await fetch(`${resourceServer.baseUrl}/api/me`, { headers: { Authorization: `Bearer ${expiredToken}` } });
  assert.equal(refused.status, 401);
  assert.match(refused.headers.get('www-authenticate') ?? '', /error="invalid_token"/);

  const second = await run('short.http', '--session', 'short.json');
  assert.deepEqual(second.json.results.map((result) => result.status), [200]);
  const [expired, issued] = second.json.tokenEvents;
  assert.deepEqual([expired?.kind, issued?.kind, issued?.grant], ['expired', 'issued', 'client_credentials']);
  assert.ok(Date.parse(expired!.expiresAt!) < Date.parse(expired!.at), 'it had expired when the run needed it');
  assertNoSecrets(first.output + second.output, [expiredToken]);
});
