// The grants where a person signs in: Authorization Code with PKCE (a real loopback listener receives
// the code; the prompt plays the browser) and Device Authorization (polling, with the clock moved by
// the injected wait). The token endpoint is a scripted PostForm.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { pkcePair } from '../../../src/core/auth/loopbackRedirect';
import { OAuth2TokenStore, type OAuth2Config, type PostForm } from '../../../src/core/auth/oauth2';
import type { AuthorizationPrompt } from '../../../src/core/ports';

/** A token endpoint answering from a script, recording the URL, form and Authorization header of each call. */
function endpoint(answers: { status: number; body: object }[]): { post: PostForm; calls: { url: string; form: URLSearchParams; authorization?: string }[] } {
  const calls: { url: string; form: URLSearchParams; authorization?: string }[] = [];
  const post: PostForm = async (url, headers, body) => {
    calls.push({ url, form: new URLSearchParams(body), ...(headers.Authorization !== undefined && { authorization: headers.Authorization }) });
    const answer = answers.shift()!;
    return { status: answer.status, body: JSON.stringify(answer.body) };
  };
  return { post, calls };
}

const codeConfig: OAuth2Config = {
  grant: 'authorization_code',
  tokenUrl: 'https://as/token',
  authUrl: 'https://as/authorize?prompt=login',
  redirectUrl: 'http://127.0.0.1:0/callback',
  clientId: 'web',
  clientSecret: 's',
  clientAuth: 'basic',
  scope: 'openid read',
  pkce: { method: 'S256' },
};

/** Plays the browser: follows the authorization server's redirect to the listener with what `answer` makes of the query. */
function browser(answer: (query: URLSearchParams) => string[]): AuthorizationPrompt & { opened: URL[]; pages: string[] } {
  const opened: URL[] = [];
  const pages: string[] = [];
  return {
    opened,
    pages,
    async openAuthorizationUrl(url) {
      const authorize = new URL(url);
      opened.push(authorize);
      for (const query of answer(authorize.searchParams)) {
        const response = await fetch(`${authorize.searchParams.get('redirect_uri')}?${query}`);
        pages.push(`${response.status} ${await response.text()}`);
      }
    },
  };
}

test('PKCE pairs: the RFC 7636 appendix B example, and plain', () => {
  assert.deepEqual(pkcePair('S256', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), { verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' });
  assert.deepEqual(pkcePair('plain', 'abc'), { verifier: 'abc', challenge: 'abc' });
  assert.match(pkcePair('S256').verifier, /^[\w-]{43}$/);
});

test('Authorization Code with PKCE: the authorize URL, the code back on a loopback port, then code + verifier at the token endpoint', async () => {
  const { post, calls } = endpoint([{ status: 200, body: { access_token: 'A', refresh_token: 'R', id_token: 'I', expires_in: 300 } }]);
  // A redirect with another state is refused and the listener keeps waiting for the real one.
  const prompt = browser((query) => [`code=forged&state=other`, `code=C1&state=${query.get('state')}`]);
  const store = new OAuth2TokenStore(post, () => 0, {}, { prompt });
  const token = await store.token('web', codeConfig);
  assert.deepEqual([token.accessToken, token.refreshToken, token.idToken], ['A', 'R', 'I']);
  const authorize = prompt.opened[0]!;
  assert.equal(`${authorize.origin}${authorize.pathname}`, 'https://as/authorize');
  assert.equal(authorize.searchParams.get('prompt'), 'login', 'the Auth URL\'s own query is kept');
  const query = Object.fromEntries(authorize.searchParams);
  assert.deepEqual([query.response_type, query.client_id, query.scope, query.code_challenge_method], ['code', 'web', 'openid read', 'S256']);
  assert.match(query.redirect_uri!, /^http:\/\/127\.0\.0\.1:[1-9]\d*\/callback$/, 'port 0 in the Redirect URL: a free port');
  assert.match(query.state!, /^[\w-]{22}$/);
  assert.deepEqual(prompt.pages.map((page) => page.split(' ')[0]), ['400', '200']);
  assert.match(prompt.pages[1]!, /Signed in\. You can close this tab\./);
  const form = calls[0]!.form;
  assert.deepEqual([form.get('grant_type'), form.get('code'), form.get('redirect_uri')], ['authorization_code', 'C1', query.redirect_uri]);
  assert.equal(createHash('sha256').update(form.get('code_verifier')!).digest('base64url'), query.code_challenge, 'the verifier matches the challenge');
  assert.equal(calls[0]!.authorization, `Basic ${Buffer.from('web:s').toString('base64')}`);
  assert.deepEqual(store.timeline.map((event) => [event.kind, event.grant]), [['issued', 'authorization_code']]);
  await assert.rejects(fetch(query.redirect_uri!), 'the listener is closed once the code is in');
});

test('without PKCE no challenge is sent; a public client sends its id in the body', async () => {
  const { post, calls } = endpoint([{ status: 200, body: { access_token: 'A' } }]);
  const prompt = browser((query) => [`code=C&state=${query.get('state')}`]);
  await new OAuth2TokenStore(post, () => 0, {}, { prompt }).token('web', { ...codeConfig, pkce: undefined, clientAuth: 'none' });
  assert.equal(prompt.opened[0]!.searchParams.has('code_challenge'), false);
  assert.deepEqual([calls[0]!.form.has('code_verifier'), calls[0]!.form.get('client_id'), calls[0]!.authorization], [false, 'web', undefined]);
});

const failures: readonly (readonly [what: string, config: Partial<OAuth2Config>, prompt: AuthorizationPrompt | undefined, message: RegExp])[] = [
  ['the user denies', {}, browser((query) => [`error=access_denied&error_description=no&state=${query.get('state')}`]), /^auth configuration 'web': the authorization server answered access_denied \(no\)$/],
  ['nobody signs in', {}, { openAuthorizationUrl() {} }, /^auth configuration 'web': no authorization code reached http:\/\/127\.0\.0\.1:\d+\/callback within 1 s \(was the sign-in finished in the browser\?\)$/],
  ['the prompt fails', {}, { openAuthorizationUrl: () => Promise.reject(new Error('no browser')) }, /^no browser$/],
  ['no prompt at all', {}, undefined, /^auth configuration 'web': this grant needs the user to sign in, and nothing here can show them the page$/],
  ['a redirect off this machine', { redirectUrl: 'https://app.example/callback' }, { openAuthorizationUrl() {} }, /'Redirect URL' must be http:\/\/ on 127\.0\.0\.1, \[::1\] or localhost/],
  ['an Auth URL that is not one', { authUrl: 'as/authorize' }, { openAuthorizationUrl() {} }, /'Auth URL' as\/authorize is not a URL/],
];

test('a sign-in that fails says why, naming the auth configuration; nothing is sent to the token endpoint', async () => {
  for (const [what, config, prompt, message] of failures) {
    const { post, calls } = endpoint([]);
    const store = new OAuth2TokenStore(post, () => 0, {}, { ...(prompt && { prompt }), signInTimeoutMs: 200 });
    await assert.rejects(store.token('web', { ...codeConfig, ...config }), (error: Error) => (assert.match(error.message, message, what), true));
    assert.equal(calls.length, 0, what);
  }
});

const deviceConfig: OAuth2Config = { grant: 'device_code', tokenUrl: 'https://as/token', deviceAuthUrl: 'https://as/device', clientId: 'tv', clientAuth: 'none', scope: 'read' };
const deviceAnswer = { status: 200, body: { device_code: 'D', user_code: 'WDJB-MJHT', verification_uri: 'https://as/activate', verification_uri_complete: 'https://as/activate?user_code=WDJB-MJHT', expires_in: 60, interval: 2 } };
const pending = { status: 400, body: { error: 'authorization_pending' } };

/** A device sign-in whose waits move the clock instead of taking time. */
function deviceStore(answers: { status: number; body: object }[]) {
  let now = 0;
  const waits: number[] = [];
  const shown: [string, string | undefined][] = [];
  const { post, calls } = endpoint(answers);
  const store = new OAuth2TokenStore(post, () => now, {}, {
    prompt: { openAuthorizationUrl: (url, { userCode }) => void shown.push([url, userCode]) },
    wait: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  });
  return { store, waits, shown, calls };
}

test('Device Authorization: shows the page and user code, polls at the interval, slows down when told, then has the token', async () => {
  const { store, waits, shown, calls } = deviceStore([deviceAnswer, pending, { status: 400, body: { error: 'slow_down' } }, pending, { status: 200, body: { access_token: 'A', expires_in: 300 } }]);
  assert.equal((await store.token('tv', deviceConfig)).accessToken, 'A');
  assert.deepEqual(shown, [['https://as/activate?user_code=WDJB-MJHT', 'WDJB-MJHT']]);
  assert.deepEqual(waits, [2000, 2000, 7000, 7000]);
  assert.deepEqual(calls.map(({ url, form }) => [url, Object.fromEntries(form)]), [
    ['https://as/device', { scope: 'read', client_id: 'tv' }],
    ...Array.from({ length: 4 }, () => ['https://as/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'D', client_id: 'tv' }]),
  ]);
  assert.deepEqual(store.timeline.map((event) => [event.kind, event.grant]), [['issued', 'device_code']]);
});

test('Device Authorization ends with the reason: the code expired, the user denied, the endpoint refused, nobody confirmed in time', async () => {
  const cases: readonly (readonly [answers: { status: number; body: object }[], message: RegExp])[] = [
    [[deviceAnswer, pending, { status: 400, body: { error: 'expired_token' } }], /the token endpoint https:\/\/as\/token answered 400 \(expired_token\)$/],
    [[deviceAnswer, { status: 400, body: { error: 'access_denied' } }], /answered 400 \(access_denied\)$/],
    [[{ status: 401, body: { error: 'invalid_client' } }], /^auth configuration 'tv': the device authorization endpoint https:\/\/as\/device answered 401 \(invalid_client\)$/],
    [[deviceAnswer, ...Array.from({ length: 30 }, () => pending)], /^auth configuration 'tv': the user code was not confirmed before it expired \(60 s\)$/],
  ];
  for (const [answers, message] of cases) {
    const { store } = deviceStore(answers);
    await assert.rejects(store.token('tv', deviceConfig), (error: Error) => (assert.match(error.message, message), true));
  }
});

test('a sign-in cancelled while it waits ends with "the sign-in was cancelled", naming the configuration, whatever was waiting', async () => {
  /** Waits until aborted, as Node's abortable timers and fetch do (their AbortError names nothing). */
  const untilAborted = (signal?: AbortSignal) =>
    new Promise<never>((_, reject) => {
      const abort = () => reject(new DOMException('This operation was aborted', 'AbortError'));
      if (signal?.aborted) abort();
      else signal?.addEventListener('abort', abort);
    });
  const cases: readonly (readonly [what: string, name: string, config: OAuth2Config, post: PostForm, wait?: (ms: number, signal?: AbortSignal) => Promise<unknown>])[] = [
    ['the browser sign-in', 'web', codeConfig, endpoint([]).post],
    ['the device poll\'s wait', 'tv', deviceConfig, endpoint([deviceAnswer]).post, (_ms, signal) => untilAborted(signal)],
    ['the token endpoint\'s answer', 'tv', deviceConfig, async (url, headers, body, signal) => (url.endsWith('/device') ? endpoint([deviceAnswer]).post(url, headers, body) : untilAborted(signal)), async () => undefined],
  ];
  for (const [what, name, config, post, wait] of cases) {
    const cancel = new AbortController();
    const store = new OAuth2TokenStore(post, () => 0, {}, { prompt: { openAuthorizationUrl: () => cancel.abort() }, ...(wait && { wait }) });
    await assert.rejects(store.token(name, config, cancel.signal), (error: Error) => (assert.equal(error.message, `auth configuration '${name}': the sign-in was cancelled`, what), true));
  }
});
