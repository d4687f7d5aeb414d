// JetBrains scripts through the command line (node dist/cli.js) against a real loopback API: a response
// handler stores a token with client.global.set and the next request sends it; a pre-request script signs
// a body; client.test results in the output, --json, --junit and the exit code; a hostile handler is
// stopped with file:line and the session goes on; --session keeps client.global for the next run.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildExtension } from '../../support/build';
import { runCli as cli } from '../../support/cli';

const token = 'tok-5f1e2d';

describe('JetBrains scripts (whole process)', () => {
  let server: Server;
  let dir: string;
  const signatures: string[] = [];

  before(async () => {
    await buildExtension();
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (request.url === '/login') {
          response.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': ['a=1', 'b=2'] }).end(JSON.stringify({ token, user: { name: 'alice' } }));
        } else if (request.url === '/me') {
          const ok = request.headers.authorization === `Bearer ${token}`;
          response.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' }).end(JSON.stringify(ok ? { name: 'alice' } : { error: 'no token' }));
        } else if (request.url === '/signed') {
          signatures.push(`${String(request.headers['x-signature'])} ${createHash('sha256').update(body).digest('hex')}`);
          response.writeHead(204).end();
        } else {
          response.writeHead(404).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    dir = mkdtempSync(join(tmpdir(), 'hs-scripts-'));
    writeFileSync(
      join(dir, 'flow.http'),
      [
        `@host = ${host}`,
        '',
        '### log in',
        '# @name login',
        'POST {{host}}/login',
        '',
        '> {%',
        '  client.global.set("token", response.body.token);',
        '  client.log("cookies:", response.headers.valuesOf("Set-Cookie").join(","));',
        '  client.test("logged in", () => client.assert(response.status === 200, "status " + response.status));',
        '  client.test("is alice", () => client.assert(response.body.user.name === "alice"));',
        '%}',
        '',
        '### who am I',
        '# @name me',
        'GET {{host}}/me',
        'Authorization: Bearer {{token}}',
        '',
        '> ./checks.js',
        '',
        '### signed',
        '< {%',
        '  request.variables.set("signature", crypto.sha256().updateWithText(request.body.tryGetSubstituted()).digest().toHex());',
        '%}',
        'POST {{host}}/signed',
        'X-Signature: {{signature}}',
        'Content-Type: application/json',
        '',
        '{"user": "{{token}}"}',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'httpyac.http'),
      [
        '{{',
        `  exports.base = '${host}';`,
        '}}',
        '',
        '###',
        '/* logs in; the',
        '   token is exported */',
        '# @name login',
        'POST {{base}}/login',
        '    Content-Type: application/json',
        '',
        '?? status == 200',
        '?? header content-type includes json',
        '?? body user.name == alice',
        '',
        '{{',
        '  exports.token = response.parsedBody.token;',
        "  const { equal } = require('assert');",
        "  test('a token came back', () => equal(typeof response.parsedBody.token, 'string'));",
        '}}',
        '',
        '###',
        '<!-- sends the exported token -->',
        'GET {{base}}/me',
        'Authorization: Bearer {{token}}',
        '',
        '?? status == 200',
        '?? body name == bob',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'checks.js'), 'client.test("me answers 200", function () {\n  client.assert(response.status === 200, "expected 200, got " + response.status);\n});\n');
    writeFileSync(
      join(dir, 'failing.http'),
      [
        `GET ${host}/me`,
        '',
        '> {%',
        '  client.test("needs a token", () => client.assert(response.status === 200, "expected 200 but the API said " + response.status));',
        '%}',
        '',
        '###',
        `GET ${host}/login`,
        '',
        '> {%',
        '  while (true) {}',
        '%}',
        '',
        '###',
        `POST ${host}/login`,
        '',
        '> {% client.test("still running", () => client.assert(response.status === 200)); %}',
        '',
      ].join('\n'),
    );
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a handler stores a token the next request sends; a pre-request script signs the body; tests pass, exit 0', async () => {
    const run = await cli(dir, 'run', 'flow.http', '-v');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✓ test: logged in\n\s+✓ test: is alice/);
    assert.match(run.stdout, /200 OK .*GET .*\/me .*\n(.*\n)*?\s+✓ test: me answers 200/);
    assert.match(run.stderr, /flow\.http:5: client\.log: cookies: a=1,b=2/);
    assert.equal(signatures.length, 1);
    const [sent, computed] = signatures[0]!.split(' ');
    assert.equal(sent, computed, 'the signature the script computed is the hash of the body as sent');
  });

  it('--json carries each request\'s tests; --junit writes one testsuite per file; a failed test exits 1', async () => {
    const run = await cli(dir, 'run', 'flow.http', 'failing.http', '--json', '--junit', 'report.xml');
    assert.equal(run.code, 1, run.stderr);
    const { results } = JSON.parse(run.stdout) as { results: { name: string | null; tests: { name: string; passed: boolean; message?: string }[] }[] };
    assert.deepEqual(results[0]!.tests, [{ name: 'logged in', passed: true }, { name: 'is alice', passed: true }]);
    assert.deepEqual(results[3]!.tests, [{ name: 'needs a token', passed: false, message: 'expected 200 but the API said 401' }]);
    const xml = readFileSync(join(dir, 'report.xml'), 'utf8');
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="http-session" tests="6" failures="2">/);
    assert.match(xml, /<testsuite name="flow\.http" tests="3" failures="0" errors="0" skipped="0" time="[\d.]+">/);
    assert.match(xml, /<testsuite name="failing\.http" tests="3" failures="2"/);
    assert.match(xml, /<testcase classname="login" name="logged in" time="[\d.]+"\/>/);
    assert.match(xml, /<testcase classname="GET http:\/\/127\.0\.0\.1:\d+\/me" name="needs a token" time="[\d.]+">\n\s+<failure message="expected 200 but the API said 401"\/>\n\s+<\/testcase>/);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 6);
  });

  it('httpYac files: a global {{ }} block, ?? assertions and a {{ }} handler whose export the next request sends; a failed ?? exits 1', async () => {
    const run = await cli(dir, 'run', 'httpyac.http', '--json');
    assert.equal(run.code, 1, run.stderr);
    const { results } = JSON.parse(run.stdout) as { results: { name: string | null; status: number; tests: { name: string; passed: boolean; message?: string }[] }[] };
    assert.deepEqual(results.map((result) => result.status), [200, 200], 'the second request sent the exported token');
    assert.deepEqual(results[0]!.tests, [
      { name: 'status == 200', passed: true },
      { name: 'content-type includes json', passed: true },
      { name: 'user.name == alice', passed: true },
      { name: 'a token came back', passed: true },
    ]);
    assert.deepEqual(results[1]!.tests, [{ name: 'status == 200', passed: true }, { name: 'name == bob', passed: false, message: 'got alice, expected == bob' }]);
  });

  it('an endless handler is stopped at its time limit, named by file and line; the next request runs', async () => {
    const run = await cli(dir, 'run', 'failing.http');
    assert.equal(run.code, 1);
    assert.match(run.stdout, /✗ test: response handler at line 10 — .*failing\.http:10: the script ran past its time limit/);
    assert.match(run.stdout, /✓ test: still running/);
  });

  it('--session keeps client.global: a later run sends the stored token without logging in again', async () => {
    const first = await cli(dir, 'run', 'flow.http', '--name', 'login', '--session', 'session.json');
    assert.equal(first.code, 0, first.stderr);
    const second = await cli(dir, 'run', 'flow.http', '--name', 'me', '--session', 'session.json');
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /✓ 200 OK .*\/me/);
    const without = await cli(dir, 'run', 'flow.http', '--name', 'me');
    assert.equal(without.code, 2, 'without the session the token is unknown');
    assert.match(without.stderr, /not sent: .*'token'/);
  });
});
