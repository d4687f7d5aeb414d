// Issue 12, point 8, through the CLI as a whole process: 0.6 KiB of doubling file variables used to
// send a 256 MiB body, and at 26+ levels crash the CLI with a RangeError. Now the request is refused
// with a message naming file:line, nothing reaches the server, and the other requests still run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { buildExtension } from '../../support/build';
import { repoRoot } from '../../support/codeServer';
import { startServer, type LoopbackServer } from '../session/loopback';

let server: LoopbackServer;
const received: string[] = [];
let dir: string;

before(async () => {
  await buildExtension();
  server = await startServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    request.resume();
    response.end('ok');
  });
  dir = await mkdtemp(join(tmpdir(), 'hs-bomb-'));
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test('a doubling-variable body is refused at its line with a clear message; no stack trace; the next request is sent', async () => {
  const lines = ['@a0 = xxxxxxxxxxxxxxxx'];
  for (let level = 1; level <= 30; level++) lines.push(`@a${level} = {{a${level - 1}}}{{a${level - 1}}}`);
  lines.push('', '### the bomb', `POST ${server.url}/upload`, 'Content-Type: text/plain', '', '{{a30}}', '', '### a normal request', `GET ${server.url}/after`, '');
  await writeFile(join(dir, 'bomb.http'), lines.join('\n'));

  const result = await promisify(execFile)(process.execPath, [join(repoRoot, 'dist/cli.js'), 'run', 'bomb.http'], { cwd: dir, maxBuffer: 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^bomb\.http:37:1: not sent: Variable 'a19' expands to more than 4 MiB: its value repeats other variables$/m);
  assert.doesNotMatch(result.stderr, /RangeError|\n\s+at /, 'no stack trace');
  assert.deepEqual(received, ['GET /after'], 'the bomb was not sent; the next request was');
  assert.ok(result.stdout.length < 10_000, 'nothing large was printed');
});
