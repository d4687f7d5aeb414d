// Redirects to another origin: host A's automatic CSRF header and hand-written secret headers (API keys,
// tokens) must not reach host B; the same origin keeps them. Through the engine's Session and the CLI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Session } from '../../../src/core/session';
import { buildExtension } from '../../support/build';
import { type LoopbackServer, startServer } from './loopback';

const cliPath = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const tokenOfA = 'token-of-host-a';
const secretHeaders = ['x-xsrf-token', 'x-api-key', 'api-key', 'x-auth-token', 'x-session-secret', 'x-password', 'authorization'];

interface Seen {
  readonly host: 'a' | 'b';
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
}
const seen: Seen[] = [];
let hostA: LoopbackServer;
let hostB: http.Server;
let urlB: string;

before(async () => {
  // B on `localhost`, A on 127.0.0.1: two hosts, so the jar's cookies for A are not B's (ports do not separate cookies).
  hostB = http.createServer((request, response) => {
    seen.push({ host: 'b', method: request.method ?? '', path: request.url ?? '', headers: request.headers });
    request.resume();
    request.on('end', () => response.end('b'));
  });
  await new Promise<void>((resolve) => hostB.listen(0, 'localhost', resolve));
  urlB = `http://localhost:${(hostB.address() as AddressInfo).port}`;
  hostA = await startServer((request, response) => {
    seen.push({ host: 'a', method: request.method ?? '', path: request.url ?? '', headers: request.headers });
    request.resume();
    request.on('end', () => {
      if (request.url === '/csrf') {
        response.writeHead(200, { 'set-cookie': `XSRF-TOKEN=${tokenOfA}; Path=/` });
        return response.end();
      }
      const away = /^\/away\/(\d{3})$/.exec(request.url ?? '');
      if (away) {
        response.writeHead(Number(away[1]), { location: `${urlB}/landed` });
        return response.end();
      }
      const same = /^\/same\/(\d{3})$/.exec(request.url ?? '');
      if (same) {
        response.writeHead(Number(same[1]), { location: '/landed' });
        return response.end();
      }
      response.end('a');
    });
  });
});
after(async () => {
  await hostA.close();
  hostB.closeAllConnections();
  await new Promise((resolve) => hostB.close(resolve));
});

const handWritten: [string, string][] = [
  ['X-API-Key', 'key-123'],
  ['Api-Key', 'key-456'],
  ['X-Auth-Token', 'auth-789'],
  ['X-Session-Secret', 'shh'],
  ['X-Password', 'pw'],
  ['Authorization', 'Basic dXNlcjpwYXNz'],
  ['X-Trace', 'kept'],
];

function secretsAt(request: Seen): string[] {
  return secretHeaders.filter((name) => request.headers[name] !== undefined);
}

describe('cross-origin redirects through the Session', () => {
  for (const [method, status] of [
    ['POST', 307],
    ['POST', 302],
    ['DELETE', 302],
    ['PUT', 308],
  ] as const) {
    it(`${method} answered ${status} to another host: no CSRF header from A's jar, no secret headers`, async () => {
      const session = new Session({ name: 'default' });
      try {
        await session.send({ method: 'GET', url: `${hostA.url}/csrf`, headers: [] });
        seen.length = 0;
        const exchange = await session.send({ method, url: `${hostA.url}/away/${status}`, headers: handWritten, body: 'x=1' });
        assert.equal(exchange.response?.status, 200);
        const [atA, atB] = seen;
        assert.equal(atA.headers['x-xsrf-token'], tokenOfA, 'A itself gets its token');
        assert.equal(atA.headers['x-api-key'], 'key-123');
        assert.equal(atB.host, 'b');
        assert.deepEqual(secretsAt(atB), [], `B received ${secretsAt(atB).join(', ')}`);
        assert.equal(atB.headers['x-trace'], 'kept', 'ordinary headers still follow');
        assert.ok(!exchange.request.headers.some(([name]) => name.toLowerCase() === 'x-xsrf-token'), 'the record of the final hop has no token either');
      } finally {
        session.dispose();
      }
    });
  }

  it('a same-origin redirect keeps the CSRF header and the secret headers', async () => {
    const session = new Session({ name: 'default' });
    try {
      await session.send({ method: 'GET', url: `${hostA.url}/csrf`, headers: [] });
      seen.length = 0;
      await session.send({ method: 'DELETE', url: `${hostA.url}/same/307`, headers: handWritten });
      const [, landed] = seen;
      assert.equal(landed.path, '/landed');
      assert.equal(landed.headers['x-xsrf-token'], tokenOfA);
      assert.equal(landed.headers['x-api-key'], 'key-123');
      assert.equal(landed.headers['x-auth-token'], 'auth-789');
      assert.equal(landed.headers.authorization, 'Basic dXNlcjpwYXNz');
    } finally {
      session.dispose();
    }
  });
});

describe('cross-origin redirects through the CLI (whole process)', () => {
  before(() => buildExtension());

  it('http-session run: B gets neither A\'s CSRF token nor the secret headers; the same origin keeps them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-xorigin-'));
    const headerLines = handWritten.map(([name, value]) => `${name}: ${value}`);
    writeFileSync(
      join(dir, 'flow.http'),
      [
        `GET ${hostA.url}/csrf`,
        '',
        '###',
        `POST ${hostA.url}/away/307`,
        ...headerLines,
        'Content-Type: text/plain',
        '',
        'x=1',
        '',
        '###',
        `DELETE ${hostA.url}/away/302`,
        ...headerLines,
        '',
        '###',
        `POST ${hostA.url}/same/307`,
        ...headerLines,
        '',
      ].join('\n'),
    );
    seen.length = 0;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cliPath, 'run', 'flow.http'], { cwd: dir });
    assert.doesNotMatch(stdout + stderr, /✗/);
    const atB = seen.filter((request) => request.host === 'b');
    assert.deepEqual(atB.map((request) => request.method), ['POST', 'DELETE']);
    for (const request of atB) assert.deepEqual(secretsAt(request), [], `${request.method} at B received ${secretsAt(request).join(', ')}`);
    const atA = seen.filter((request) => request.host === 'a' && request.method !== 'GET');
    assert.ok(atA.every((request) => request.headers['x-xsrf-token'] === tokenOfA && request.headers['x-api-key'] === 'key-123'));
    const landed = atA.find((request) => request.path === '/landed');
    assert.equal(landed?.headers['x-xsrf-token'], tokenOfA, 'same-origin hop keeps the token');
    assert.equal(landed?.headers['x-auth-token'], 'auth-789');
  });
});
