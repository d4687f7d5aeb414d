// `http-session run` as a whole process against bodies a server can send: a gzip JSON body is decoded (so
// chaining reads it), a body that never ends and a gzip bomb stop at the 20 MB cap with a note, and an
// encoding that cannot be decoded is said so.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildExtension } from '../../support/build';
import { repoRoot } from '../../support/codeServer';

const zerosMember = gzipSync(Buffer.alloc(1 << 20));
let server: Server;
let dir: string;

/** Writes `chunk` for as long as the client reads. */
function endless(response: ServerResponse, chunk: Buffer): void {
  const write = () => {
    while (response.write(chunk));
  };
  response.on('drain', write);
  write();
}

before(async () => {
  await buildExtension();
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/data':
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        return response.end(gzipSync(JSON.stringify({ token: 'abc-123' })));
      case '/endless':
        response.writeHead(200, { 'Content-Type': 'text/plain' });
        return endless(response, Buffer.alloc(64 * 1024, 'x'));
      case '/bomb':
        response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Encoding': 'gzip' });
        return endless(response, zerosMember);
      case '/zstd':
        response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'zstd' });
        return response.end('(zstd frames)');
      default:
        response.writeHead(200, { 'Content-Type': 'text/plain' });
        return response.end(`saw ${url.search}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = await mkdtemp(join(tmpdir(), 'hs-bodies-'));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await writeFile(
    join(dir, 'bodies.http'),
    [
      `@base = ${base}`,
      '###',
      '# @name data',
      'GET {{base}}/data',
      '',
      '###',
      'GET {{base}}/echo?token={{data.response.body.$.token}}',
      '',
      '###',
      'GET {{base}}/endless',
      '',
      '###',
      'GET {{base}}/bomb',
      '',
      '###',
      'GET {{base}}/zstd',
      '',
    ].join('\n'),
  );
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
});

function run(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [join(repoRoot, 'dist/cli.js'), 'run', 'bodies.http', ...args], { cwd: dir });
}

// Before the cap closed the connection, the endless body kept the run going until the test's timeout.
test('a gzip body is decoded for chaining; an endless body and a gzip bomb stop at the cap with a note', { timeout: 60_000 }, async () => {
  const { stdout } = await run();
  const lines = stdout.split('\n');
  const after = (request: string) => lines[lines.findIndex((line) => line.includes(request)) + 1];
  assert.ok(lines.some((line) => line.includes('/echo?token=abc-123')), stdout);
  assert.ok(!after('/data').startsWith('    body:'), 'no note on a body decoded whole');
  assert.equal(after('/endless'), '    body: truncated at 20.0 MB, the rest was not read.');
  assert.equal(after('/bomb'), '    body: truncated at 20.0 MB, the rest was not read.');
  assert.equal(after('/zstd'), "    body: Content-Encoding 'zstd' is not supported: the body is shown as received.");
});

test('--json carries the body size, the size on the wire, truncation and the decoding problem', { timeout: 60_000 }, async () => {
  const { stdout } = await run('--json');
  const { results } = JSON.parse(stdout) as { results: { url: string; body: object }[] };
  const bodyOf = (path: string) => results.find((result) => result.url.endsWith(path))?.body;
  const data = gzipSync(JSON.stringify({ token: 'abc-123' }));
  assert.deepEqual(bodyOf('/data'), { size: JSON.stringify({ token: 'abc-123' }).length, encodedSize: data.length, truncated: false });
  assert.deepEqual(bodyOf('/endless'), { size: 20 * 1024 * 1024, truncated: true });
  assert.deepEqual(bodyOf('/zstd'), { size: 13, truncated: false, decodingProblem: "Content-Encoding 'zstd' is not supported: the body is shown as received." });
});
