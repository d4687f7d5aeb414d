import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CookieRecord, Exchange, ExchangeCookies, RedirectHop } from '../../../src/core/model/exchange';
import { SessionCookieTracker } from '../../../src/core/session/lifecycle';

const url = 'http://shop.test/api';
const record = (name: string, value: string, expires?: string): CookieRecord => ({
  name, value, domain: 'shop.test', path: '/', secure: false, httpOnly: true, hostOnly: true, ...(expires ? { expires } : {}),
});
const cookies = (partial: Partial<ExchangeCookies>): ExchangeCookies => ({ sent: [], stored: [], rejected: [], ...partial });
let sequence = 0;
function exchange(at: number, status: number, cookieSet: Partial<ExchangeCookies>, extra: { location?: string; redirects?: RedirectHop[]; name?: string; url?: string } = {}) {
  return {
    id: `x${++sequence}`,
    startedAt: at,
    request: extra.name ? { name: extra.name } : {},
    redirects: extra.redirects ?? [],
    cookies: cookies(cookieSet),
    response: { status, statusText: '', httpVersion: '1.1', headers: extra.location ? [['Location', extra.location] as const] : [], body: new Uint8Array(), bodySize: 0, truncated: false, url: extra.url ?? url },
  } satisfies Pick<Exchange, 'id' | 'startedAt' | 'redirects' | 'response' | 'cookies'> & { request: { name?: string } };
}
const sent = (value: string, name = 'JSESSIONID') => [{ name, value, source: 'jar' as const }];

test('issued, rotated, cleared and rejected-by-jar, only for session cookie names', () => {
  const tracker = new SessionCookieTracker(['JSESSIONID', 'SID']);
  assert.deepEqual(tracker.observe(exchange(0, 200, { stored: [record('JSESSIONID', 'A'), record('theme', 'dark')] })).map((e) => e.kind), ['issued']);
  assert.deepEqual(tracker.observe(exchange(10, 200, { sent: sent('A'), stored: [record('JSESSIONID', 'A')] })).map((e) => e.kind), [], 'same value again is no event');
  assert.deepEqual(tracker.observe(exchange(20, 200, { sent: sent('A'), stored: [record('JSESSIONID', 'B')] }, { name: 'login' })).map((e) => [e.kind, e.requestName]), [['rotated', 'login']]);
  assert.deepEqual(tracker.observe(exchange(30, 200, { sent: sent('B'), stored: [record('JSESSIONID', '', new Date(0).toISOString())] })).map((e) => e.kind), ['cleared']);
  const rejected = tracker.observe(exchange(40, 200, { rejected: [{ setCookie: 'SID=1; Domain=other.test', url, reason: "Cookie not in this host's domain" }] }));
  assert.deepEqual(rejected.map((e) => [e.kind, e.cookieName]), [['rejected-by-jar', 'SID']]);
  assert.deepEqual(tracker.lifecycles().map((l) => l.cookieName), ['JSESSIONID', 'SID']);
});

test('rejected-by-server: 401, 403 with a fresh session cookie, redirect to a login page; idle gaps bracket the timeout', () => {
  const tracker = new SessionCookieTracker();
  tracker.observe(exchange(0, 200, { stored: [record('JSESSIONID', 'A')] }));
  assert.deepEqual(tracker.observe(exchange(5_000, 200, { sent: sent('A') })), []);
  assert.deepEqual(tracker.observe(exchange(65_000, 404, { sent: sent('A') })), [], 'a 404 is not a rejection (nor a success)');
  const forbidden = tracker.observe(exchange(70_000, 403, { sent: sent('A') }));
  assert.deepEqual(forbidden, [], 'a 403 without a fresh session cookie is about permissions or CSRF, not the session');
  const toLogin = tracker.observe(
    exchange(700_000, 200, { stored: [] }, {
      redirects: [{ method: 'GET', url, status: 302, location: '/login', cookies: cookies({ sent: sent('A'), stored: [record('JSESSIONID', 'B')] }) }],
    }),
  );
  assert.deepEqual(toLogin.map((e) => [e.kind, e.idleGapMs]), [['rejected-by-server', 695_000], ['issued', undefined]]);
  tracker.observe(exchange(701_000, 200, { sent: sent('B') }));
  const fresh403 = tracker.observe(exchange(1_000_000, 403, { sent: sent('B'), stored: [record('JSESSIONID', 'C')] }));
  assert.deepEqual(fresh403.map((e) => [e.kind, e.idleGapMs]), [['rejected-by-server', 299_000], ['issued', undefined]]);
  const [lifecycle] = tracker.lifecycles();
  assert.equal(lifecycle.longestWorkingIdleMs, 5_000);
  assert.equal(lifecycle.shortestFailedIdleMs, 299_000);
  assert.equal(lifecycle.issuedAt, 1_000_000);

  const restored = new SessionCookieTracker(undefined, JSON.parse(JSON.stringify(tracker.toJSON())));
  assert.deepEqual(restored.lifecycles(), tracker.lifecycles());
  assert.deepEqual(restored.observe(exchange(1_000_100, 401, { sent: sent('C') })).map((e) => e.kind), ['rejected-by-server'], 'the restored tracker knows the current value');
});

test("a logout's redirect to /login?logout ends the session without a rejection, and later 401s do not bound the timeout", () => {
  const tracker = new SessionCookieTracker();
  tracker.observe(exchange(0, 200, { stored: [record('JSESSIONID', 'A')] }));
  tracker.observe(exchange(1_000, 200, { sent: sent('A') }));
  const logout = tracker.observe(
    exchange(2_000, 200, { stored: [record('JSESSIONID', 'B')] }, {
      name: 'logout',
      redirects: [{ method: 'POST', url: 'http://shop.test/logout', status: 302, location: '/login?logout', cookies: cookies({ sent: sent('A') }) }],
    }),
  );
  assert.deepEqual(logout.map((e) => [e.kind, e.requestName]), [['issued', 'logout']], 'the login page after logout starts a new session; nothing was rejected');
  assert.equal(tracker.lifecycles()[0].shortestFailedIdleMs, undefined);

  // The anonymous session the login page started is refused: recorded, but it never worked, so it says nothing about the timeout.
  const anonymous = tracker.observe(exchange(2_500, 401, { sent: sent('B') }));
  assert.deepEqual(anonymous.map((e) => e.kind), ['rejected-by-server']);
  // Sending the logged-out value again is not a new rejection either.
  assert.deepEqual(tracker.observe(exchange(3_000, 401, { sent: sent('A') })), []);
  const [lifecycle] = tracker.lifecycles();
  assert.equal(lifecycle.shortestFailedIdleMs, undefined);
  assert.equal(lifecycle.longestWorkingIdleMs, 1_000);
});

test('a 200 from /logout without a redirect ends the session too', () => {
  const tracker = new SessionCookieTracker();
  tracker.observe(exchange(0, 200, { stored: [record('JSESSIONID', 'A')] }));
  const done = { ...exchange(1_000, 204, { sent: sent('A') }) };
  const logout = tracker.observe({ ...done, response: { ...done.response, url: 'http://shop.test/logout' } });
  assert.deepEqual(logout, []);
  assert.equal(tracker.lifecycles()[0].endedAt, 1_000);
  assert.deepEqual(tracker.observe(exchange(2_000, 401, { sent: sent('A') })), [], 'the ended session is not rejected again');
});

test('remember-me: an expired session replaced by a new one is an end and an issue, not a rotation, and bounds the timeout', () => {
  const tracker = new SessionCookieTracker();
  tracker.observe(exchange(0, 200, { stored: [record('JSESSIONID', 'A')] }));
  tracker.observe(exchange(1_000, 200, { sent: sent('A'), stored: [record('JSESSIONID', 'B'), record('remember-me', 'R')] }, { name: 'login' }));
  tracker.observe(exchange(2_000, 200, { sent: sent('B') }));
  const rememberMe = { name: 'remember-me', value: 'R', source: 'jar' as const };
  const renewed = tracker.observe(exchange(9_000, 200, { sent: [...sent('B'), rememberMe], stored: [record('JSESSIONID', 'C')] }));
  assert.deepEqual(renewed.map((e) => [e.kind, e.idleGapMs, e.cause]), [['rejected-by-server', 7_000, 'remember-me'], ['issued', undefined, 'remember-me']]);
  const [lifecycle] = tracker.lifecycles();
  assert.equal(lifecycle.longestWorkingIdleMs, 1_000, 'the idle that ended the old session is not a working idle');
  assert.equal(lifecycle.shortestFailedIdleMs, 7_000);
  // A login that sends the remember-me cookie along rotates as usual.
  const relogin = tracker.observe(exchange(10_000, 200, { sent: [...sent('C'), rememberMe], stored: [record('JSESSIONID', 'D')] }, { url: 'http://shop.test/login' }));
  assert.deepEqual(relogin.map((e) => e.kind), ['rotated']);
});

test("concurrent login: Spring's expiry answer (200) ends the session with its cause and bounds no timeout", () => {
  const expiry = new TextEncoder().encode('This session has been expired (possibly due to multiple concurrent logins being attempted as the same user).');
  const answer = (at: number, stored: CookieRecord[]) => ({ ...exchange(at, 200, { sent: sent('S1', 'SESSION'), stored }), response: { ...exchange(at, 200, {}).response, body: expiry, bodySize: expiry.length } });
  const cleared = new SessionCookieTracker();
  cleared.observe(exchange(0, 200, { stored: [record('SESSION', 'S1')] }));
  const events = cleared.observe(answer(50_000, [record('SESSION', '', new Date(0).toISOString())]));
  assert.deepEqual(events.map((e) => [e.kind, e.cause]), [['cleared', 'concurrent-login']]);
  assert.equal(cleared.lifecycles()[0]!.shortestFailedIdleMs, undefined);
  assert.equal(cleared.lifecycles()[0]!.lastSuccessAt, undefined, 'the 200 was no success of this session');

  const kept = new SessionCookieTracker();
  kept.observe(exchange(0, 200, { stored: [record('SESSION', 'S1')] }));
  assert.deepEqual(kept.observe(answer(50_000, [])).map((e) => [e.kind, e.cause, e.idleGapMs]), [['rejected-by-server', 'concurrent-login', undefined]]);
});
