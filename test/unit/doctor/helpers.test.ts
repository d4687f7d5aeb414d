import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { challengeOf, jwtExpiry } from '../../../src/core/doctor/authHeaders';
import { domainMatches, pathMatches } from '../../../src/core/doctor/cookieScope';
import { formatDuration, springErrorEvidence } from '../../../src/core/doctor/evidence';
import { isLoginPage } from '../../../src/core/doctor/facts';
import { formField } from '../../../src/core/send/csrf';
import { bootError, context, exchange, jwt, t0 } from './fixtures';

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [0, '0 s'],
    [45_000, '45 s'],
    [90_000, '2 min'],
    [31 * 60_000, '31 min'],
    [60 * 60_000, '1 h'],
    [125 * 60_000, '2 h 5 min'],
  ];
  for (const [ms, text] of cases) test(`${ms} ms → ${text}`, () => assert.equal(formatDuration(ms), text));
});

describe('jwtExpiry', () => {
  const cases: [string, string, ReturnType<typeof jwtExpiry>][] = [
    ['a JWT with exp', jwt({ exp: 1714557600 }), { isJwt: true, expiresAt: 1714557600_000 }],
    ['a JWT without exp', jwt({ sub: 'alice' }), { isJwt: true }],
    ['an opaque token', 'opaque-token', { isJwt: false }],
    ['three parts that are not base64 JSON', 'a.b.c', { isJwt: false }],
  ];
  for (const [name, token, expected] of cases) test(name, () => assert.deepEqual(jwtExpiry(token), expected));
});

describe('challengeOf', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['Basic realm="Realm"', 'basic', { realm: 'Realm' }],
    ['Bearer error="invalid_token", error_description="Jwt expired", scope=read', 'bearer', { error: 'invalid_token', error_description: 'Jwt expired', scope: 'read' }],
    ['Bearer', 'bearer', {}],
  ];
  for (const [header, scheme, params] of cases) {
    test(header, () => {
      const challenge = challengeOf([['WWW-Authenticate', header]]);
      assert.equal(challenge?.scheme, scheme);
      assert.deepEqual(Object.fromEntries(challenge?.params ?? []), params);
    });
  }
});

describe('cookie scope', () => {
  const domains: [string, boolean, string, boolean][] = [
    ['localhost', true, 'localhost', true],
    ['localhost', true, '127.0.0.1', false],
    ['example.com', false, 'api.example.com', true],
    ['example.com', true, 'api.example.com', false],
    ['::1', true, '::1', true],
    ['[::1]', true, '::1', true],
  ];
  for (const [domain, hostOnly, host, matches] of domains) {
    test(`domain ${domain}${hostOnly ? ' (host-only)' : ''} vs ${host}`, () => assert.equal(domainMatches({ domain, hostOnly }, host), matches));
  }
  const paths: [string, string, boolean][] = [
    ['/', '/api/me', true],
    ['/app', '/app', true],
    ['/app', '/app/x', true],
    ['/app/', '/app/x', true],
    ['/app', '/application', false],
    ['/app', '/api', false],
  ];
  for (const [cookiePath, path, matches] of paths) test(`path ${cookiePath} vs ${path}`, () => assert.equal(pathMatches(cookiePath, path), matches));
});

describe('isLoginPage', () => {
  const cases: [string, boolean][] = [
    ['http://h/login', true],
    ['http://h/login?error', true],
    ['http://h/app/login/', true],
    ['http://h/signin', true],
    ['http://h/login.html', true],
    ['http://h/auth', true],
    ['http://h/blogin', false],
    ['http://h/api/me', false],
    ['http://h/', false],
  ];
  for (const [url, expected] of cases) test(url, () => assert.equal(isLoginPage(new URL(url), context()), expected));
});

describe('formField', () => {
  const multipart = '--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\ntok-123\r\n--b--\r\n';
  const cases: [string, string, string, string | undefined][] = [
    ['url-encoded', 'a=1&_csrf=tok%2B1', 'application/x-www-form-urlencoded', 'tok+1'],
    ['url-encoded without it', 'a=1', 'application/x-www-form-urlencoded; charset=UTF-8', undefined],
    ['multipart', multipart, 'multipart/form-data; boundary=b', 'tok-123'],
    ['JSON is not a form', '{"_csrf":"x"}', 'application/json', undefined],
  ];
  for (const [name, body, type, expected] of cases) test(name, () => assert.equal(formField(body, type, '_csrf'), expected));
});

test("springErrorEvidence quotes Boot's error body and ignores other JSON", () => {
  const boot = exchange({ url: '/x', at: t0, status: 401, body: bootError(401, 'Unauthorized', 'Full authentication is required', '/x') });
  assert.equal(
    springErrorEvidence(boot.response!),
    'The server\'s error body says: status 401, error "Unauthorized", message "Full authentication is required", path /x',
  );
  const other = exchange({ url: '/x', at: t0, status: 401, body: '{"detail":"nope"}' });
  assert.equal(springErrorEvidence(other.response!), undefined);
});
