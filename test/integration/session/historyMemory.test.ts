// Issue 12, point 6: the in-memory history of a session does not keep every large body. 60 responses of
// 4 MiB: the newest exchanges and the newest of each named request keep their whole body (chaining reads
// them), older ones keep the start, marked truncated. Before the fix 60 × 20 MB grew the host by 1.2 GB.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Session } from '../../../src/core/session';
import { get, startServer, type LoopbackServer } from './loopback';

const bodyBytes = 4 * 1024 * 1024;
let server: LoopbackServer;

before(async () => {
  const big = Buffer.alloc(bodyBytes, 'x');
  server = await startServer((request, response) => {
    const n = new URL(request.url ?? '/', 'http://x').searchParams.get('n') ?? '';
    response.setHeader('Content-Type', 'application/json');
    // A JSON document of about 4 MiB whose `n` says which response it is.
    response.end(Buffer.concat([Buffer.from(`{"n":"${n}","pad":"`), big, Buffer.from('"}')]));
  });
});
after(() => server.close());

test('60 large responses: the history keeps whole bodies only for the newest and the newest of each name; chaining still reads them', async () => {
  const session = new Session({ name: 'default' });
  try {
    await session.send(get(`${server.url}/?n=login`, { name: 'login' }));
    for (let n = 0; n < 59; n++) await session.send(get(`${server.url}/?n=${n}`));

    const history = session.history;
    assert.equal(history.length, 60);
    const retained = history.reduce((sum, exchange) => sum + (exchange.response?.body.length ?? 0), 0);
    // 10 newest + the named one whole; 49 others at 64 KiB.
    assert.ok(retained <= 11 * (bodyBytes + 64) + 49 * 64 * 1024, `retained ${retained} bytes`);
    assert.ok(retained < 60 * bodyBytes / 4, `retained ${(retained / 2 ** 20).toFixed(1)} MiB of ${(60 * bodyBytes) / 2 ** 20} MiB received`);

    const older = history[20]!.response!;
    assert.equal(older.body.length, 64 * 1024);
    assert.equal(older.truncated, true);
    assert.ok(older.bodySize > bodyBytes, 'the size the server sent is still known');

    // The named request is old but the newest of its name: chaining reads its whole JSON.
    const login = session.lastExchange('login')!;
    assert.equal(login.response!.truncated, false);
    assert.equal(JSON.parse(new TextDecoder().decode(login.response!.body)).n, 'login');
    assert.equal(history.at(-1)!.response!.body.length, history.at(-1)!.response!.bodySize);
  } finally {
    session.dispose();
  }
});
