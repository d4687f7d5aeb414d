// Issue 12, point 6: the in-memory history of a session does not keep every large body. 60 responses of
// 20 MB: the newest exchanges and the newest of each named request keep their whole body (chaining reads
// them), older ones keep the start, marked truncated. Before the fix 60 × 20 MB grew the host by 1.2 GB.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Exchange } from '../../../src/core/model/exchange';
import { Session } from '../../../src/core/session';
import { get, startServer, type LoopbackServer } from './loopback';

const bodyBytes = 20 * 1000 * 1000;
const cappedBytes = 64 * 1024;
let server: LoopbackServer;

before(async () => {
  const big = Buffer.alloc(bodyBytes, 'x');
  server = await startServer((request, response) => {
    const n = new URL(request.url ?? '/', 'http://x').searchParams.get('n') ?? '';
    response.setHeader('Content-Type', 'application/json');
    // A JSON document of about 20 MB whose `n` says which response it is.
    response.end(Buffer.concat([Buffer.from(`{"n":"${n}","pad":"`), big, Buffer.from('"}')]));
  });
});
after(() => server.close());

/**
 * The bytes the history keeps alive: the memory behind each body, counted once. A capped body that is
 * only a view into the whole one (`subarray`) keeps all of it alive, so its length alone says nothing.
 */
function retainedBodyBytes(history: readonly Exchange[]): number {
  const buffers = new Set(history.flatMap((exchange) => (exchange.response ? [exchange.response.body.buffer] : [])));
  return [...buffers].reduce((sum, buffer) => sum + buffer.byteLength, 0);
}

test('60 responses of 20 MB: the history keeps whole bodies only for the newest and the newest of each name; chaining still reads them', async () => {
  const session = new Session({ name: 'default' });
  try {
    await session.send(get(`${server.url}/?n=login`, { name: 'login' }));
    for (let n = 0; n < 59; n++) await session.send(get(`${server.url}/?n=${n}`));

    const history = session.history;
    assert.equal(history.length, 60);
    const whole = bodyBytes + 64;
    // 10 newest + the named one whole; 49 others at 64 KiB. Everything whole would be 1.2 GB.
    const retained = retainedBodyBytes(history);
    assert.ok(retained <= 11 * whole + 49 * cappedBytes, `the history keeps ${(retained / 1e6).toFixed(1)} MB alive of ${(60 * whole) / 1e6} MB received`);

    const older = history[20]!.response!;
    assert.equal(older.body.length, cappedBytes);
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
