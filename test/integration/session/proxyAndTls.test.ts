import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Session } from '../../../src/core/session';
import { get, type LoopbackServer, startServer, text } from './loopback';

let origin: LoopbackServer;
let proxy: LoopbackServer;
const proxied: string[] = [];
before(async () => {
  origin = await startServer((request, response) => {
    response.setHeader('set-cookie', 'via=proxy; Path=/');
    response.end(`origin saw ${request.url} cookie=${request.headers.cookie ?? ''}`);
  });
  // A tiny forward proxy: absolute-form request line in, the same request out to the origin.
  proxy = await startServer((request, response) => {
    proxied.push(request.url ?? '');
    const target = new URL(request.url ?? '');
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(upstream);
  });
});
after(async () => {
  await origin.close();
  await proxy.close();
});

test('requests go through an explicit proxy, cookies included; noProxy bypasses it', async () => {
  const session = new Session({ name: 'default', defaults: { proxy: proxy.url, timeoutMs: 5000 }, env: {} });
  try {
    proxied.length = 0;
    await session.send(get(`${origin.url}/one`));
    const second = await session.send(get(`${origin.url}/two`));
    assert.equal(text(second.response?.body), 'origin saw /two cookie=via=proxy');
    assert.deepEqual(proxied, [`${origin.url}/one`, `${origin.url}/two`]);
    session.updateDefaults({ proxy: proxy.url, noProxy: '127.0.0.1', timeoutMs: 5000 });
    await session.send(get(`${origin.url}/direct`));
    assert.equal(proxied.length, 2, 'NO_PROXY host went direct');
  } finally {
    session.dispose();
  }
});

test('HTTP_PROXY from the environment is honoured when no proxy is configured', async () => {
  const session = new Session({ name: 'default', defaults: { timeoutMs: 5000 }, env: { HTTP_PROXY: proxy.url } });
  try {
    proxied.length = 0;
    assert.equal((await session.send(get(`${origin.url}/env`))).response?.status, 200);
    assert.deepEqual(proxied, [`${origin.url}/env`]);
  } finally {
    session.dispose();
  }
});

let tlsDir: string;
let secure: https.Server;
let secureUrl: string;
let caPem: string;
before(async () => {
  tlsDir = mkdtempSync(join(tmpdir(), 'hs-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(tlsDir, 'key.pem'), '-out', join(tlsDir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  caPem = readFileSync(join(tlsDir, 'cert.pem'), 'utf8');
  secure = https.createServer({ key: readFileSync(join(tlsDir, 'key.pem')), cert: caPem }, (_request, response) => response.end('secure hello'));
  await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
  secureUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
});
after(() => {
  secure.closeAllConnections();
  secure.close();
  rmSync(tlsDir, { recursive: true, force: true });
});

test('TLS: an unknown CA is HS_TLS; a per-host CA works with connect and TLS timings; rejectUnauthorized:false warns', async () => {
  const plain = new Session({ name: 'default', env: {} });
  const host = new URL(secureUrl).host;
  const withCa = new Session({ name: 'default', env: {}, defaults: { tls: { [host]: { ca: caPem } } } });
  const warnings: string[] = [];
  const logger = { trace() {}, info() {}, error() {}, warn: (line: string) => void warnings.push(line) };
  const insecure = new Session({ name: 'default', env: {}, logger, defaults: { tls: { '127.0.0.1': { rejectUnauthorized: false } } } });
  try {
    assert.equal((await plain.send(get(`${secureUrl}/`))).error?.code, 'HS_TLS');
    const trusted = await withCa.send(get(`${secureUrl}/`));
    assert.equal(text(trusted.response?.body), 'secure hello');
    assert.ok(trusted.timings.connectMs !== undefined && trusted.timings.tlsMs !== undefined && trusted.timings.tlsMs > 0);
    assert.equal(text((await insecure.send(get(`${secureUrl}/`))).response?.body), 'secure hello');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /verification is OFF for 127\.0\.0\.1/);
  } finally {
    plain.dispose();
    withCa.dispose();
    insecure.dispose();
  }
});
