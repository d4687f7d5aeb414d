import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Clock } from '../../../src/core/ports';
import { Session } from '../../../src/core/session';
import { get, type LoopbackServer, startServer } from './loopback';

// Mimics Tomcat + Spring Security on the wire: an unauthenticated request creates a session (401 + new
// JSESSIONID), login rotates the id (changeSessionId) and redirects, logout deletes the cookie, and an
// expired session is simply unknown on the next request.
const sessions = new Map<string, { user?: string }>();
const newId = () => randomBytes(8).toString('hex').toUpperCase();
const cookieOf = (header: string | undefined) => /JSESSIONID=([^;]+)/.exec(header ?? '')?.[1];
let server: LoopbackServer;
before(async () => {
  server = await startServer((request, response) => {
    const id = cookieOf(request.headers.cookie);
    const known = id ? sessions.get(id) : undefined;
    const issue = (state: { user?: string }) => {
      const fresh = newId();
      sessions.set(fresh, state);
      response.setHeader('set-cookie', `JSESSIONID=${fresh}; Path=/; HttpOnly`);
    };
    switch (request.url) {
      case '/login':
        if (id) sessions.delete(id);
        issue({ user: 'alice' });
        response.writeHead(302, { location: '/' });
        return response.end();
      case '/logout':
        if (id) sessions.delete(id);
        response.writeHead(204, { 'set-cookie': 'JSESSIONID=; Max-Age=0; Path=/' });
        return response.end();
      default:
        if (known?.user) return response.end(`hello ${known.user}`);
        if (!known) issue({});
        response.writeHead(401, { 'www-authenticate': 'Basic realm="Realm"' });
        return response.end();
    }
  });
});
after(() => server.close());

test('JSESSIONID: issued, rotated at login, idle gaps bracketed, rejected by the server, cleared at logout', async () => {
  let now = Date.UTC(2024, 0, 1, 9);
  const clock: Clock = { now: () => now };
  const session = new Session({ name: 'default', clock });
  try {
    const anonymous = await session.send(get(`${server.url}/api/me`, { name: 'me' }));
    assert.equal(anonymous.response?.status, 401);
    assert.deepEqual(anonymous.sessionEvents.map((event) => event.kind), ['issued'], 'not rejected: no cookie was sent');

    now += 1000;
    const login = await session.send({ method: 'POST', url: `${server.url}/login`, headers: [], body: 'u=alice', name: 'login' });
    assert.equal(login.response?.status, 200);
    assert.deepEqual(login.sessionEvents.map((event) => [event.kind, event.requestName]), [['rotated', 'login']]);
    assert.equal(login.redirects[0].cookies.stored[0].name, 'JSESSIONID');

    now += 60_000;
    assert.equal((await session.send(get(`${server.url}/api/me`))).response?.status, 200);
    now += 120_000;
    assert.equal((await session.send(get(`${server.url}/api/me`))).response?.status, 200);

    // The server forgets the session (idle timeout) while we wait 30 minutes.
    now += 30 * 60_000;
    sessions.clear();
    const expired = await session.send(get(`${server.url}/api/me`, { name: 'me' }));
    assert.equal(expired.response?.status, 401);
    assert.deepEqual(expired.sessionEvents.map((event) => event.kind), ['rejected-by-server', 'issued']);
    assert.equal(expired.sessionEvents[0].idleGapMs, 30 * 60_000);

    const [lifecycle] = session.lifecycles();
    assert.equal(lifecycle.cookieName, 'JSESSIONID');
    assert.equal(lifecycle.domain, '127.0.0.1');
    assert.equal(lifecycle.path, '/');
    assert.equal(lifecycle.longestWorkingIdleMs, 120_000);
    assert.equal(lifecycle.shortestFailedIdleMs, 30 * 60_000);
    assert.equal(lifecycle.issuedAt, now);

    now += 1000;
    await session.send({ method: 'POST', url: `${server.url}/login`, headers: [], name: 'login' });
    now += 1000;
    const logout = await session.send({ method: 'POST', url: `${server.url}/logout`, headers: [] });
    assert.deepEqual(logout.sessionEvents.map((event) => event.kind), ['cleared']);
    assert.equal(session.cookieValue('JSESSIONID', `${server.url}/`), undefined);
    assert.deepEqual(
      session.lifecycles()[0].events.map((event) => event.kind),
      ['issued', 'rotated', 'rejected-by-server', 'issued', 'rotated', 'cleared'],
    );
  } finally {
    session.dispose();
  }
});
