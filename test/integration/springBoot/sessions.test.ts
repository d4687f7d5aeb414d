// Sessions that end for Spring's own reasons, against the real Spring Boot app on Boot 3.5 and 4.0:
// Spring Session JDBC (`SESSION`, base64) with maximumSessions(1), and token-based remember-me.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { maskSecret } from '../../../src/core/secrets';
import { idleBracketText, sessionFacts, sessionTimeline } from '../../../src/shared/panel/session';
import { acceptJson, DriverPool, findingIds, hasLine, named, only, rerunLogin, SessionDriver, status } from '../support/sessionDriver';
import { bootVersions, startSpringBootApp, type SpringBootApp } from '../support/springBoot';

const sessionTimeoutSeconds = 2;
const pastTimeoutMs = sessionTimeoutSeconds * 1000 + 1200;

for (const boot of bootVersions) {
  describe(`spring-session and remember-me on Boot ${boot}`, () => {
    let springSession: SpringBootApp;
    let rememberMe: SpringBootApp;
    const pool = new DriverPool();
    const driver = (app: SpringBootApp): SessionDriver => pool.driver(app.baseUrl);

    before(async () => {
      [springSession, rememberMe] = await Promise.all([
        startSpringBootApp({ boot, profile: 'spring-session', sessionTimeoutSeconds }),
        startSpringBootApp({ boot, profile: 'remember-me', sessionTimeoutSeconds }),
      ]);
    });
    after(async () => {
      pool.dispose();
      await Promise.all([springSession?.stop(), rememberMe?.stop()]);
    });

    test('SESSION: base64 value, issued at login, used, expired after the idle timeout — the lifecycle says so', async () => {
      const session = driver(springSession);
      const { login } = await session.login();
      assert.equal(status(login), 200);
      const value = session.cookie('SESSION');
      assert.ok(value && /^[A-Za-z0-9+/=]+$/.test(value), 'Spring Session base64-encodes the id');
      assert.match(Buffer.from(value, 'base64').toString(), /^[0-9a-f-]{36}$/, 'of a UUID');
      assert.equal(session.cookie('JSESSIONID'), undefined, 'no JSESSIONID: Spring Session replaced the container session');
      assert.equal(status(await session.send('/api/me', { headers: acceptJson })), 200);

      await delay(pastTimeoutMs);
      const me = await session.send('/api/me', { name: 'me', headers: acceptJson });
      assert.equal(status(me), 401);
      const finding = only(me, 'session-expired');
      assert.match(finding.message, /^Session expired: SESSION was sent but the server answered 401/);
      hasLine(finding, `Sent SESSION=${maskSecret(value)} from the jar`);
      const lifecycle = session.session.lifecycles().find((candidate) => candidate.cookieName === 'SESSION')!;
      assert.ok(lifecycle.shortestFailedIdleMs! >= sessionTimeoutSeconds * 1000);
      assert.ok(lifecycle.longestWorkingIdleMs! < sessionTimeoutSeconds * 1000);
      assert.equal(lifecycle.endedAt, me.startedAt);
      // What the panel shows for it.
      // Spring Session also changes the id at login (the login page's session held the CSRF token).
      assert.deepEqual(sessionTimeline(lifecycle).map((entry) => entry.label), ['Issued', 'Rotated', 'Not recognised by the server']);
      assert.match(sessionTimeline(lifecycle)[2]!.detail, /^by me \(\/api\/me\) — after [\d.]+ s idle$/);
      assert.match(idleBracketText(lifecycle), /^Between [\d.]+ m?s and [\d.]+ s \(still worked after/);
      assert.deepEqual(sessionFacts(lifecycle, me.startedAt).map((fact) => fact.label), ['Issued', 'Rotated', 'Last sent', 'Last success', 'Ended by the server', 'Idle now', 'Server idle timeout']);
    });

    test('maximumSessions(1): a second login expires the first session; both answers are explained', async () => {
      const first = driver(springSession);
      await first.login();
      assert.equal(status(await first.send('/api/me', { headers: acceptJson })), 200);
      const { login: newer } = await driver(springSession).login();
      assert.equal(status(newer), 200);

      const expired = await first.send('/api/me', { name: 'me', headers: acceptJson });
      assert.equal(status(expired), 200, "Spring's default expired-session answer is a 200 with a notice");
      assert.equal(first.cookie('SESSION'), undefined, 'and Spring Session deleted the cookie');
      const finding = only(expired, 'session-expired');
      assert.match(finding.message, /^Session expired by a newer login: the same user logged in again elsewhere/);
      hasLine(finding, 'The response says: "This session has been expired (possibly due to multiple concurrent logins being attempted as the same user)."');
      hasLine(finding, 'This response deleted SESSION (Set-Cookie with Max-Age=0)');
      const lifecycle = first.session.lifecycles().find((candidate) => candidate.cookieName === 'SESSION')!;
      const ended = lifecycle.events.at(-1)!;
      assert.deepEqual([ended.kind, ended.cause], ['cleared', 'concurrent-login']);
      assert.match(sessionTimeline(lifecycle).at(-1)!.detail, /— expired by a newer login of the same user$/);

      const after401 = await first.send('/api/me', { headers: acceptJson });
      assert.equal(status(after401), 401);
      const followUp = only(after401, 'session-expired');
      assert.match(followUp.message, new RegExp(`^Session expired by a newer login: ${named(expired, 'GET', `${springSession.baseUrl}/api/me`).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was told the session ended`));
      assert.deepEqual(followUp.fix, rerunLogin);
    });

    test('remember-me: after the session timed out the cookie logs in again — a new JSESSIONID, no finding, not session-expired', async () => {
      const session = driver(rememberMe);
      const { login } = await session.login({ extra: { 'remember-me': 'on' } });
      assert.equal(status(login), 200);
      assert.ok(session.cookie('remember-me'));
      const before = session.cookie('JSESSIONID')!;
      assert.equal(status(await session.send('/api/me', { headers: acceptJson })), 200);

      await delay(pastTimeoutMs);
      const me = await session.send('/api/me', { name: 'me', headers: acceptJson });
      assert.equal(status(me), 200);
      assert.deepEqual(me.findings, []);
      assert.notEqual(session.cookie('JSESSIONID'), before);
      assert.deepEqual(me.sessionEvents.map((event) => [event.kind, event.cause]), [['rejected-by-server', 'remember-me'], ['issued', 'remember-me']]);
      const lifecycle = session.session.lifecycles()[0]!;
      assert.deepEqual(sessionTimeline(lifecycle).map((entry) => entry.label), ['Issued', 'Rotated', 'Not recognised by the server', 'Issued']);
      assert.match(sessionTimeline(lifecycle)[2]!.detail, /— the session was gone; the remember-me cookie logged in again$/);
      assert.match(sessionTimeline(lifecycle)[3]!.detail, /— a new session from the remember-me cookie$/);
      assert.ok(lifecycle.longestWorkingIdleMs! < sessionTimeoutSeconds * 1000, 'the idle that ended the old session is not a working one');
      assert.ok(lifecycle.shortestFailedIdleMs! >= sessionTimeoutSeconds * 1000);
    });

    test('remember-me-rejected: a server with another key (as after a restart without rememberMe().key) deletes the cookie and answers 401', async () => {
      const session = driver(rememberMe);
      await session.login({ extra: { 'remember-me': 'on' } });
      const token = session.cookie('remember-me')!;
      // Same host, another port: cookies are not kept per port, so the jar sends both cookies there.
      const restarted = await startSpringBootApp({ boot, profile: 'remember-me', sessionTimeoutSeconds, extraProperties: { 'remember-me.key': 'a-key-after-restart' } });
      try {
        const me = await session.send(`${restarted.baseUrl}/api/me`, { name: 'me', headers: acceptJson });
        assert.equal(status(me), 401);
        assert.deepEqual(findingIds(me), ['remember-me-rejected']);
        const finding = me.findings[0]!;
        hasLine(finding, `Sent remember-me=${maskSecret(token)} from the jar`);
        hasLine(finding, 'This 401 response deleted remember-me (Set-Cookie with an empty value, expired)');
        assert.equal(session.session.cookieValue('remember-me', `${restarted.baseUrl}/`), undefined, 'the jar dropped it');
      } finally {
        await restarted.stop();
      }
    });
  });
}
