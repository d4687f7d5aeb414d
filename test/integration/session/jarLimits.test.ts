// One server set 12,000 cookies and every later request to it carried a 124 KB Cookie header. The jar keeps the
// limits browsers apply: 180 cookies per site, 3000 in all, 4096 bytes of name and value; evictions are reported.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Session } from '../../../src/core/session';
import { get, type LoopbackServer, startServer } from './loopback';

// undici refuses response headers over 16 KB, so the flood comes as 20 responses of 600 Set-Cookie headers.
const perResponse = 600;
const responses = 20;
const cookieHeaders = new Map<string, string | undefined>();
let flood: LoopbackServer;
// Another site: 127.0.0.2 is loopback too, and cookies of one IP address never go to another.
let unrelated: http.Server;
let unrelatedUrl: string;

before(async () => {
  flood = await startServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    cookieHeaders.set(`flood${url.pathname}`, request.headers.cookie);
    const batch = url.searchParams.get('flood');
    if (batch !== null) response.setHeader('set-cookie', Array.from({ length: perResponse }, (_, i) => `f${batch}_${i}=v`));
    if (url.pathname === '/big') response.setHeader('set-cookie', [`big=${'x'.repeat(5 * 1024)}; Path=/`, 'small=1; Path=/']);
    response.end();
  });
  unrelated = http.createServer((request, response) => {
    cookieHeaders.set('unrelated', request.headers.cookie);
    response.setHeader('set-cookie', 'keep=1; Path=/');
    response.end();
  });
  await new Promise<void>((resolve) => unrelated.listen(0, '127.0.0.2', resolve));
  unrelatedUrl = `http://127.0.0.2:${(unrelated.address() as AddressInfo).port}`;
});
after(async () => {
  await flood.close();
  unrelated.closeAllConnections();
  await new Promise((resolve) => unrelated.close(resolve));
});

const evictedFromFlood = /^evicted: more than 180 cookies for 127\.0\.0\.1$/;

test('12,000 cookies over 20 responses: the site keeps 180, the evictions are reported, the Cookie header stays small', async () => {
  const session = new Session({ name: 'default' });
  try {
    await session.send(get(`${unrelatedUrl}/`));
    for (let batch = 0; batch < responses; batch++) {
      const { cookies } = await session.send(get(`${flood.url}/?flood=${batch}`));
      assert.equal(cookies.stored.length, 180, `response ${batch} keeps its 180 newest cookies`);
      assert.equal(cookies.rejected.length, batch === 0 ? perResponse - 180 : perResponse, `response ${batch} reports every eviction`);
      assert.ok(cookies.rejected.every((rejected) => rejected.evicted && evictedFromFlood.test(rejected.reason)), cookies.rejected[0]?.reason);
    }
    const floodCookies = session.listCookies().filter((cookie) => cookie.domain === '127.0.0.1');
    assert.equal(floodCookies.length, 180);
    assert.ok(floodCookies.every((cookie) => /^f19_(4[2-9]\d|5\d\d)$/.test(cookie.name)), 'the least recently used went first');

    await session.send(get(`${flood.url}/after`));
    const sent = cookieHeaders.get('flood/after') ?? '';
    assert.equal(sent.split('; ').length, 180);
    assert.ok(Buffer.byteLength(sent) < 3 * 1024, `Cookie header of ${Buffer.byteLength(sent)} bytes`);

    await session.send(get(`${unrelatedUrl}/again`));
    assert.equal(cookieHeaders.get('unrelated'), 'keep=1', "the flood did not evict another site's cookie");
  } finally {
    session.dispose();
  }
});

test('a 5 KB cookie is rejected naming the 4096-byte rule; the small one beside it is stored', async () => {
  const session = new Session({ name: 'default' });
  try {
    const { cookies } = await session.send(get(`${flood.url}/big`));
    assert.deepEqual(cookies.stored.map((cookie) => cookie.name), ['small']);
    assert.equal(cookies.rejected.length, 1);
    assert.match(cookies.rejected[0]!.setCookie, /^big=x/);
    assert.match(cookies.rejected[0]!.reason, /name and value are 5123 bytes, over the 4096-byte limit/);
    assert.equal(session.cookieValue('big', `${flood.url}/`), undefined);

    // Editing a cookie in the Cookies view goes by the same rule.
    const edited = { name: 'small', value: 'y'.repeat(4100), domain: '127.0.0.1', path: '/', secure: false, httpOnly: false, hostOnly: true };
    await assert.rejects(session.setCookie(edited), { code: 'HS_COOKIE_REJECTED', message: /over the 4096-byte limit/ });
    assert.equal(session.cookieValue('small', `${flood.url}/`), '1');
  } finally {
    session.dispose();
  }
});

test('a stored jar of 12,000 cookies loads trimmed to 180 for the site, expired cookies evicted first', async () => {
  const seed = new Session({ name: 'default' });
  await seed.send(get(`${unrelatedUrl}/`));
  const state = seed.serialize();
  seed.dispose();
  const stored = (name: string, extra: object = {}) => ({ key: name, value: 'v', domain: '127.0.0.1', path: '/', hostOnly: true, creation: new Date().toISOString(), ...extra });
  // The expired ones were used last, so only "expired first" keeps every live cookie of the first 180.
  const expired = Array.from({ length: 50 }, (_, i) => stored(`gone${i}`, { expires: '2000-01-01T00:00:00.000Z', lastAccessed: new Date().toISOString() }));
  const live = Array.from({ length: 12_000 }, (_, i) => stored(`s${i}`, { lastAccessed: new Date(Date.now() - 60_000 - i).toISOString() }));
  const jar = state.jar as { cookies: object[] };
  const withFlood = { ...state, jar: { ...jar, cookies: [...jar.cookies, ...live, ...expired] } };

  const session = new Session({ name: 'default', state: withFlood });
  try {
    const loaded = session.listCookies();
    assert.deepEqual(loaded.filter((cookie) => cookie.domain === '127.0.0.1').map((cookie) => cookie.name), live.slice(0, 180).map((cookie) => cookie.key));
    assert.ok(loaded.some((cookie) => cookie.name === 'keep'), "another site's cookie is kept");
    await session.send(get(`${flood.url}/after-load`));
    assert.equal(cookieHeaders.get('flood/after-load')?.split('; ').length, 180);
  } finally {
    session.dispose();
  }
});
