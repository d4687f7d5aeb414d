// A hostile page must not stall a run: the doctor looks for a CSRF form field in earlier HTML bodies
// when it explains a 403, and a page of thousands of unclosed `<input ` tags made that scan quadratic
// (a 273 KiB page held the CLI for 28 s). The CLI runs as a whole process against a loopback server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { buildExtension } from '../../support/build';
import { repoRoot } from '../../support/codeServer';

const page = '<html><body><form>' + '<input '.repeat(150_000); // ~1 MiB, no tag ever closes
let server: Server;
let base: string;
let dir: string;

before(async () => {
  await buildExtension();
  server = createServer((request, response) => {
    if (request.method === 'GET') {
      response.writeHead(200, { 'Content-Type': 'text/html;charset=UTF-8' });
      return response.end(page);
    }
    request.resume();
    response.writeHead(403, { 'Content-Type': 'application/json' });
    response.end('{"status":403,"error":"Forbidden","path":"/save"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'hs-hostile-'));
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
});

// Before the linear scan this run took minutes: the test's timeout is the proof.
test('a 1 MiB page of unclosed <input tags, then a 403: the run finishes with both answers', { timeout: 30_000 }, async () => {
  await writeFile(join(dir, 'hostile.http'), `# @name page\nGET ${base}/page\n\n###\n# @name save\nPOST ${base}/save\nContent-Type: application/json\n\n{}\n`);
  const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'dist/cli.js'), 'run', 'hostile.http', '--json', '--explain'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  const { results } = JSON.parse(stdout) as { results: { name: string; status: number }[] };
  assert.deepEqual(results.map((result) => [result.name, result.status]), [['page', 200], ['save', 403]]);
});
