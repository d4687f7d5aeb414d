// `http-session run` as a whole process with `{{$auth.token("name")}}`: auth configurations in the
// JetBrains format in the env files (client secret in the private one), a loopback token endpoint and a
// loopback API that accepts only the tokens it issued. The token is acquired once and reused within the
// run, refreshed with the refresh token when it is about to expire, and never printed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { buildExtension } from '../../support/build';
import { runCli } from '../../support/cli';

const clientSecret = 'cc-secret-7f3a9c2e51d04b8a';
const alicePassword = 'alice-pw-93be1d7c';
/** What the token endpoint received, one form per call, with the client's Basic credentials if any. */
let tokenCalls: { form: URLSearchParams; basic?: string }[] = [];
const issued = new Set<string>();
/** The refresh tokens the endpoint still honours. */
const refreshable = new Set<string>();
/** Every access and refresh token ever issued (a revocation empties `issued`): none may be printed. */
const everIssued = new Set<string>();
const apiSaw: string[] = [];
let server: Server;
let dir: string;

async function bodyOf(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

before(async () => {
  await buildExtension();
  server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://x');
      if (url.pathname === '/oauth2/token') {
        const form = new URLSearchParams(await bodyOf(request));
        const authorization = request.headers.authorization;
        const basic = authorization?.startsWith('Basic ') ? Buffer.from(authorization.slice(6), 'base64').toString('utf8') : undefined;
        tokenCalls.push({ form, ...(basic !== undefined && { basic }) });
        const secret = basic ? basic.split(':')[1] : form.get('client_secret');
        const badUser = form.get('grant_type') === 'password' && (form.get('username') !== 'alice' || form.get('password') !== alicePassword);
        if (secret !== clientSecret || badUser) {
          response.writeHead(401, { 'Content-Type': 'application/json' });
          return response.end(JSON.stringify({ error: 'invalid_client' }));
        }
        if (form.get('grant_type') === 'refresh_token' && !refreshable.has(form.get('refresh_token') ?? '')) {
          response.writeHead(400, { 'Content-Type': 'application/json' });
          return response.end(JSON.stringify({ error: 'invalid_grant' }));
        }
        const accessToken = randomBytes(24).toString('base64url');
        issued.add(accessToken);
        // `short` tokens live 5 s, inside the refresh margin: each use refreshes them.
        const expiresIn = url.searchParams.get('life') === 'short' ? 5 : 3600;
        response.writeHead(200, { 'Content-Type': 'application/json' });
        const refreshToken = randomBytes(24).toString('base64url');
        everIssued.add(accessToken).add(refreshToken);
        refreshable.add(refreshToken);
        return response.end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: form.get('scope') ?? 'read', refresh_token: refreshToken }));
      }
      // Revoked: the access and the refresh tokens. Expired early (a server that ends tokens before their
      // stated time, or a token of seconds behind a slow first request): the access tokens only.
      if (url.pathname === '/revoke-all' || url.pathname === '/expire-access') {
        issued.clear();
        if (url.pathname === '/revoke-all') refreshable.clear();
        return response.end();
      }
      const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
      apiSaw.push(token);
      response.writeHead(issued.has(token) ? 200 : 401, { 'Content-Type': 'text/plain', ...(!issued.has(token) && { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="revoked"' }) });
      response.end(issued.has(token) ? 'ok' : 'no');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'hs-oauth2-'));
  const auth = (tokenUrl: string, extra: object) => ({ Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': tokenUrl, 'Client ID': 'api-client', ...extra });
  await writeFile(
    join(dir, 'http-client.env.json'),
    JSON.stringify({
      dev: {
        base,
        Security: {
          Auth: {
            cc: auth('{{base}}/oauth2/token', { Scope: 'read write' }),
            short: auth('{{base}}/oauth2/token?life=short', { 'Client Credentials': 'in body' }),
            wrong: auth('{{base}}/oauth2/token', {}),
            pw: auth('{{base}}/oauth2/token', { 'Grant Type': 'Password', Username: 'alice', Password: '{{alicePassword}}' }),
          },
        },
      },
    }),
  );
  const secret = { 'Client Secret': '{{secret}}' };
  await writeFile(
    join(dir, 'http-client.private.env.json'),
    JSON.stringify({ dev: { secret: clientSecret, alicePassword, Security: { Auth: { cc: secret, short: secret, pw: secret, wrong: { 'Client Secret': 'not-the-secret' } } } } }),
  );
  const call = (config: string) => ['###', `GET {{base}}/api/${config}`, `Authorization: Bearer {{$auth.token("${config}")}}`, ''];
  await writeFile(join(dir, 'reuse.http'), [...call('cc'), ...call('cc')].join('\n'));
  await writeFile(join(dir, 'refresh.http'), [...call('short'), ...call('short')].join('\n'));
  await writeFile(join(dir, 'revoke.http'), [...call('cc'), '###', 'POST {{base}}/revoke-all', '', ...call('cc')].join('\n'));
  await writeFile(join(dir, 'expire.http'), [...call('cc'), '###', 'POST {{base}}/expire-access', '', ...call('cc')].join('\n'));
  await writeFile(join(dir, 'password.http'), call('pw').join('\n'));
  await writeFile(join(dir, 'wrong.http'), call('wrong').join('\n'));
  await writeFile(join(dir, 'missing.http'), call('nowhere').join('\n'));
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  tokenCalls = [];
  apiSaw.length = 0;
});

async function run(file: string, ...args: string[]): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await runCli(dir, 'run', file, '--env', 'dev', ...args);
  return { code, output: stdout + stderr };
}

function assertNoSecrets(output: string): void {
  assert.ok(!output.includes(clientSecret), 'the client secret is not printed');
  assert.ok(!output.includes(alicePassword), 'the user\'s password is not printed');
  for (const token of everIssued) assert.ok(!output.includes(token), 'no access or refresh token is printed');
}

test('client credentials with HTTP Basic: one token for both requests, accepted by the API; no secret in -v or --json', { timeout: 60_000 }, async () => {
  const verbose = await run('reuse.http', '-v');
  assert.equal(verbose.code, 0, verbose.output);
  assert.equal(tokenCalls.length, 1, 'acquired once, reused by the second request');
  assert.deepEqual(Object.fromEntries(tokenCalls[0]!.form), { grant_type: 'client_credentials', scope: 'read write' });
  assert.equal(tokenCalls[0]!.basic, `api-client:${clientSecret}`);
  assert.equal(apiSaw.length, 2);
  assert.equal(apiSaw[0], apiSaw[1]);
  assert.match(verbose.output, /200/);
  assertNoSecrets(verbose.output);
  const json = await run('reuse.http', '--json');
  assert.equal(json.code, 0, json.output);
  assertNoSecrets(json.output);
});

test('client credentials in the body; a token about to expire is refreshed with its refresh token', { timeout: 60_000 }, async () => {
  const { code, output } = await run('refresh.http');
  assert.equal(code, 0, output);
  assert.deepEqual(
    tokenCalls.map(({ form }) => [form.get('grant_type'), form.get('client_id'), form.has('client_secret')]),
    [
      ['client_credentials', 'api-client', true],
      ['refresh_token', 'api-client', true],
    ],
  );
  assert.ok(tokenCalls.every((call) => call.basic === undefined), 'no Basic header when the client authenticates in the body');
  assert.notEqual(apiSaw[0], apiSaw[1], 'the second request carries the refreshed token');
  assertNoSecrets(output);
});

test('--session FILE keeps the token across runs, in that file only (mode 0600), and never prints it', { timeout: 60_000 }, async () => {
  const first = await run('reuse.http', '--session', 'session.json');
  const second = await run('reuse.http', '--session', 'session.json', '-v');
  assert.equal(first.code, 0, first.output);
  assert.equal(second.code, 0, second.output);
  assert.equal(tokenCalls.length, 1, 'the second run reuses the first run\'s token');
  assert.equal(new Set(apiSaw).size, 1);
  const file = join(dir, 'session.json');
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const stored = await readFile(file, 'utf8');
  assert.ok(stored.includes(apiSaw[0]!), 'the token is in the session file');
  assert.ok(!stored.includes(clientSecret), 'the client secret is not');
  assertNoSecrets(first.output + second.output);
  const withoutSession = await run('reuse.http');
  assert.equal(withoutSession.code, 0, withoutSession.output);
  assert.equal(tokenCalls.length, 2, 'a run without --session acquires its own');
});

test('the Password grant sends the user\'s credentials from the private env file, and prints neither', { timeout: 60_000 }, async () => {
  const { code, output } = await run('password.http', '-v');
  assert.equal(code, 0, output);
  assert.deepEqual(Object.fromEntries(tokenCalls[0]!.form), { grant_type: 'password', username: 'alice', password: alicePassword });
  assert.equal(tokenCalls[0]!.basic, `api-client:${clientSecret}`);
  assertNoSecrets(output);
});

// A 401 with invalid_token: the token is renewed once and the request sent again. Revoked (the refresh token
// too): the refresh is refused and the grant runs again. Ended early (the access token only): refreshed.
for (const [file, what, grants] of [
  ['revoke.http', 'a revoked token: its refresh token is refused too, so the grant runs again', ['client_credentials', 'refresh_token', 'client_credentials']],
  ['expire.http', 'a token the server ended before its time: renewed with its refresh token', ['client_credentials', 'refresh_token']],
] as const) {
  test(`${what}; the request is sent again once, with the new token`, { timeout: 60_000 }, async () => {
    const { code, output } = await run(file, '--json');
    assert.equal(code, 0, output);
    const statuses = (JSON.parse(output) as { results: { status: number }[] }).results.map((result) => result.status);
    assert.deepEqual(statuses, [200, 200, 200]);
    assert.equal(apiSaw.length, 3, 'the API saw the first request, the rejected token, and the retry');
    assert.equal(apiSaw[0], apiSaw[1]);
    assert.notEqual(apiSaw[1], apiSaw[2]);
    assert.deepEqual(tokenCalls.map(({ form }) => form.get('grant_type')), grants);
    assertNoSecrets(output);
  });
}

test('a token endpoint that refuses the client, and a configuration that does not exist, refuse the request with the reason', { timeout: 60_000 }, async () => {
  const wrong = await run('wrong.http');
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.output, /auth configuration 'wrong': the token endpoint http:\/\/127\.0\.0\.1:\d+\/oauth2\/token answered 401 \(invalid_client\)/);
  assert.ok(!wrong.output.includes('not-the-secret'), 'the wrong secret is not printed either');
  assert.equal(apiSaw.length, 0, 'nothing is sent without a token');
  const missing = await run('missing.http');
  assert.notEqual(missing.code, 0);
  assert.match(missing.output, /missing\.http:3.*No auth configuration 'nowhere'/s);
});
