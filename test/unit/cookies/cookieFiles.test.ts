import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  detectCookieFileFormat,
  formatJetBrainsCookies,
  formatNetscapeCookies,
  parseCookieHeader,
  parseJetBrainsCookies,
  parseNetscapeCookies,
} from '../../../src/core/cookies/cookieFiles';
import type { CookieRecord } from '../../../src/core/model/exchange';

const now = Date.parse('2026-11-21T12:00:00Z');
const future = Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000);
const past = Math.floor(Date.parse('2020-01-01T00:00:00Z') / 1000);

describe('Netscape cookies.txt', () => {
  const cases: { title: string; line: string; expect: Partial<CookieRecord> | { error: RegExp } | { skipped: RegExp } }[] = [
    { title: 'host-only session cookie', line: `localhost\tFALSE\t/\tFALSE\t0\tJSESSIONID\tABC123`, expect: { name: 'JSESSIONID', value: 'ABC123', domain: 'localhost', hostOnly: true, expires: undefined, httpOnly: false } },
    { title: '#HttpOnly_ prefix is a flag, not a comment', line: `#HttpOnly_localhost\tFALSE\t/app\tTRUE\t${future}\tJSESSIONID\tX`, expect: { httpOnly: true, secure: true, path: '/app', expires: '2030-01-01T00:00:00.000Z' } },
    { title: 'leading-dot domain includes subdomains', line: `.example.com\tTRUE\t/\tFALSE\t0\tid\t1`, expect: { domain: 'example.com', hostOnly: false } },
    { title: 'IPv6 host in brackets', line: `[::1]\tFALSE\t/\tFALSE\t0\tid\t1`, expect: { domain: '::1', hostOnly: true } },
    { title: 'IPv6 host bare', line: `::1\tFALSE\t/\tFALSE\t0\tid\t1`, expect: { domain: '::1' } },
    { title: 'empty value with the trailing tab dropped', line: `localhost\tFALSE\t/\tFALSE\t0\tempty`, expect: { name: 'empty', value: '' } },
    { title: 'value with spaces and equals signs', line: `localhost\tFALSE\t/\tFALSE\t0\tt\ta=b c==`, expect: { value: 'a=b c==' } },
    { title: 'expired entry is skipped, not an error', line: `localhost\tFALSE\t/\tFALSE\t${past}\told\t1`, expect: { skipped: /'old' expired/ } },
    { title: 'spaces instead of tabs', line: `localhost FALSE / FALSE 0 a 1`, expect: { error: /expected 7 tab-separated fields/ } },
    { title: 'bad boolean', line: `localhost\tyes\t/\tFALSE\t0\ta\t1`, expect: { error: /subdomains field must be TRUE or FALSE/ } },
    { title: 'bad expiry', line: `localhost\tFALSE\t/\tFALSE\ttomorrow\ta\t1`, expect: { error: /expiry must be seconds/ } },
    { title: 'relative path', line: `localhost\tFALSE\tapp\tFALSE\t0\ta\t1`, expect: { error: /path must start with/ } },
  ];
  for (const c of cases) {
    it(c.title, () => {
      const parsed = parseNetscapeCookies(`# Netscape HTTP Cookie File\n\n${c.line}\n`, now);
      if ('error' in c.expect || 'skipped' in c.expect) {
        const [kind, pattern] = 'error' in c.expect ? (['error', c.expect.error] as const) : (['skipped', c.expect.skipped] as const);
        assert.equal(parsed.cookies.length, 0);
        assert.equal(parsed.problems.length, 1);
        assert.equal(parsed.problems[0].line, 3, 'the problem names the line');
        assert.equal(parsed.problems[0].kind, kind);
        assert.match(parsed.problems[0].message, pattern);
      } else {
        assert.deepEqual(parsed.problems, []);
        assert.equal(parsed.cookies.length, 1);
        for (const [key, value] of Object.entries(c.expect)) assert.equal(parsed.cookies[0][key as keyof CookieRecord], value, key);
      }
    });
  }

  it('a bad line does not lose the good ones around it', () => {
    const parsed = parseNetscapeCookies(`a\tFALSE\t/\tFALSE\t0\tx\t1\nbroken\nb\tFALSE\t/\tFALSE\t0\ty\t2\r\n`, now);
    assert.deepEqual(parsed.cookies.map((c) => c.name), ['x', 'y']);
    assert.deepEqual(parsed.problems.map((p) => p.line), [2]);
  });
});

describe('round trips', () => {
  const cookies: CookieRecord[] = [
    { name: 'JSESSIONID', value: 'A1B2', domain: 'localhost', path: '/', secure: false, httpOnly: true, hostOnly: true },
    { name: 'JSESSIONID', value: 'C3D4', domain: 'localhost', path: '/app', secure: false, httpOnly: true, hostOnly: true },
    { name: 'XSRF-TOKEN', value: 'tok=en', domain: 'example.com', path: '/', secure: true, httpOnly: false, hostOnly: false, expires: '2030-01-01T00:00:00.000Z' },
    { name: 'v6', value: '1', domain: '::1', path: '/', secure: false, httpOnly: false, hostOnly: true },
  ];

  it('Netscape export then import is lossless', () => {
    const text = formatNetscapeCookies(cookies);
    const back = parseNetscapeCookies(text, now);
    assert.deepEqual(back.problems, []);
    assert.deepEqual(back.cookies, cookies);
    assert.equal(detectCookieFileFormat(text), 'netscape');
  });

  it('JetBrains export then import keeps names, values, scope and expiry', () => {
    const text = formatJetBrainsCookies(cookies);
    assert.ok(text.startsWith('# domain\tpath\tname\tvalue\tdate\n'));
    const back = parseJetBrainsCookies(text, now);
    assert.deepEqual(back.problems, []);
    // The JetBrains format has no Secure/HttpOnly columns.
    assert.deepEqual(back.cookies, cookies.map((c) => ({ ...c, secure: false, httpOnly: false })));
    assert.equal(detectCookieFileFormat(text), 'jetbrains');
  });

  it('JetBrains file written by the IDE: -1 is a session cookie, a bad date names its line', () => {
    const parsed = parseJetBrainsCookies('# domain\tpath\tname\tvalue\tdate\nlocalhost\t/\ttoken\ttoken-value\t-1\nlocalhost\t/\tbad\tv\tsoon\n', now);
    assert.deepEqual(parsed.cookies.map((c) => [c.name, c.value, c.expires]), [['token', 'token-value', undefined]]);
    assert.deepEqual(parsed.problems.map((p) => [p.line, p.kind]), [[3, 'error']]);
  });
});

describe('raw Cookie header', () => {
  it('makes host-only cookies for the URL host', () => {
    const parsed = parseCookieHeader('Cookie: JSESSIONID=abc; XSRF-TOKEN=t=1', 'http://127.0.0.1:8080/api');
    assert.deepEqual(parsed.cookies.map((c) => [c.name, c.value, c.domain, c.path, c.hostOnly]), [
      ['JSESSIONID', 'abc', '127.0.0.1', '/', true],
      ['XSRF-TOKEN', 't=1', '127.0.0.1', '/', true],
    ]);
  });

  it('reports a pair without a name and a bad URL', () => {
    assert.match(parseCookieHeader('=x; a=1', 'http://h/').problems[0].message, /not name=value/);
    assert.match(parseCookieHeader('a=1', 'not a url').problems[0].message, /not a URL/);
  });
});
