import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Session } from '../../../src/core/session';
import { type LoopbackServer, startServer, text } from './loopback';

interface Seen {
  method: string;
  url: string;
  body: string;
  contentType?: string;
  authorization?: string;
}
let server: LoopbackServer;
let other: LoopbackServer;
const seen: Seen[] = [];
before(async () => {
  other = await startServer((request, response) => response.end(`other saw auth: ${request.headers.authorization ?? 'none'}`));
  server = await startServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', body, contentType: request.headers['content-type'], authorization: request.headers.authorization });
      const match = /^\/(\d{3})$/.exec(request.url ?? '');
      if (match) {
        response.writeHead(Number(match[1]), { location: '/target' });
        return response.end();
      }
      const loop = /^\/loop\/(\d+)$/.exec(request.url ?? '');
      if (loop) {
        response.writeHead(302, { location: `/loop/${Number(loop[1]) + 1}` });
        return response.end();
      }
      if (request.url === '/away') {
        response.writeHead(302, { location: `${other.url}/x` });
        return response.end();
      }
      response.end(`${request.method} ${request.url} ${body}`);
    });
  });
});
after(async () => {
  await server.close();
  await other.close();
});

const post = (url: string) => ({ method: 'POST', url, headers: [['Content-Type', 'application/json'] as const], body: '{"a":1}' });

for (const [status, method, keepsBody] of [
  [303, 'GET', false],
  [302, 'GET', false],
  [301, 'GET', false],
  [307, 'POST', true],
  [308, 'POST', true],
] as const) {
  test(`POST answered ${status} continues as ${method}${keepsBody ? ' with its body' : ' without body or Content-Type'}`, async () => {
    const session = new Session({ name: 'default' });
    try {
      seen.length = 0;
      const exchange = await session.send(post(`${server.url}/${status}`));
      assert.equal(exchange.response?.status, 200);
      assert.deepEqual(exchange.redirects.map((hop) => [hop.method, hop.status, hop.location]), [['POST', status, '/target']]);
      const [, second] = seen;
      assert.equal(second.method, method);
      assert.equal(second.body, keepsBody ? '{"a":1}' : '');
      assert.equal(second.contentType, keepsBody ? 'application/json' : undefined);
      assert.equal(exchange.request.method, method);
      assert.equal(exchange.request.bodySize, keepsBody ? 7 : 0);
    } finally {
      session.dispose();
    }
  });
}

test('HEAD answered 303 stays HEAD', async () => {
  const session = new Session({ name: 'default' });
  try {
    seen.length = 0;
    await session.send({ method: 'HEAD', url: `${server.url}/303`, headers: [] });
    assert.deepEqual(seen.map((request) => request.method), ['HEAD', 'HEAD']);
  } finally {
    session.dispose();
  }
});

test('more redirects than maxRedirects end in HS_TOO_MANY_REDIRECTS with the chain recorded', async () => {
  const session = new Session({ name: 'default', defaults: { maxRedirects: 3 } });
  try {
    const exchange = await session.send({ method: 'GET', url: `${server.url}/loop/0`, headers: [] });
    assert.equal(exchange.error?.code, 'HS_TOO_MANY_REDIRECTS');
    assert.equal(exchange.response, undefined);
    assert.deepEqual(exchange.redirects.map((hop) => hop.url.replace(server.url, '')), ['/loop/0', '/loop/1', '/loop/2']);
    const withDefault = new Session({ name: 'default' });
    const tenPlus = await withDefault.send({ method: 'GET', url: `${server.url}/loop/0`, headers: [] });
    withDefault.dispose();
    assert.equal(tenPlus.error?.code, 'HS_TOO_MANY_REDIRECTS');
    assert.equal(tenPlus.redirects.length, 10);
  } finally {
    session.dispose();
  }
});

test('@no-redirect and followRedirects:false return the 3xx itself', async () => {
  const session = new Session({ name: 'default' });
  const notFollowing = new Session({ name: 'default', defaults: { followRedirects: false } });
  try {
    const a = await session.send({ method: 'GET', url: `${server.url}/302`, headers: [], options: { noRedirect: true } });
    const b = await notFollowing.send({ method: 'GET', url: `${server.url}/302`, headers: [] });
    for (const exchange of [a, b]) {
      assert.equal(exchange.response?.status, 302);
      assert.deepEqual(exchange.redirects, []);
      assert.ok(exchange.response?.headers.some(([name, value]) => name === 'location' && value === '/target'));
    }
  } finally {
    session.dispose();
    notFollowing.dispose();
  }
});

test('Authorization is dropped when a redirect leaves the origin, kept within it', async () => {
  const session = new Session({ name: 'default' });
  try {
    seen.length = 0;
    const away = await session.send({ method: 'GET', url: `${server.url}/away`, headers: [['Authorization', 'Bearer secret']] });
    assert.equal(text(away.response?.body), 'other saw auth: none');
    assert.equal(seen[0].authorization, 'Bearer secret');
    seen.length = 0;
    await session.send({ method: 'GET', url: `${server.url}/302`, headers: [['Authorization', 'Bearer secret']] });
    assert.deepEqual(seen.map((request) => request.authorization), ['Bearer secret', 'Bearer secret']);
  } finally {
    session.dispose();
  }
});
