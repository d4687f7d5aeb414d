import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { reasonGroup, requestDifferences } from '../../../scripts/real-files/compare';
import { cookiesAskedFor, looksLikeLogin, pathsAskedFor, plausibleBody, startRecorder, type Recorder, type RecordedRequest } from '../../../scripts/real-files/recorder';

function at(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, part) => (node as Record<string | number, unknown> | undefined)?.[part], value);
}

describe('the recorder answers the paths a file asks for', () => {
  const cases: { file: string; path: (string | number)[]; expected: unknown }[] = [
    { file: '> {% client.global.set("t", response.body.auth.jwt) %}', path: ['auth', 'jwt'], expected: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyZWNvcmRlciJ9.c2lnbmF0dXJl' },
    { file: '@id = {{create.response.body.$.order.orderId}}', path: ['order', 'orderId'], expected: 1 },
    { file: '?? body $.items[2].name == x', path: ['items', 2, 'name'], expected: 'name-value' },
    { file: 'var x = jsonPath(response.body, "$.result.enabled")', path: ['result', 'enabled'], expected: true },
    { file: 'no chaining at all', path: ['access_token'], expected: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyZWNvcmRlciJ9.c2lnbmF0dXJl' },
    { file: 'no chaining at all', path: ['data', 'id'], expected: 1 },
    { file: `> {% client.global.set("e", response.body[0]['_id']) %}`, path: [0, '_id'], expected: 1 },
    { file: `> {% client.global.set("e", response.body["user-name"]) %}`, path: ['user-name'], expected: 'user-name-value' },
  ];
  for (const { file, path, expected } of cases) {
    test(`${file} → ${path.join('.')}`, () => assert.deepEqual(at(plausibleBody(pathsAskedFor(file)), path), expected));
  }

  test('the cookies a file reads from a response, without the session cookie every login gets anyway', () => {
    assert.deepEqual(cookiesAskedFor('Cookie: token={{login.response.cookies.token.value}}; r={{login.response.cookies.refresh_token}}\n{{a.response.cookies.JSESSIONID}}'), ['token', 'refresh_token']);
  });

  test('login-looking paths get a session cookie, others not', () => {
    assert.deepEqual(['/api/auth/login', '/signin', '/oauth2/token', '/books/1'].map(looksLikeLogin), [true, true, true, false]);
  });
});

describe('comparing two clients’ requests', () => {
  const base: RecordedRequest = { method: 'POST', host: 'h', path: '/a', headers: { 'content-type': 'application/json', 'user-agent': 'x' }, body: '{"a": 1}' };
  const cases: { name: string; theirs: Partial<RecordedRequest>; expected: string[] }[] = [
    { name: 'same JSON, other spacing and user agent', theirs: { body: '{"a":1}', headers: { 'content-type': 'application/json', 'user-agent': 'y' } }, expected: [] },
    { name: 'comment line sent in the body', theirs: { body: '# note\n{"a": 1}' }, expected: ['body differs'] },
    { name: 'other method and path', theirs: { method: 'PUT', path: '/b' }, expected: ['method POST vs PUT', 'path /a vs /b'] },
    { name: 'header missing, value not shown', theirs: { headers: { authorization: 'Basic secret', 'content-type': 'application/json' } }, expected: ['header authorization: absent vs differs'] },
  ];
  for (const { name, theirs, expected } of cases) {
    test(name, () => assert.deepEqual(requestDifferences(base, { ...base, ...theirs }), expected));
  }

  test('failure reasons group without file names, numbers and detail', () => {
    assert.equal(reasonGroup("/c/a.http:9:32: not sent: Variable 'host' is not defined (no environment selected)"), "not sent: Variable '…' is not defined");
    assert.equal(reasonGroup("/c/b.http:2:5: not sent: Variable 'token' is not defined in environment 'dev'"), "not sent: Variable '…' is not defined in environment '…'");
    assert.equal(reasonGroup('/c/a.http:3:1: not sent: Cannot read included file /c/x/body.json: ENOENT'), 'not sent: Cannot read included file PATH');
  });
});

describe('the recorder as a proxy', () => {
  let recorder: Recorder;
  before(async () => {
    recorder = await startRecorder();
  });
  after(() => recorder.close());

  test('records an absolute-form request for any host and answers JSON, on a login with the session cookie and the cookies the file reads', async () => {
    const proxy = new URL(recorder.proxyUrl);
    recorder.answerWith(plausibleBody([]), cookiesAskedFor('Cookie: token={{login.response.cookies.token.value}}'));
    const answer = await new Promise<{ status?: number; cookie?: string[]; body: string }>((resolve, reject) => {
      const outgoing = request({ host: proxy.hostname, port: proxy.port, method: 'POST', path: 'http://api.example.com/login?x=1', headers: { host: 'api.example.com' } }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode, cookie: response.headers['set-cookie'], body }));
      });
      outgoing.on('error', reject);
      outgoing.end('user=a');
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.cookie?.map((cookie) => cookie.split('=')[0]), ['JSESSIONID', 'token'], 'the session cookie and the one the file reads');
    assert.equal(JSON.parse(answer.body).data.token.startsWith('eyJ'), true);
    assert.deepEqual(recorder.take().map(({ method, host, path, body }) => ({ method, host, path, body })), [{ method: 'POST', host: 'api.example.com', path: '/login?x=1', body: 'user=a' }]);
  });
});
