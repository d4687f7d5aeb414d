import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Session } from '../../../src/core/session';
import { get, type LoopbackServer, startServer, text } from './loopback';

let server: LoopbackServer;
before(async () => {
  server = await startServer((request, response) => {
    response.setHeader('content-type', 'text/plain');
    response.end(`hello ${request.url}`);
  });
});
after(() => server.close());

test('50 sequential GETs go over exactly one connection', async () => {
  const session = new Session({ name: 'default' });
  try {
    server.connections = 0;
    const exchanges = [];
    for (let i = 0; i < 50; i++) exchanges.push(await session.send(get(`${server.url}/item/${i}`)));
    assert.equal(server.connections, 1);
    assert.deepEqual(exchanges.map((exchange) => exchange.response?.status), Array(50).fill(200));
    assert.equal(text(exchanges[49].response?.body), 'hello /item/49');
    assert.equal(exchanges[0].connectionReused, false);
    assert.ok(exchanges[0].timings.connectMs !== undefined, 'a new connection has a connect time');
    assert.ok(exchanges.slice(1).every((exchange) => exchange.connectionReused && exchange.timings.connectMs === undefined));
  } finally {
    session.dispose();
  }
});

test('parallel requests each get a connection and all succeed', async () => {
  const session = new Session({ name: 'default' });
  try {
    server.connections = 0;
    const exchanges = await Promise.all(Array.from({ length: 8 }, (_, i) => session.send(get(`${server.url}/p/${i}`))));
    assert.deepEqual(exchanges.map((exchange) => text(exchange.response?.body)), Array.from({ length: 8 }, (_, i) => `hello /p/${i}`));
    assert.ok(server.connections > 1, `parallel requests were not serialized onto one connection (${server.connections})`);
    // Then sequential again: they reuse the pool instead of opening more.
    const before = server.connections;
    for (let i = 0; i < 10; i++) await session.send(get(`${server.url}/s/${i}`));
    assert.equal(server.connections, before);
  } finally {
    session.dispose();
  }
});
