import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { Session } from '../../../src/core/session';
import { get, type LoopbackServer, startServer, text } from './loopback';

let server: LoopbackServer;
const requestsPerSocket = new WeakMap<object, number>();
before(async () => {
  server = await startServer((request, response) => {
    const count = (requestsPerSocket.get(request.socket) ?? 0) + 1;
    requestsPerSocket.set(request.socket, count);
    switch (new URL(request.url ?? '/', 'http://x').pathname) {
      case '/big':
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        return response.end(Buffer.alloc(100_000, 'x'));
      case '/silent':
        return; // accepts, never answers
      case '/trickle': {
        response.writeHead(200, { 'content-type': 'text/plain' });
        const timer = setInterval(() => response.write('.'), 20);
        response.on('close', () => clearInterval(timer));
        return;
      }
      case '/cut':
        response.writeHead(200, { 'content-length': '1000' });
        response.write(Buffer.alloc(100, 'y'));
        return void setImmediate(() => request.socket.destroy());
      case '/stale':
        // Mimics the keep-alive race: the server dropped the idle connection just as the client reused it.
        if (count > 1) return void request.socket.destroy();
        return response.end(`fresh connection ${count}`);
      default:
        return response.end('ok');
    }
  });
});
after(() => server.close());

test('a body over maxBodyBytes is truncated there and its connection closed, not drained; the next request gets a new one', async () => {
  const session = new Session({ name: 'default', defaults: { maxBodyBytes: 1000 } });
  try {
    const exchange = await session.send(get(`${server.url}/big`));
    assert.equal(exchange.response?.body.length, 1000);
    assert.equal(exchange.response?.bodySize, 1000);
    assert.equal(exchange.response?.truncated, true);
    const next = await session.send(get(`${server.url}/`));
    assert.equal(text(next.response?.body), 'ok');
    assert.equal(next.connectionReused, false);
  } finally {
    session.dispose();
  }
});

test('the total timeout covers waiting for headers and the body', async () => {
  const session = new Session({ name: 'default', defaults: { timeoutMs: 150 } });
  try {
    for (const path of ['/silent', '/trickle']) {
      const exchange = await session.send(get(`${server.url}${path}`));
      assert.equal(exchange.error?.code, 'HS_TIMEOUT', path);
      assert.ok(exchange.timings.totalMs >= 140 && exchange.timings.totalMs < 2000, `${path}: ${exchange.timings.totalMs}`);
    }
    const directive = await session.send({ ...get(`${server.url}/silent`), options: { timeoutMs: 50 } });
    assert.equal(directive.error?.code, 'HS_TIMEOUT');
    assert.ok(directive.timings.totalMs < 140, 'the @timeout directive overrides the default');
    assert.equal((await session.send(get(`${server.url}/`))).response?.status, 200);
  } finally {
    session.dispose();
  }
});

test('cancelling through the AbortSignal ends the exchange with HS_ABORTED', async () => {
  const session = new Session({ name: 'default' });
  try {
    const controller = new AbortController();
    const arrived = once(server.server, 'request');
    const pending = session.send(get(`${server.url}/silent`), controller.signal);
    await arrived;
    controller.abort();
    const exchange = await pending;
    assert.equal(exchange.error?.code, 'HS_ABORTED');
    const already = await session.send(get(`${server.url}/`), AbortSignal.abort());
    assert.equal(already.error?.code, 'HS_ABORTED');
  } finally {
    session.dispose();
  }
});

test('a connection reset mid-body is HS_CONNECTION_RESET, not retried, and the session stays usable', async () => {
  const session = new Session({ name: 'default' });
  try {
    const exchange = await session.send(get(`${server.url}/cut`));
    assert.equal(exchange.error?.code, 'HS_CONNECTION_RESET');
    assert.equal(exchange.response, undefined);
    const next = await session.send(get(`${server.url}/`));
    assert.equal(next.response?.status, 200);
  } finally {
    session.dispose();
  }
});

test('a pooled connection the server dropped is retried once for GET, never for POST', async () => {
  const session = new Session({ name: 'default' });
  try {
    server.connections = 0;
    assert.equal(text((await session.send(get(`${server.url}/stale`))).response?.body), 'fresh connection 1');
    const retried = await session.send(get(`${server.url}/stale`));
    assert.equal(retried.error, undefined);
    assert.equal(text(retried.response?.body), 'fresh connection 1');
    assert.equal(retried.connectionReused, false);
    assert.equal(server.connections, 2);
    const post = await session.send({ method: 'POST', url: `${server.url}/stale`, headers: [], body: 'x' });
    assert.equal(post.error?.code, 'HS_CONNECTION_RESET');
    assert.equal(server.connections, 2, 'POST was not retried');
  } finally {
    session.dispose();
  }
});

test('a refused connection is HS_CONNECT_REFUSED', async () => {
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as net.AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const session = new Session({ name: 'default' });
  try {
    const exchange = await session.send(get(`http://127.0.0.1:${port}/`));
    assert.equal(exchange.error?.code, 'HS_CONNECT_REFUSED');
    assert.match(exchange.error?.message ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));
  } finally {
    session.dispose();
  }
});

test('an invalid URL is HS_INVALID_URL, not a rejection', async () => {
  const session = new Session({ name: 'default' });
  try {
    assert.equal((await session.send(get('not a url'))).error?.code, 'HS_INVALID_URL');
    assert.equal((await session.send(get('ftp://127.0.0.1/'))).error?.code, 'HS_INVALID_URL');
  } finally {
    session.dispose();
  }
});

// A listener that never accepts (python's socket.listen(0) without accept()): once its one-slot accept
// queue is full, the kernel drops further SYNs on loopback and connect() hangs — a real connect timeout.
let neverAccepts: ChildProcess | undefined;
after(() => neverAccepts?.kill());

test('a connect that does not complete is HS_CONNECT_TIMEOUT (default and @connection-timeout)', async () => {
  neverAccepts = spawn('python3', ['-c', 'import socket,sys\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()']);
  const [chunk] = (await once(neverAccepts.stdout!, 'data')) as [Buffer];
  const port = Number(chunk.toString().trim());
  const fillers: net.Socket[] = [];
  // Fill the accept queue: the first socket connects (queued), the next ones would hang.
  const filler = net.connect(port, '127.0.0.1');
  fillers.push(filler);
  await once(filler, 'connect');
  const session = new Session({ name: 'default', defaults: { connectTimeoutMs: 200 } });
  try {
    const exchange = await session.send(get(`http://127.0.0.1:${port}/`));
    assert.equal(exchange.error?.code, 'HS_CONNECT_TIMEOUT');
    assert.ok(exchange.timings.totalMs >= 190 && exchange.timings.totalMs < 2000, String(exchange.timings.totalMs));
    const directive = await session.send({ ...get(`http://127.0.0.1:${port}/d`), options: { connectionTimeoutMs: 60 } });
    assert.equal(directive.error?.code, 'HS_CONNECT_TIMEOUT');
    assert.ok(directive.timings.totalMs < 190);
  } finally {
    session.dispose();
    for (const socket of fillers) socket.destroy();
  }
});
