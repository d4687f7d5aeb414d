// One directive table, seen from the command line (node dist/cli.js): the same directives written in
// a .http file and as YAML options behave the same against a loopback server, durations included
// (a bare number is seconds in both), and an old YAML timeout written in milliseconds is pointed out.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildExtension } from '../../support/build';
import { runCli as cli } from '../../support/cli';

interface Result {
  readonly name: string | null;
  readonly status: number | null;
  readonly error: { code: string } | null;
}

describe('directives in .http and YAML files (whole process)', () => {
  let server: Server;
  let host: string;
  let dir: string;

  before(async () => {
    await buildExtension();
    server = createServer((request, response) => {
      if (request.url === '/slow') setTimeout(() => response.end('late but in time'), 100); // network latency, well under a second
      else if (request.url === '/redirect') response.writeHead(302, { Location: '/target' }).end();
      else if (request.url === '/target') response.end('followed');
      // `/hang` never answers: only a timeout ends it.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    dir = mkdtempSync(join(tmpdir(), 'hs-directives-'));
    writeFileSync(
      join(dir, 'requests.http'),
      [
        '# @name bareSeconds',
        '# @timeout 1',
        'GET {{host}}/slow',
        '',
        '###',
        '# @name withUnit',
        '# @timeout 150ms',
        'GET {{host}}/hang',
        '',
        '###',
        '# @name noRedirect',
        '# @no-redirect',
        'GET {{host}}/redirect',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'requests.http.yaml'),
      [
        'requests:',
        '  - name: bareSeconds',
        '    GET: "{{host}}/slow"',
        '    timeout: 1',
        '  - name: withUnit',
        '    GET: "{{host}}/hang"',
        '    timeout: 150ms',
        '  - name: noRedirect',
        '    GET: "{{host}}/redirect"',
        '    redirect: false',
        '',
      ].join('\n'),
    );
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const expected = [
    { name: 'bareSeconds', status: 200, error: null },
    { name: 'withUnit', status: null, error: 'HS_TIMEOUT' },
    { name: 'noRedirect', status: 302, error: null },
  ];

  for (const file of ['requests.http', 'requests.http.yaml']) {
    it(`${file}: a bare timeout is seconds, 150ms is milliseconds, no-redirect shows the 302`, async () => {
      const run = await cli(dir, 'run', file, '--json', '--var', `host=${host}`);
      const { results } = JSON.parse(run.stdout) as { results: Result[] };
      assert.deepEqual(
        results.map((result) => ({ name: result.name, status: result.status, error: result.error?.code ?? null })),
        expected,
        run.stderr,
      );
      assert.equal(run.code, 1, 'the timeout is a transport error');
    });
  }

  it('parse warns, at its line, about a YAML timeout that was milliseconds before', async () => {
    writeFileSync(join(dir, 'old.http.yaml'), ['requests:', '  - GET: http://example.test/', '    timeout: 5000', '    connectionTimeout: 30', ''].join('\n'));
    const parse = await cli(dir, 'parse', 'old.http.yaml');
    assert.equal(parse.code, 0, parse.stderr);
    assert.equal(
      parse.stderr.trim(),
      'old.http.yaml:3:14: warning: `timeout: 5000` is 5000 seconds: a bare number is seconds. Write `5000ms` for milliseconds.',
    );
  });
});
