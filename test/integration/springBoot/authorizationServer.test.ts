// `http-session run` as a whole process against a real Spring Authorization Server (Boot 4.0.7,
// test/fixtures/spring-auth-server): client credentials with HTTP Basic and in the body, the token
// reused within a run, and a token revoked at the server's revocation endpoint replaced after the API's
// 401 `invalid_token` (a loopback API that asks the server's introspection endpoint whether a token is
// active), and the Spring Boot test app's resource-server profile validating the server's JWTs.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildExtension } from '../../support/build';
import { runCli } from '../../support/cli';
import { startAuthServer, type AuthServer } from '../support/authServer';
import { startSpringBootApp, type SpringBootApp } from '../support/springBoot';

/** As registered in the fixture's application.properties. */
const clientSecret = 'api-secret-5d1c9e7a4b';
const clientBasic = `Basic ${Buffer.from(`api-client:${clientSecret}`).toString('base64')}`;
let authServer: AuthServer;
let issuer: string;
let api: Server;
/** The bearer tokens the API saw, in order. */
const apiSaw: string[] = [];
let dir: string;
let resourceServer: SpringBootApp;

async function postForm(path: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${issuer}${path}`, { method: 'POST', headers: { Authorization: clientBasic }, body: new URLSearchParams(form) });
}

before(async () => {
  [authServer] = await Promise.all([startAuthServer(), buildExtension()]);
  issuer = authServer.issuer;
  api = createServer((request, response) => {
    void (async () => {
      if (request.url === '/revoke') {
        // As an administrator would: the last token the API saw is revoked at the authorization server.
        const revoked = await postForm('/oauth2/revoke', { token: apiSaw.at(-1)!, token_type_hint: 'access_token' });
        return response.writeHead(revoked.status).end();
      }
      const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
      apiSaw.push(token);
      const { active } = (await (await postForm('/oauth2/introspect', { token })).json()) as { active: boolean };
      response.writeHead(active ? 200 : 401, active ? {} : { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="not active"' });
      response.end(active ? 'ok' : '');
    })();
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  // SAS puts the client id in `aud`.
  resourceServer = await startSpringBootApp({ boot: '4.0', profile: 'resource-server', extraProperties: { 'jwt.issuer': issuer, 'jwt.audience': 'api-client' } });
  dir = await mkdtemp(join(tmpdir(), 'hs-sas-'));
  const auth = (extra: object) => ({ Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{issuer}}/oauth2/token', 'Client ID': 'api-client', Scope: 'read', ...extra });
  // svc-client's tokens are opaque (reference tokens): the JWT resource server cannot take them.
  const opaque = { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{issuer}}/oauth2/token', 'Client ID': 'svc-client', Scope: 'read' };
  await writeFile(
    join(dir, 'http-client.env.json'),
    JSON.stringify({ dev: { issuer, spring: resourceServer.baseUrl, api: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, Security: { Auth: { basic: auth({}), body: auth({ 'Client Credentials': 'in body' }), opaque } } } }),
  );
  await writeFile(
    join(dir, 'http-client.private.env.json'),
    JSON.stringify({ dev: { Security: { Auth: { basic: { 'Client Secret': clientSecret }, body: { 'Client Secret': clientSecret }, opaque: { 'Client Secret': 'svc-secret-81f0c3a6d2' } } } } }),
  );
  await writeFile(join(dir, 'opaque.http'), 'GET {{spring}}/api/me\nAuthorization: Bearer {{$auth.token("opaque")}}\n');
  const call = (config: string) => ['###', `GET {{api}}/orders`, `Authorization: Bearer {{$auth.token("${config}")}}`, ''];
  await writeFile(join(dir, 'run.http'), [...call('basic'), ...call('basic'), ...call('body')].join('\n'));
  await writeFile(
    join(dir, 'spring.http'),
    ['GET {{spring}}/api/me', 'Authorization: Bearer {{$auth.token("basic")}}', '', '###', 'GET {{spring}}/api/admin', 'Authorization: Bearer {{$auth.token("basic")}}', ''].join('\n'),
  );
  await writeFile(join(dir, 'revoke.http'), [...call('basic'), '###', 'POST {{api}}/revoke', '', ...call('basic')].join('\n'));
});
after(async () => {
  await resourceServer?.stop();
  api?.closeAllConnections();
  api?.close();
  await authServer?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(file: string, ...args: string[]): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await runCli(dir, 'run', file, '--env', 'dev', ...args);
  return { code, output: stdout + stderr };
}

function assertNoSecrets(output: string, tokens: readonly string[]): void {
  assert.ok(!output.includes(clientSecret), 'the client secret is not printed');
  for (const token of tokens) assert.ok(!output.includes(token), 'no token is printed');
  assert.doesNotMatch(output, /eyJ[\w-]+\.eyJ/, 'no JWT at all');
}

test('client credentials from the real authorization server, by HTTP Basic and in the body; one token per configuration in a run', { timeout: 120_000 }, async () => {
  apiSaw.length = 0;
  const { code, output } = await run('run.http', '--json');
  assert.equal(code, 0, output);
  const statuses = (JSON.parse(output) as { results: { status: number }[] }).results.map((result) => result.status);
  assert.deepEqual(statuses, [200, 200, 200]);
  assert.equal(apiSaw[0], apiSaw[1], 'the second request reuses the token');
  assert.notEqual(apiSaw[1], apiSaw[2], 'the other configuration has its own token');
  const claims = JSON.parse(Buffer.from(apiSaw[0]!.split('.')[1]!, 'base64url').toString('utf8')) as { iss: string; sub: string; scope: string[] };
  assert.deepEqual([claims.iss, claims.sub, claims.scope], [issuer, 'api-client', ['read']]);
  assertNoSecrets(output, apiSaw);
});

test('a token revoked at the server: the API\'s 401 invalid_token makes the CLI fetch a new one and send the request again', { timeout: 120_000 }, async () => {
  apiSaw.length = 0;
  const { code, output } = await run('revoke.http', '--json');
  assert.equal(code, 0, output);
  const statuses = (JSON.parse(output) as { results: { status: number }[] }).results.map((result) => result.status);
  assert.deepEqual(statuses, [200, 200, 200], 'the revocation answered 200, the request after it 200 with a new token');
  assert.equal(apiSaw.length, 3, 'first request, the revoked token, the retry');
  assert.equal(apiSaw[0], apiSaw[1]);
  assert.notEqual(apiSaw[1], apiSaw[2]);
  assertNoSecrets(output, apiSaw);
});

test('the Spring resource server accepts the authorization server\'s token, and refuses the scope it does not grant: the doctor cites the token\'s own lifetime', { timeout: 120_000 }, async () => {
  const { code, output } = await run('spring.http', '--json');
  assert.equal(code, 0, output);
  const results = (JSON.parse(output) as { results: { url: string; status: number; findings: { id: string; evidence: string[]; fix?: { title: string } }[] }[] }).results;
  assert.deepEqual(results.map((result) => [new URL(result.url).pathname, result.status]), [['/api/me', 200], ['/api/admin', 403]]);
  assert.deepEqual(results[0]!.findings, []);
  const [denied] = results[1]!.findings;
  assert.equal(denied?.id, 'access-denied');
  assert.ok(
    denied.evidence.some((line) => /^The token of auth configuration 'basic' was issued \S+ by client credentials with scope read; the API needs a scope it did not grant$/.test(line)),
    denied.evidence.join('\n'),
  );
  assert.match(denied.fix?.title ?? '', /in 'Scope' of auth configuration 'basic'/);
  assertNoSecrets(output, []);
});

test('a token the API cannot take (SAS issues svc-client opaque tokens; the API wants JWTs): sent again once with a new one, then bearer-token-invalid citing the token\'s lifetime', { timeout: 120_000 }, async () => {
  const { code, output } = await run('opaque.http', '--json');
  assert.equal(code, 0, output);
  const [result] = (JSON.parse(output) as { results: { status: number; findings: { id: string; evidence: string[]; fix?: { title: string } }[] }[] }).results;
  assert.equal(result!.status, 401);
  const [invalid] = result!.findings;
  assert.equal(invalid?.id, 'bearer-token-invalid');
  assert.ok(invalid.evidence.some((line) => /^The token of auth configuration 'opaque' was issued \S+ by client credentials with scope read$/.test(line)), invalid.evidence.join('\n'));
  assert.match(invalid.fix?.title ?? '', /does not take the tokens of auth configuration 'opaque'/);
  const events = (JSON.parse(output) as { tokenEvents: { kind: string; config: string }[] }).tokenEvents.filter((event) => event.config === 'opaque' && event.kind === 'issued');
  assert.equal(events.length, 2, 'the 401 invalid_token dropped the first token and the request went again with a second');
  assertNoSecrets(output, []);
});
