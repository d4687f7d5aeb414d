import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OAuth2TokenStore, parseOAuth2Config, refreshMarginMs, type OAuth2Config, type PostForm } from '../../../src/core/auth/oauth2';
import { parseDynamicExpression } from '../../../src/core/vars/dynamicVariables';

const base = { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': 'https://as/token', 'Client ID': 'c' };

const code = { ...base, 'Grant Type': 'Authorization Code', 'Auth URL': 'https://as/authorize', 'Redirect URL': 'http://127.0.0.1:0/cb' };

const configs: readonly (readonly [fields: Record<string, string>, expected: Partial<OAuth2Config> | RegExp])[] = [
  [base, { grant: 'client_credentials', clientAuth: 'basic', tokenUrl: 'https://as/token', clientId: 'c' }],
  [{ ...base, 'Client Credentials': 'in body', 'Client Secret': 's', Scope: 'read' }, { clientAuth: 'in body', clientSecret: 's', scope: 'read' }],
  [{ ...base, 'Client Credentials': 'None' }, { clientAuth: 'none' }],
  [{ ...base, 'Grant Type': 'Password', Username: 'u', Password: 'p' }, { grant: 'password', username: 'u', password: 'p' }],
  [{ ...base, 'Grant Type': 'Password', Username: 'u' }, /'a': the Password grant needs 'Username' and 'Password'/],
  [{ ...base, 'Grant Type': 'Implicit' }, /Grant Type 'Implicit' is not supported yet/],
  [{ ...base, Type: 'Basic' }, /Type 'Basic' is not supported/],
  [{ ...base, 'Token URL': '' }, /'Token URL' is missing/],
  [{ Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': 'https://as/token' }, /'Client ID' is missing/],
  [{ ...base, 'Client Credentials': 'header' }, /"basic", "in body" or "none", not 'header'/],
  [{}, /No auth configuration 'a'/],
  // `"PKCE": true` or `{"Code Challenge Method": …}`: the env loader flattens the object to dotted keys.
  [{ ...code, PKCE: 'true' }, { grant: 'authorization_code', authUrl: 'https://as/authorize', redirectUrl: 'http://127.0.0.1:0/cb', pkce: { method: 'S256' } }],
  [{ ...code, PKCE: '{}', 'PKCE.Code Challenge Method': 'SHA-256', 'PKCE.Code Verifier': 'v' }, { pkce: { method: 'S256', verifier: 'v' } }],
  [{ ...code, PKCE: '{}', 'PKCE.Code Challenge Method': 'Plain' }, { pkce: { method: 'plain' } }],
  [{ ...code, PKCE: 'false' }, { pkce: undefined }],
  [code, { pkce: undefined }],
  [{ ...code, PKCE: '{}', 'PKCE.Code Challenge Method': 'MD5' }, /'Code Challenge Method' must be "SHA-256" \(S256\) or "Plain", not 'MD5'/],
  [{ ...code, PKCE: 'yes' }, /'PKCE' must be true, false or/],
  [{ ...code, 'Redirect URL': '' }, /the Authorization Code grant needs 'Auth URL' and 'Redirect URL'/],
  [{ ...base, 'Grant Type': 'Device Authorization', 'Device Auth URL': 'https://as/device' }, { grant: 'device_code', deviceAuthUrl: 'https://as/device' }],
  [{ ...base, 'Grant Type': 'Device Authorization' }, /the Device Authorization grant needs 'Device Auth URL'/],
];

test('auth configurations in the JetBrains format, and what is wrong with broken ones', () => {
  for (const [fields, expected] of configs) {
    const parsed = parseOAuth2Config('a', new Map(Object.entries(fields)));
    if (expected instanceof RegExp) assert.match('error' in parsed ? parsed.error : 'parsed', expected, JSON.stringify(fields));
    else assert.deepEqual(Object.fromEntries(Object.keys(expected).map((key) => [key, (parsed as Record<string, unknown>)[key]])), expected, JSON.stringify(fields));
  }
});

test('$auth.token("name") and $auth.idToken(\'name\') parse; a missing or unquoted name does not', () => {
  assert.deepEqual(parseDynamicExpression('$auth.token("my api")'), { call: { fn: 'authToken', name: 'my api' } });
  assert.deepEqual(parseDynamicExpression("$auth.idToken( 'a' )"), { call: { fn: 'authIdToken', name: 'a' } });
  for (const bad of ['$auth.token()', '$auth.token(a)', '$auth.token']) {
    const parsed = parseDynamicExpression(bad);
    assert.ok('error' in parsed && !parsed.unknownFunction && /needs one quoted name/.test(parsed.error), bad);
  }
});

/** A token endpoint that answers from a script of responses and records each form it got. */
function endpoint(answers: { status: number; body: object }[]): { post: PostForm; forms: URLSearchParams[] } {
  const forms: URLSearchParams[] = [];
  const post: PostForm = async (_url, _headers, body) => {
    forms.push(new URLSearchParams(body));
    const answer = answers.shift()!;
    return { status: answer.status, body: JSON.stringify(answer.body) };
  };
  return { post, forms };
}

const config: OAuth2Config = { grant: 'client_credentials', tokenUrl: 'https://as/token', clientId: 'c', clientSecret: 's', clientAuth: 'basic', scope: 'read' };

test('a token is reused until it is about to expire, then refreshed; a refused refresh acquires a new one', async () => {
  let now = 1_000_000;
  const { post, forms } = endpoint([
    { status: 200, body: { access_token: 'A', expires_in: 60, refresh_token: 'R1', scope: 'read' } },
    { status: 200, body: { access_token: 'B', expires_in: 60 } },
    { status: 400, body: { error: 'invalid_grant' } },
    { status: 200, body: { access_token: 'C', expires_in: 60 } },
  ]);
  const store = new OAuth2TokenStore(post, () => now);
  assert.equal((await store.token('a', config)).accessToken, 'A');
  now += 60_000 - refreshMarginMs - 1;
  assert.equal((await store.token('a', config)).accessToken, 'A', 'still valid past the margin');
  now += 1;
  const refreshed = await store.token('a', config);
  assert.deepEqual([refreshed.accessToken, refreshed.refreshToken], ['B', 'R1'], 'the refresh token is kept when the server sends none');
  now += 60_000;
  assert.equal((await store.token('a', config)).accessToken, 'C');
  assert.deepEqual(
    forms.map((form) => form.get('grant_type')),
    ['client_credentials', 'refresh_token', 'refresh_token', 'client_credentials'],
  );
  assert.deepEqual(
    store.timeline.map((event) => [event.kind, event.grant ?? '']),
    [['issued', 'client_credentials'], ['used', ''], ['expired', ''], ['refreshed', 'refresh_token'], ['expired', ''], ['issued', 'client_credentials']],
  );
});

test('requests that need the token together wait for one acquisition; a forgotten token is acquired again', async () => {
  const { post, forms } = endpoint([
    { status: 200, body: { access_token: 'A', expires_in: 3600 } },
    { status: 200, body: { access_token: 'B', expires_in: 3600 } },
  ]);
  const store = new OAuth2TokenStore(post, () => 0);
  const tokens = await Promise.all([store.token('a', config), store.token('a', config)]);
  assert.deepEqual(tokens.map((token) => token.accessToken), ['A', 'A']);
  store.forget('a');
  assert.equal((await store.token('a', config)).accessToken, 'B');
  assert.equal(forms.length, 2);
});

test('a token the server rejected is renewed with its refresh token, not by its grant; one without a refresh token is acquired again', async () => {
  const { post, forms } = endpoint([
    { status: 200, body: { access_token: 'B', expires_in: 3600 } },
    { status: 200, body: { access_token: 'C', expires_in: 3600 } },
    { status: 200, body: { access_token: 'D', expires_in: 3600 } },
  ]);
  // A sign-in grant with no way to show the page: renewing it by the grant itself would fail.
  const signIn: OAuth2Config = { ...config, grant: 'authorization_code', authUrl: 'https://as/authorize', redirectUrl: 'http://127.0.0.1:0/cb' };
  const store = new OAuth2TokenStore(post, () => 0, { web: { accessToken: 'A', refreshToken: 'R1', issuedAt: 0, expiresAt: 3_600_000 } });
  store.reject('web');
  const renewed = await store.token('web', signIn);
  assert.deepEqual([renewed.accessToken, renewed.refreshToken], ['B', 'R1']);
  assert.equal(forms[0]!.get('grant_type'), 'refresh_token');
  assert.equal(forms[0]!.get('refresh_token'), 'R1');
  assert.equal(store.serialize().web!.accessToken, 'B', 'kept as the token now');
  // Client credentials without a refresh token: the grant again.
  assert.equal((await store.token('api', config)).accessToken, 'C');
  store.reject('api');
  assert.equal((await store.token('api', config)).accessToken, 'D');
  assert.deepEqual(forms.map((form) => form.get('grant_type')), ['refresh_token', 'client_credentials', 'client_credentials']);
  assert.deepEqual(
    store.timeline.map((event) => [event.configName, event.kind]),
    [['web', 'revoked'], ['web', 'refreshed'], ['api', 'issued'], ['api', 'revoked'], ['api', 'issued']],
    'a rejected token is not reported as expired as well',
  );
});

test('an answer without access_token names the endpoint and the error, not the body', async () => {
  const { post } = endpoint([{ status: 400, body: { error: 'invalid_scope', error_description: 'write is not allowed', echo: 's3cr3t' } }]);
  await assert.rejects(new OAuth2TokenStore(post, () => 0).token('a', config), (error: Error) => {
    assert.equal(error.message, "auth configuration 'a': the token endpoint https://as/token answered 400 (invalid_scope: write is not allowed)");
    return true;
  });
});
