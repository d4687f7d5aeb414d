import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeCookieHeader } from '../../../src/core/send/cookieHeader';

test('mergeCookieHeader: written cookies win, the jar fills in, one header in the first one\'s place', () => {
  const merged = mergeCookieHeader(
    [['Accept', '*/*'], ['cookie', 'a=written'], ['X', '1'], ['Cookie', 'b=2']],
    [{ name: 'a', value: 'jar' }, { name: 'c', value: '3' }],
  );
  assert.deepEqual(merged.headers, [['Accept', '*/*'], ['cookie', 'a=written; b=2; c=3'], ['X', '1']]);
  assert.deepEqual(merged.sent, [
    { name: 'a', value: 'written', source: 'header', overrodeJar: true },
    { name: 'b', value: '2', source: 'header' },
    { name: 'c', value: '3', source: 'jar' },
  ]);
});

test('mergeCookieHeader: jar only appends a Cookie header; nothing at all sends none', () => {
  assert.deepEqual(mergeCookieHeader([['Accept', '*/*']], [{ name: 'x', value: '1' }]).headers, [['Accept', '*/*'], ['Cookie', 'x=1']]);
  assert.deepEqual(mergeCookieHeader([['Accept', '*/*']], []), { headers: [['Accept', '*/*']], sent: [] });
});
