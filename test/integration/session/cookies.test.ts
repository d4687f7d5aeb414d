import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Session } from '../../../src/core/session';
import { get, type LoopbackServer, startServer, text } from './loopback';

let server: LoopbackServer;
const cookieHeadersSeen: (string | string[] | undefined)[] = [];
before(async () => {
  server = await startServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    cookieHeadersSeen.push(request.headersDistinct.cookie);
    switch (path) {
      case '/login':
        response.writeHead(302, { location: '/landing', 'set-cookie': ['hop=from-302; Path=/', 'theme=dark; Path=/'] });
        return response.end();
      case '/landing':
        response.writeHead(200, { 'set-cookie': 'landed=yes; Path=/' });
        return response.end(`cookie on landing: ${request.headers.cookie ?? ''}`);
      case '/bad-cookies':
        response.writeHead(200, {
          'set-cookie': ['good=1; Path=/', 'foreign=1; Domain=example.org; Path=/', 'suffix=1; Domain=com; Path=/', 'secure=1; Secure; Path=/'],
        });
        return response.end('still fine');
      case '/prefixed':
        response.writeHead(200, { 'set-cookie': ['__Host-id=1; Path=/', '__Secure-token=2; Path=/', 'plain=3; Path=/'] });
        return response.end();
      case '/app/set':
        response.writeHead(200, { 'set-cookie': 'scoped=app; Path=/app' });
        return response.end();
      default:
        response.end(`cookie: ${request.headers.cookie ?? ''}`);
    }
  });
});
after(() => server.close());

test('a cookie set on a 302 hop is stored and sent on the next hop', async () => {
  const session = new Session({ name: 'default' });
  try {
    const exchange = await session.send(get(`${server.url}/login`));
    assert.equal(exchange.response?.status, 200);
    assert.equal(exchange.redirects.length, 1);
    const [hop] = exchange.redirects;
    assert.equal(hop.status, 302);
    assert.equal(hop.url, `${server.url}/login`);
    assert.deepEqual(hop.cookies.stored.map((cookie) => cookie.name), ['hop', 'theme']);
    assert.equal(text(exchange.response?.body), 'cookie on landing: hop=from-302; theme=dark');
    assert.deepEqual(exchange.cookies.sent.map((cookie) => [cookie.name, cookie.source]), [['hop', 'jar'], ['theme', 'jar']]);
    assert.deepEqual(exchange.cookies.stored.map((cookie) => cookie.name), ['hop', 'theme', 'landed'], 'stored from every hop, in order');
    assert.equal(session.cookieValue('hop', `${server.url}/`), 'from-302');
    assert.deepEqual(session.listCookies().map((cookie) => cookie.name).sort(), ['hop', 'landed', 'theme']);
  } finally {
    session.dispose();
  }
});

test('cookies the jar refuses are recorded with its reason and the request still succeeds', async () => {
  const session = new Session({ name: 'default' });
  try {
    const exchange = await session.send(get(`${server.url}/bad-cookies`));
    assert.equal(exchange.error, undefined);
    assert.equal(exchange.response?.status, 200);
    assert.equal(text(exchange.response?.body), 'still fine');
    assert.deepEqual(exchange.cookies.stored.map((cookie) => cookie.name), ['good']);
    const reasons = new Map(exchange.cookies.rejected.map((rejected) => [rejected.setCookie.split('=')[0], rejected.reason]));
    assert.match(reasons.get('foreign') ?? '', /domain/i);
    assert.match(reasons.get('suffix') ?? '', /domain|public suffix/i);
    assert.match(reasons.get('secure') ?? '', /secure/i, 'a Secure cookie from http is refused (Secure means https, localhost included)');
    assert.ok(exchange.cookies.rejected.every((rejected) => rejected.url === `${server.url}/bad-cookies`));
  } finally {
    session.dispose();
  }
});

test('Path and Secure scope what the jar sends', async () => {
  const session = new Session({ name: 'default' });
  try {
    await session.send(get(`${server.url}/app/set`));
    assert.equal(text((await session.send(get(`${server.url}/app/page`))).response?.body), 'cookie: scoped=app');
    assert.equal(text((await session.send(get(`${server.url}/other`))).response?.body), 'cookie: ');
    // A Secure cookie put in by hand (as if from https) is not sent over http.
    await session.setCookie({ name: 'sec', value: 's', domain: '127.0.0.1', path: '/', secure: true, httpOnly: false, hostOnly: true });
    assert.ok(session.listCookies().some((cookie) => cookie.name === 'sec' && cookie.secure));
    assert.equal(text((await session.send(get(`${server.url}/plain`))).response?.body), 'cookie: ');
  } finally {
    session.dispose();
  }
});

test('a written Cookie header wins for its name, the jar fills in the rest, one header goes out', async () => {
  const session = new Session({ name: 'default' });
  try {
    await session.send(get(`${server.url}/login`)); // jar: hop, theme, landed
    cookieHeadersSeen.length = 0;
    const exchange = await session.send(get(`${server.url}/echo`, { headers: [['Cookie', 'theme=light; extra=x']] }));
    assert.deepEqual(cookieHeadersSeen, [['theme=light; extra=x; hop=from-302; landed=yes']]);
    assert.deepEqual(
      exchange.request.headers.filter(([name]) => name.toLowerCase() === 'cookie'),
      [['Cookie', 'theme=light; extra=x; hop=from-302; landed=yes']],
    );
    assert.deepEqual(exchange.cookies.sent, [
      { name: 'theme', value: 'light', source: 'header', overrodeJar: true },
      { name: 'extra', value: 'x', source: 'header' },
      { name: 'hop', value: 'from-302', source: 'jar' },
      { name: 'landed', value: 'yes', source: 'jar' },
    ]);
  } finally {
    session.dispose();
  }
});

test('@no-cookie-jar neither sends jar cookies nor stores new ones', async () => {
  const session = new Session({ name: 'default' });
  try {
    await session.send(get(`${server.url}/app/set`));
    const exchange = await session.send({ ...get(`${server.url}/login`), options: { noCookieJar: true } });
    assert.equal(text(exchange.response?.body), 'cookie on landing: ');
    assert.deepEqual(exchange.cookies.stored, []);
    assert.deepEqual(session.listCookies().map((cookie) => cookie.name), ['scoped']);
  } finally {
    session.dispose();
  }
});

test('cookies can be set, deleted and cleared by hand; the jar rules apply', async () => {
  const session = new Session({ name: 'default' });
  let changes = 0;
  session.onDidChange(() => changes++);
  try {
    await session.setCookie({ name: 'a', value: '1', domain: 'example.com', path: '/', secure: false, httpOnly: false, hostOnly: false });
    await session.setCookie({ name: 'b', value: '2', domain: 'api.example.org', path: '/', secure: false, httpOnly: false, hostOnly: true });
    await assert.rejects(
      session.setCookie({ name: 'c', value: '3', domain: 'com', path: '/', secure: false, httpOnly: false, hostOnly: false }),
      (error: Error & { code?: string }) => error.code === 'HS_COOKIE_REJECTED' && /c/.test(error.message),
    );
    assert.equal(session.cookieValue('a', 'http://www.example.com/'), '1');
    await session.deleteCookie('a', 'example.com', '/');
    assert.equal(session.cookieValue('a', 'http://www.example.com/'), undefined);
    await session.setCookie({ name: 'a', value: '1', domain: 'example.com', path: '/', secure: false, httpOnly: false, hostOnly: false });
    await session.clearCookies('example.com');
    assert.deepEqual(session.listCookies().map((cookie) => cookie.name), ['b']);
    await session.clearCookies();
    assert.deepEqual(session.listCookies(), []);
    assert.equal(changes, 6, "every accepted change fires onDidChange; the refused one does not");
  } finally {
    session.dispose();
  }
});

test('a cookie breaking the __Host- / __Secure- prefix rules is refused with the rule it broke', async () => {
  const session = new Session({ name: 'default' });
  try {
    const exchange = await session.send(get(`${server.url}/prefixed`));
    assert.deepEqual(exchange.cookies.stored.map((cookie) => cookie.name), ['plain']);
    assert.deepEqual(
      exchange.cookies.rejected.map((rejected) => [rejected.setCookie.split('=')[0], rejected.reason]),
      [
        ['__Host-id', 'A __Host- cookie must have the Secure attribute, come over https, have Path=/ and no Domain attribute.'],
        ['__Secure-token', 'A __Secure- cookie must have the Secure attribute and come over https.'],
      ],
    );
  } finally {
    session.dispose();
  }
});
