// Response bodies through a real Session against a loopback server: a body that never ends stops at the cap
// and its connection is closed; Content-Encoding (gzip, x-gzip, deflate zlib-wrapped or raw, br, stacked) is
// decoded, with the cap on the decoded output so a decompression bomb stops there too.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { brotliCompressSync, constants, createBrotliCompress, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { Session } from '../../../src/core/session';
import { get, type LoopbackServer, startServer, text } from './loopback';

const json = JSON.stringify({ token: 'abc-123', items: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `item ${i}` })) });
const encoded: Record<string, [string, Buffer]> = {
  '/gzip': ['gzip', gzipSync(json)],
  '/x-gzip': ['x-gzip', gzipSync(json)],
  '/deflate': ['deflate', deflateSync(json)],
  '/raw-deflate': ['deflate', deflateRawSync(json)],
  '/br': ['br', brotliCompressSync(json)],
  // Listed in the order applied: gzip first, then br; decoded br first.
  '/gzip-br': ['gzip, br', brotliCompressSync(gzipSync(json))],
};
/** 1 MiB of zeros as one gzip member (about 1 KiB): members in a row are one valid gzip body. */
const zerosMember = gzipSync(Buffer.alloc(1 << 20));
/** Empty gzip members: a stream of them decodes to nothing at all. */
const emptyMembers = Buffer.concat(Array.from({ length: 500 }, () => gzipSync(Buffer.alloc(0))));
/** Two layers that both inflate: deflate over 256 MiB of gzipped zeros, about 1 KiB in all. */
const stackedBomb = deflateSync(Buffer.concat(Array.from({ length: 256 }, () => zerosMember)));
let brotliBomb: Buffer;

let server: LoopbackServer;
/** The server side of the last endless response's socket: closed once the client gives up on it. */
let endlessSocketClosed: Promise<unknown> | undefined;
const acceptEncodings: (string | undefined)[] = [];

/** Resolves when the socket closes (a reset included: `once` would reject on its error). */
function socketClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** Writes `next()` as fast as the socket takes it, until it returns undefined or the client goes away. */
function pump(response: ServerResponse, next: () => Buffer | undefined): void {
  const write = () => {
    for (let chunk = next(); chunk; chunk = next()) if (!response.write(chunk)) return;
    response.end();
  };
  response.on('drain', write);
  write();
}

before(async () => {
  const chunks: Buffer[] = [];
  const compress = createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }); // 64 MiB in ~12 KiB, fast to make
  compress.on('data', (chunk: Buffer) => chunks.push(chunk));
  for (let i = 0; i < 64; i++) compress.write(Buffer.alloc(1 << 20));
  compress.end();
  await once(compress, 'end');
  brotliBomb = Buffer.concat(chunks);

  server = await startServer((request, response) => {
    acceptEncodings.push(request.headers['accept-encoding']);
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const known = encoded[path];
    if (known) {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': known[0] });
      return response.end(known[1]);
    }
    switch (path) {
      case '/endless': {
        endlessSocketClosed = socketClosed(request.socket);
        response.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(16 * 1024, 'x');
        return pump(response, () => chunk);
      }
      case '/gzip-bomb': {
        // Claims 10 GiB of zeros (10 MiB on the wire); the client should stop after its cap.
        endlessSocketClosed = socketClosed(request.socket);
        let members = 10 * 1024;
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip', 'content-length': String(members * zerosMember.length) });
        return pump(response, () => (members-- > 0 ? zerosMember : undefined));
      }
      case '/empty-members':
        endlessSocketClosed = socketClosed(request.socket);
        response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        return pump(response, () => emptyMembers);
      case '/br-bomb':
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'br' });
        return response.end(brotliBomb);
      case '/stacked-bomb':
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip, deflate' });
        return response.end(stackedBomb);
      case '/zstd':
        response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'zstd' });
        return response.end('(zstd frames)');
      case '/mislabelled':
        response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        return response.end('plain text, not gzip');
      case '/broken-off':
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return response.end(gzipSync(json).subarray(0, 60));
      case '/no-content':
        response.writeHead(204, { 'content-encoding': 'gzip' });
        return response.end();
      default:
        response.writeHead(200, { 'content-type': 'text/plain' });
        return response.end('ok');
    }
  });
});
after(() => server.close());

/** A session with a small cap; disposed after `use`. */
async function withSession(maxBodyBytes: number, use: (session: Session) => Promise<void>): Promise<void> {
  const session = new Session({ name: 'default', defaults: { maxBodyBytes } });
  try {
    await use(session);
  } finally {
    session.dispose();
  }
}

test('an endless body stops at the cap: marked truncated, its connection closed, the session still works', { timeout: 20_000 }, async () => {
  await withSession(256 * 1024, async (session) => {
    const exchange = await session.send(get(`${server.url}/endless`));
    assert.equal(exchange.error, undefined);
    assert.equal(exchange.response?.truncated, true);
    assert.equal(exchange.response?.body.length, 256 * 1024);
    assert.ok(exchange.timings.totalMs < 5000, `returned after ${exchange.timings.totalMs} ms`);
    await endlessSocketClosed;
    const next = await session.send(get(`${server.url}/`));
    assert.equal(text(next.response?.body), 'ok');
    assert.equal(next.connectionReused, false, 'the cut connection is not back in the pool');
  });
});

test('gzip, x-gzip, deflate (zlib-wrapped and raw), br and stacked gzip + br bodies are decoded', async () => {
  await withSession(1 << 20, async (session) => {
    for (const [path, [encoding, body]] of Object.entries(encoded)) {
      const exchange = await session.send(get(`${server.url}${path}`));
      assert.equal(text(exchange.response?.body), json, path);
      assert.equal(exchange.response?.bodySize, Buffer.byteLength(json), path);
      assert.equal(exchange.response?.encodedBodySize, body.length, `${path}: the wire size is kept`);
      assert.equal(exchange.response?.truncated, false, path);
      assert.equal(exchange.response?.decodingProblem, undefined, path);
      assert.deepEqual(exchange.response?.headers.find(([name]) => name === 'content-encoding'), ['content-encoding', encoding], 'headers stay as received');
    }
  });
});

test('Accept-Encoding: gzip, deflate, br goes out unless the request writes its own', async () => {
  await withSession(1 << 20, async (session) => {
    acceptEncodings.length = 0;
    const sent = await session.send(get(`${server.url}/`));
    await session.send(get(`${server.url}/`, { headers: [['accept-encoding', 'identity']] }));
    assert.deepEqual(acceptEncodings, ['gzip, deflate, br', 'identity']);
    assert.ok(sent.request.headers.some(([name, value]) => name === 'Accept-Encoding' && value === 'gzip, deflate, br'), 'recorded as sent');
  });
});

test('a gzip bomb (10 GiB of zeros claimed) stops at the cap and its connection is closed', { timeout: 20_000 }, async () => {
  await withSession(4 << 20, async (session) => {
    const exchange = await session.send(get(`${server.url}/gzip-bomb`));
    assert.equal(exchange.response?.truncated, true);
    assert.equal(exchange.response?.body.length, 4 << 20);
    assert.ok(exchange.response.encodedBodySize! < 64 * 1024, `read ${exchange.response.encodedBodySize} bytes off the wire`);
    assert.ok(exchange.timings.totalMs < 5000, `returned after ${exchange.timings.totalMs} ms`);
    await endlessSocketClosed;
    assert.equal((await session.send(get(`${server.url}/gzip`))).response?.truncated, false);
  });
});

test('a brotli bomb and a bomb in two stacked encodings (gzip, deflate) inflate no further than the cap', async () => {
  await withSession(1 << 20, async (session) => {
    for (const path of ['/br-bomb', '/stacked-bomb']) {
      const before = process.memoryUsage().arrayBuffers;
      const exchange = await session.send(get(`${server.url}${path}`));
      assert.equal(exchange.response?.truncated, true, path);
      assert.equal(exchange.response?.body.length, 1 << 20, path);
      assert.ok(process.memoryUsage().arrayBuffers - before < 32 << 20, `${path}: the 64 / 256 MiB behind it were never held`);
    }
  });
});

test('an endless encoded body that decodes to nothing stops at the same cap on the wire', { timeout: 20_000 }, async () => {
  await withSession(64 * 1024, async (session) => {
    const exchange = await session.send(get(`${server.url}/empty-members`));
    assert.equal(exchange.response?.truncated, true);
    assert.equal(exchange.response?.body.length, 0);
    assert.ok(exchange.response.encodedBodySize! > 64 * 1024);
    await endlessSocketClosed;
  });
});

test('an encoding that cannot be decoded leaves the body as received, with a note saying why', async () => {
  await withSession(1 << 20, async (session) => {
    const zstd = await session.send(get(`${server.url}/zstd`));
    assert.equal(text(zstd.response?.body), '(zstd frames)');
    assert.equal(zstd.response?.decodingProblem, "Content-Encoding 'zstd' is not supported: the body is shown as received.");
    assert.equal(zstd.response?.truncated, false);

    const mislabelled = await session.send(get(`${server.url}/mislabelled`));
    assert.equal(text(mislabelled.response?.body), 'plain text, not gzip');
    assert.equal(mislabelled.response?.truncated, false);
    assert.match(mislabelled.response?.decodingProblem ?? '', /^The body does not decode as Content-Encoding 'gzip' \(.+\): it is shown as received\.$/);

    const brokenOff = await session.send(get(`${server.url}/broken-off`));
    assert.equal(brokenOff.response?.truncated, true);
    assert.ok(json.startsWith(text(brokenOff.response?.body)), 'what decoded before the break is kept');
    assert.match(brokenOff.response?.decodingProblem ?? '', /^The body's Content-Encoding 'gzip' data broke off \(.+\): it stops where decoding failed\.$/);

    const noContent = await session.send(get(`${server.url}/no-content`));
    assert.equal(noContent.response?.status, 204);
    assert.equal(noContent.response?.decodingProblem, undefined, 'no body, nothing to decode');
  });
});
