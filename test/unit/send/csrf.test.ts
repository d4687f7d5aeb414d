import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HeaderList } from '../../../src/core/model/exchange';
import { createHash, randomBytes } from 'node:crypto';
import { csrfHeaderFor, csrfTokenOf, isUnsafeMethod, unmaskCsrfToken, type CsrfSettings } from '../../../src/core/send/csrf';

const auto: CsrfSettings = { mode: 'auto', cookieName: 'XSRF-TOKEN', headerName: 'X-XSRF-TOKEN', fieldName: '_csrf' };
const jar: Record<string, string> = { 'XSRF-TOKEN@http://localhost:8080/api/orders': 'tok-1' };
const lookup = (name: string, url: string): string | undefined => jar[`${name}@${url}`];
const url = 'http://localhost:8080/api/orders';

const form: HeaderList = [['Content-Type', 'application/x-www-form-urlencoded']];

const cases: { name: string; method: string; headers?: HeaderList; body?: string; settings?: CsrfSettings; requestUrl?: string; expected: readonly [string, string] | undefined }[] = [
  { name: 'POST in auto mode gets the jar token', method: 'POST', expected: ['X-XSRF-TOKEN', 'tok-1'] },
  { name: 'lower-case method', method: 'delete', expected: ['X-XSRF-TOKEN', 'tok-1'] },
  { name: 'PUT', method: 'PUT', expected: ['X-XSRF-TOKEN', 'tok-1'] },
  { name: 'PATCH', method: 'PATCH', expected: ['X-XSRF-TOKEN', 'tok-1'] },
  { name: 'GET is safe', method: 'GET', expected: undefined },
  { name: 'HEAD is safe', method: 'HEAD', expected: undefined },
  { name: 'OPTIONS is safe', method: 'OPTIONS', expected: undefined },
  { name: 'TRACE is safe', method: 'TRACE', expected: undefined },
  { name: 'off mode adds nothing', method: 'POST', settings: { ...auto, mode: 'off' }, expected: undefined },
  { name: 'a written header wins (any case)', method: 'POST', headers: [['x-xsrf-token', 'mine']], expected: undefined },
  { name: 'a form that carries its own _csrf field gets no header', method: 'POST', headers: form, body: 'username=u&_csrf=masked', expected: undefined },
  { name: 'a form without the field gets the header', method: 'POST', headers: form, body: 'username=u', expected: ['X-XSRF-TOKEN', 'tok-1'] },
  { name: '_csrf in a JSON body is not a form field', method: 'POST', headers: [['Content-Type', 'application/json']], body: '{"_csrf":"x"}', expected: ['X-XSRF-TOKEN', 'tok-1'] },
  { name: 'no token in the jar for this URL', method: 'POST', requestUrl: 'http://127.0.0.1:8080/api/orders', expected: undefined },
];

for (const scenario of cases) {
  test(scenario.name, () => {
    const request = { method: scenario.method, url: scenario.requestUrl ?? url, headers: scenario.headers ?? [], ...(scenario.body ? { body: scenario.body } : {}) };
    assert.deepEqual(csrfHeaderFor(request, scenario.settings ?? auto, lookup), scenario.expected);
  });
}

test('configured cookie and header names are used together', () => {
  const header = csrfHeaderFor({ method: 'POST', url, headers: [] }, { mode: 'auto', cookieName: 'CSRF', headerName: 'X-CSRF-TOKEN', fieldName: '_csrf' }, (name) =>
    name === 'CSRF' ? 'abc' : undefined,
  );
  assert.deepEqual(header, ['X-CSRF-TOKEN', 'abc']);
});

test('isUnsafeMethod', () => {
  assert.deepEqual(
    ['GET', 'HEAD', 'OPTIONS', 'TRACE', 'POST', 'PUT', 'PATCH', 'DELETE'].map(isUnsafeMethod),
    [false, false, false, false, true, true, true, true],
  );
});

/** What Spring Security 6's XorCsrfTokenRequestAttributeHandler renders for a token (createXoredCsrfToken). */
function springMask(token: string): string {
  const tokenBytes = Buffer.from(token, 'utf8');
  const random = randomBytes(tokenBytes.length);
  const xored = tokenBytes.map((byte, index) => byte ^ random[index]!);
  return Buffer.concat([random, xored]).toString('base64url');
}

test('a masked token unmasks to the raw token, whatever the random half', () => {
  const token = '5e1d1b39-4f0a-4b0f-9d55-0c5f6a1b2c3d';
  const [first, second] = [springMask(token), springMask(token)];
  assert.notEqual(first, second, 'every render differs');
  assert.equal(first.length, 96);
  assert.equal(unmaskCsrfToken(first), token);
  assert.equal(unmaskCsrfToken(second), token);
  assert.equal(csrfTokenOf(first), token);
});

test('raw tokens and other values are not taken for masked ones', () => {
  for (const raw of ['5e1d1b39-4f0a-4b0f-9d55-0c5f6a1b2c3d', 'tok-1', '', 'not base64!', createHash('sha256').update('x').digest('hex')]) {
    assert.equal(unmaskCsrfToken(raw), undefined, raw);
    assert.equal(csrfTokenOf(raw), raw);
  }
});
