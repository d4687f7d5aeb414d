import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskHeaderValue, maskSecret } from '../../../src/core/session/mask';

test('maskHeaderValue hides secrets and keeps what helps reading a trace', () => {
  const cases: [string, string, string][] = [
    ['Authorization', 'Bearer eyJhbGciOi.abc', 'Bearer ****'],
    ['authorization', 'Basic YWxpY2U6c2VjcmV0', 'Basic ****'],
    ['Proxy-Authorization', 'token', '****'],
    ['Cookie', 'JSESSIONID=ABC123; XSRF-TOKEN=t0k', 'JSESSIONID=****; XSRF-TOKEN=****'],
    ['Set-Cookie', 'JSESSIONID=ABC123; Path=/app; HttpOnly', 'JSESSIONID=****; Path=/app; HttpOnly'],
    ['set-cookie', 'flag', '****'],
    ['X-XSRF-TOKEN', '4f1c-token', '****'],
    ['Content-Type', 'application/json', 'application/json'],
  ];
  for (const [name, value, expected] of cases) assert.equal(maskHeaderValue(name, value), expected, `${name}: ${value}`);
  assert.equal(maskSecret(''), '');
  assert.equal(maskSecret('s3cret'), '****');
});
