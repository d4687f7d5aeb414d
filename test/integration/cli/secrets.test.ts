// Secrets through `http-session run` as a whole process (node dist/cli.js): private env values, secret
// headers and session cookies never appear in what the CLI prints (-v, the normal output, --json) nor in
// the history of the session file it saves; `cookies clear` leaves the session id nowhere in that file.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildExtension } from '../../support/build';
import { runCli as cli } from '../../support/cli';

const password = 'hunter2-private-pw';
const apiKey = 'ak_live_0123456789abcdef';

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('http-session run keeps secrets out of its output and its session file (whole process)', () => {
  let server: Server;
  let host = '';
  let dir = '';
  /** What reached the server: proof that the secrets were really sent. */
  const received: string[] = [];
  const sessionIds: string[] = [];

  before(async () => {
    await buildExtension();
    server = createServer((request, response) => {
      void bodyOf(request).then((body) => {
        received.push(`${request.method} ${request.url} ${JSON.stringify(request.headers)} ${body}`);
        if (request.url === '/login') {
          const id = randomBytes(16).toString('hex').toUpperCase();
          sessionIds.push(id);
          response.writeHead(200, { 'Set-Cookie': `JSESSIONID=${id}; Path=/; HttpOnly`, 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ user: 'alice' }));
          return;
        }
        if (request.url?.startsWith('/sized')) {
          response.writeHead(200, { 'Content-Type': 'text/plain' }).end('x'.repeat(1234));
          return;
        }
        // Echoes the key back in a header whose name says nothing: only masking by value hides it.
        response.writeHead(200, { 'X-Echo': String(request.headers['x-custom'] ?? ''), 'Content-Type': 'application/json' });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'hs-secrets-'));
    writeFileSync(join(dir, 'http-client.env.json'), JSON.stringify({ local: { host } }));
    writeFileSync(join(dir, 'http-client.private.env.json'), JSON.stringify({ local: { password, apiKey } }));
    writeFileSync(
      join(dir, 'flow.http'),
      [
        '### ',
        '# @name login',
        'POST {{host}}/login',
        'Content-Type: application/x-www-form-urlencoded',
        '',
        'username=alice&password={{password}}',
        '',
        '###',
        '# @name data',
        'GET {{host}}/data?key={{apiKey}}',
        'X-Auth-Token: {{apiKey}}',
        'X-Custom: {{apiKey}}',
        '',
      ].join('\n'),
    );
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function assertNoSecret(text: string, what: string): void {
    for (const secret of [password, apiKey, encodeURIComponent(password)]) assert.ok(!text.includes(secret), `${what} shows ${secret}:\n${text}`);
  }

  it('-v and the normal output mask the private values, in the URL, in headers and echoed back', async () => {
    const run = await cli(dir, 'run', 'flow.http', '--env', 'local', '-v', '--session', 'state.json');
    assert.equal(run.code, 0, run.stderr);
    assert.ok(received.some((line) => line.includes(`password=${password}`)) && received.some((line) => line.includes(`key=${apiKey}`)), 'the secrets were sent');
    assert.match(run.stderr, /^ {2}X-Echo: /m, 'the trace shows the echoed header');
    assertNoSecret(run.stdout, 'stdout');
    assertNoSecret(run.stderr, 'the -v trace');
    assert.match(run.stdout, /GET http:\/\/127\.0\.0\.1:\d+\/data\?key=•+ /);
    assert.match(run.stderr, /^ {2}X-Auth-Token: ••••••$/m);
  });

  it('--json masks them too', async () => {
    const run = await cli(dir, 'run', 'flow.http', '--env', 'local', '--json');
    assert.equal(run.code, 0, run.stderr);
    const results = (JSON.parse(run.stdout) as { results: { name: string; url: string }[] }).results;
    assert.deepEqual(results.map((r) => r.name), ['login', 'data']);
    assertNoSecret(run.stdout, '--json');
  });

  it('a private value that is also a number in the output (a body size) is masked in --json and --junit without breaking either', async () => {
    const size = '1234';
    const sizeDir = mkdtempSync(join(tmpdir(), 'hs-secrets-size-'));
    writeFileSync(join(sizeDir, 'http-client.env.json'), JSON.stringify({ local: { host } }));
    writeFileSync(join(sizeDir, 'http-client.private.env.json'), JSON.stringify({ local: { size } }));
    writeFileSync(join(sizeDir, 'sized.http'), `GET {{host}}/sized?n={{size}}\n\n> {% client.test("size " + response.body.length, () => {}); %}\n`);
    const run = await cli(sizeDir, 'run', 'sized.http', '--env', 'local', '--json', '--junit', 'report.xml');
    assert.equal(run.code, 0, run.stderr);
    const [result] = (JSON.parse(run.stdout) as { results: { url: string; body: { size: number }; tests: { name: string }[] }[] }).results;
    assert.equal(result!.body.size, 1234, 'numbers stay numbers');
    assert.deepEqual([result!.url.endsWith('n=••••••'), result!.tests[0]!.name], [true, 'size ••••••']);
    const xml = readFileSync(join(sizeDir, 'report.xml'), 'utf8');
    assert.match(xml, /<testcase classname="GET \{\{host\}\}\/sized\?n=\{\{size\}\}" name="size ••••••" time="\d+\.\d{3}"\/>/);
  });

  it('the saved session keeps no credential in its history, and `cookies clear` leaves the session id nowhere', async () => {
    const stored = readFileSync(join(dir, 'state.json'), 'utf8');
    const sessionId = sessionIds[0]!;
    const { history, jar } = (JSON.parse(stored) as { sessions: Record<string, { history: unknown; jar: unknown }> }).sessions['default']!;
    assertNoSecret(stored, 'the session file');
    assert.ok(!JSON.stringify(history).includes(sessionId), 'no session id in the stored history');
    assert.ok(JSON.stringify(jar).includes(sessionId), 'the jar keeps the session (this is what clear must remove)');

    const clear = await cli(dir, 'cookies', 'clear', '--session', 'state.json');
    assert.equal(clear.code, 0, clear.stderr);
    assert.ok(!readFileSync(join(dir, 'state.json'), 'utf8').includes(sessionId), 'the session id is gone from the file');
  });
});
