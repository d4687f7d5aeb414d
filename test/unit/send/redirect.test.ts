import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextHop } from '../../../src/core/send/redirect';

const post = {
  method: 'POST',
  url: 'http://a.test/form',
  headers: [['Content-Type', 'text/plain'], ['Content-Length', '3'], ['Authorization', 'Basic x'], ['Cookie', 'w=1'], ['Accept', '*/*']] as const,
  body: 'abc',
};

test('nextHop follows the fetch spec for method, body and headers', () => {
  const table: [status: number, method: string, url: string, expected: { method: string; body?: string; headers: string[] }][] = [
    [303, 'POST', '/next', { method: 'GET', headers: ['Authorization', 'Cookie', 'Accept'] }],
    [302, 'POST', '/next', { method: 'GET', headers: ['Authorization', 'Cookie', 'Accept'] }],
    [301, 'PUT', '/next', { method: 'PUT', body: 'abc', headers: ['Content-Type', 'Content-Length', 'Authorization', 'Cookie', 'Accept'] }],
    [307, 'POST', '/next', { method: 'POST', body: 'abc', headers: ['Content-Type', 'Content-Length', 'Authorization', 'Cookie', 'Accept'] }],
    [308, 'POST', 'http://b.test/x', { method: 'POST', body: 'abc', headers: ['Content-Type', 'Content-Length', 'Accept'] }],
    [303, 'HEAD', '/next', { method: 'HEAD', body: 'abc', headers: ['Content-Type', 'Content-Length', 'Authorization', 'Cookie', 'Accept'] }],
  ];
  for (const [status, method, location, expected] of table) {
    const hop = nextHop({ ...post, method }, status, location);
    assert.equal(hop.method, expected.method, `${status} ${method}`);
    assert.equal(hop.body, expected.body, `${status} ${method} body`);
    assert.deepEqual(hop.headers.map(([name]) => name), expected.headers, `${status} ${method} headers`);
  }
  assert.equal(nextHop(post, 302, '../up?q=1').url, 'http://a.test/up?q=1');
  assert.throws(() => nextHop(post, 302, 'http://['), { code: 'HS_INVALID_URL' });
  assert.throws(() => nextHop(post, 302, 'javascript:alert(1)'), { code: 'HS_INVALID_URL' });
});
