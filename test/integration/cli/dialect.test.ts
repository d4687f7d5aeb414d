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
});
