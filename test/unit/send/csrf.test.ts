import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HeaderList } from '../../../src/core/model/exchange';
import { csrfHeaderFor, isUnsafeMethod, type CsrfSettings } from '../../../src/core/send/csrf';

const auto: CsrfSettings = { mode: 'auto', cookieName: 'XSRF-TOKEN', headerName: 'X-XSRF-TOKEN' };
const jar: Record<string, string> = { 'XSRF-TOKEN@http://localhost:8080/api/orders': 'tok-1' };
const lookup = (name: string, url: string): string | undefined => jar[`${name}@${url}`];
const url = 'http://localhost:8080/api/orders';

const cases: { name: string; method: string; headers?: HeaderList; settings?: CsrfSettings; requestUrl?: string; expected: readonly [string, string] | undefined }[] = [
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
  { name: 'no token in the jar for this URL', method: 'POST', requestUrl: 'http://127.0.0.1:8080/api/orders', expected: undefined },
];

for (const scenario of cases) {
  test(scenario.name, () => {
    const request = { method: scenario.method, url: scenario.requestUrl ?? url, headers: scenario.headers ?? [] };
    assert.deepEqual(csrfHeaderFor(request, scenario.settings ?? auto, lookup), scenario.expected);
  });
}

test('configured cookie and header names are used together', () => {
  const header = csrfHeaderFor({ method: 'POST', url, headers: [] }, { mode: 'auto', cookieName: 'CSRF', headerName: 'X-CSRF-TOKEN' }, (name) =>
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
