// Files written for REST Client and the JetBrains HTTP Client, run by the command line (node dist/cli.js)
// against a loopback server that records what arrives: the dialect's constructs go out as those clients
// send them, and one broken request does not stop the others.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildExtension } from '../../support/build';
import { runCli as cli } from '../../support/cli';
import { startRecordingServer, type RecordingServer } from '../../support/recordingServer';

describe('REST Client and JetBrains dialect (whole process)', () => {
  let server: RecordingServer;
  let dir: string;

  before(async () => {
    await buildExtension();
    server = await startRecordingServer();
    dir = mkdtempSync(join(tmpdir(), 'hs-dialect-'));
    // BOM, comments and a trailing comma, as IntelliJ users keep them.
    writeFileSync(join(dir, 'http-client.env.json'), `\uFEFF{\n  // local\n  "dev": { "host": "${server.url}", /* the box */ },\n}\n`);
    writeFileSync(
      join(dir, 'api.http'),
      [
        '# @name = login',
        'POST {{host}}/login',
        'Content-Type: application/x-www-form-urlencoded',
        '',
        'username=alice',
        '&password=secret',
        '',
        '###',
        'POST {{host}}/items',
        'Content-Type: application/json',
        '',
        '# the item',
        '{',
        '// a JetBrains body comment',
        '  "from": "{{login.response.body.received}}",',
        '  "code": "{{$random.alphabetic(6)}}"',
        '}',
        '',
        '@after = body',
        '###',
        'GET {{host}}/broken',
        'not a header',
        '',
        '###',
        'GET {{host}}/last?after={{after}}',
        '',
      ].join('\n'),
    );
  });

  after(() => server.close());

  it('sends each construct as the peers do; the broken request is reported and skipped, the others sent', async () => {
    const run = await cli(dir, 'run', 'api.http', '--env', 'dev');
    assert.equal(run.code, 2, 'a file error is still exit 2');
    assert.match(run.stderr, /^api\.http:22:1: error: /m);
    assert.deepEqual(server.requests.map((r) => r.target), ['/login', '/items', '/last?after=body']);
    const [login, items] = server.requests;
    assert.equal(login!.body, 'username=alice&password=secret');
    const sent = JSON.parse(items!.body) as { from: string; code: string };
    assert.equal(sent.from, '/login', 'chained without $.');
    assert.match(sent.code, /^[A-Za-z]{6}$/);
    assert.doesNotMatch(items!.body, /comment|the item/);
  });

  it('keeps what httpYac gets wrong: no scheme, $shared values, indented query lines, commented-out headers, a literal %, a missing multipart file', async () => {
    const port = new URL(server.url).port;
    const right = mkdtempSync(join(tmpdir(), 'hs-dialect-right-'));
    writeFileSync(join(right, 'http-client.env.json'), JSON.stringify({ $shared: { box: `127.0.0.1:${port}`, token: 'shared-t' }, dev: { region: 'eu' } }));
    writeFileSync(
      join(right, 'right.http'),
      [
        'GET {{box}}/plain',
        '    ?region={{region}}',
        '    &t={{token}}',
        '# X-Off: commented out',
        'X-On: yes',
        '',
        '###',
        'GET {{box}}/sale/50%/now?discount=50%',
        '',
        '###',
        'POST {{box}}/upload',
        'Content-Type: multipart/form-data; boundary=b',
        '',
        '--b',
        'Content-Disposition: form-data; name="file"; filename="gone.txt"',
        '',
        '< ./gone.txt',
        '--b--',
        '',
      ].join('\n'),
    );
    const before = server.requests.length;
    const run = await cli(right, 'run', 'right.http', '--env', 'dev');
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /right\.http:17:\d+: .*gone\.txt/, 'the part whose file is missing is refused at its line, not sent empty');
    const sent = server.requests.slice(before);
    assert.deepEqual(sent.map((r) => r.target), ['/plain?region=eu&t=shared-t', '/sale/50%25/now?discount=50%25']);
    assert.equal(sent[0]!.headers['x-on'], 'yes');
    assert.equal(sent[0]!.headers['x-off'], undefined);
  });

  it('a request line after a body and a blank line, with no ### above it, is sent as the next request and warned about', async () => {
    const loose = mkdtempSync(join(tmpdir(), 'hs-dialect-loose-'));
    writeFileSync(
      join(loose, 'loose.http'),
      [`POST ${server.url}/authenticate HTTP/1.1`, 'Content-Type: application/json', '', '{ "username": "a" }', '', `GET ${server.url}/setup HTTP/1.1`, ''].join('\n'),
    );
    const before = server.requests.length;
    const run = await cli(loose, 'run', 'loose.http');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^loose\.http:6:1: warning: A new request starts here without ### above it/m);
    const sent = server.requests.slice(before);
    assert.deepEqual(sent.map((r) => `${r.method} ${r.target}`), ['POST /authenticate', 'GET /setup']);
    assert.deepEqual(JSON.parse(sent[0]!.body), { username: 'a' });
  });
});
