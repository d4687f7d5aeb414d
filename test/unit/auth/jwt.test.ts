// decodeJwt: a JWS's header and claims, or why the token is not one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from '../../../src/core/auth/jwt';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = { alg: 'RS256', kid: 'k1' };
// "ü" and "?" make base64url differ from base64 ('-' and '_').
const claims = { sub: 'api-client', scope: ['read'], exp: 1767607800, name: 'Jürgen??>' };

const cases: readonly (readonly [what: string, token: string, expected: unknown])[] = [
  ['a signed JWT', `${part(header)}.${part(claims)}.c2lnbmF0dXJl`, { header, claims }],
  ['an unsigned JWT (alg none, empty signature)', `${part({ alg: 'none' })}.${part(claims)}.`, { header: { alg: 'none' }, claims }],
  ['an opaque token', 'dGhpcyBpcyBvcGFxdWU', { error: 'not a JWT: 1 dot-separated parts, a signed JWT has 3 (an opaque token cannot be decoded)' }],
  ['a JWE (five parts)', 'a.b.c.d.e', { error: 'not a JWT: 5 dot-separated parts, a signed JWT has 3 (an opaque token cannot be decoded)' }],
  ['a header in base64 with padding', `${Buffer.from('{"a":1}').toString('base64')}=.${part(claims)}.s`, { error: 'not a JWT: the header is not base64url' }],
  ['claims that are not JSON', `${part(header)}.${Buffer.from('not json').toString('base64url')}.s`, { error: 'not a JWT: the claims are not JSON' }],
];

test('decodeJwt per case', () => {
  for (const [what, token, expected] of cases) assert.deepEqual(decodeJwt(token), expected, what);
});
