// `http-session run` as a whole process (node dist/cli.js) against a loopback session server: the
// flags, named sessions, the saved session across runs, and the exit codes scripts rely on.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildExtension } from '../../support/build';
import { runCli as cli } from '../../support/cli';
import { startSessionServer, type SessionServer } from '../../support/sessionServer';

/** A port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('http-session run (whole process)', () => {
  let server: SessionServer;
  let dir: string;

  before(async () => {
    await buildExtension();
    server = await startSessionServer();
    dir = mkdtempSync(join(tmpdir(), 'hs-run-'));
    writeFileSync(join(dir, 'http-client.env.json'), JSON.stringify({ local: { host: server.url, user: 'public-user' } }));
    writeFileSync(join(dir, 'http-client.private.env.json'), JSON.stringify({ local: { user: 'private-user' } }));
    writeFileSync(
      join(dir, 'flow.http'),
      [
        '@who = from-file',
        '### ',
        '# @name login',
        'POST {{host}}/login',
        '',
        '###',
        '# @name me',
        'GET {{host}}/me?who={{who}}&user={{user}}',
        '',
        '###',
        '# @name adminLogin',
        '# @session admin',
        'POST {{host}}/login',
        '',
        '###',
        '# @name adminMe',
        '# @session admin',
        'GET {{host}}/me',
        '',
      ].join('\n'),
    );
  });
  after(() => server.close());

  it('runs in order through one session; @session admin is a second session; --session keeps both for the next run', async () => {
    const first = await cli(dir, 'run', 'flow.http', '--env', 'local', '--session', 'state.json', '--json');
    assert.equal(first.code, 0, first.stderr);
    const results = (JSON.parse(first.stdout) as { results: { name: string; status: number; cookies: { sent: { name: string; source: string }[] } }[] }).results;
    assert.deepEqual(results.map((r) => [r.name, r.status]), [['login', 200], ['me', 200], ['adminLogin', 200], ['adminMe', 200]]);
    assert.deepEqual(results[1].cookies.sent, [{ name: 'JSESSIONID', source: 'jar' }]);
    const [userSession, adminSession] = server.issuedSessions.slice(-2);
    const sessionsAtMe = server.requests.filter((r) => r.path.startsWith('/me')).map((r) => r.sessionId);
    assert.deepEqual(sessionsAtMe, [userSession, adminSession], 'two users at once: each session sends its own JSESSIONID');
    assert.match(server.requests.find((r) => r.path.startsWith('/me?'))!.path, /who=from-file&user=private-user/, 'private env values override public ones');

    const second = await cli(dir, 'run', 'flow.http', '--env', 'local', '--session', 'state.json', '--name', 'me', '--name', 'adminMe');
    assert.equal(second.code, 0, second.stderr);
    const lastTwo = server.requests.slice(-2);
    assert.deepEqual(lastTwo.map((r) => r.sessionId), [userSession, adminSession], 'the saved sessions were restored, and --name ran only those requests');
    assert.match(second.stdout, /^✓ 200 .* GET .*\/me\?who=from-file.* \(me\) {2}flow\.http:8$/m);
  });

  it('--var overrides file and environment variables', async () => {
    const run = await cli(dir, 'run', 'flow.http', '--env', 'local', '--name', 'me', '--var', 'who=from-cli', '--var', 'user=cli-user');
    assert.equal(run.code, 0, run.stderr);
    assert.match(server.requests.at(-1)!.path, /who=from-cli&user=cli-user/);
  });

  it('-v traces each hop on stderr with the cookie value masked', async () => {
    const run = await cli(dir, 'run', 'flow.http', '--env', 'local', '--session', 'state.json', '--name', 'me', '-v');
    assert.equal(run.code, 0);
    assert.match(run.stderr, /Cookie: JSESSIONID=(\S{4}…\S{4}|••••••)$/m);
    assert.ok(!run.stderr.includes(server.issuedSessions[0]), 'no session id in the trace');
  });

  it('exits 1 on a transport error, 2 on a file error (named file:line) or an unresolved variable', async () => {
    writeFileSync(join(dir, 'down.http'), `GET http://127.0.0.1:${await closedPort()}/x\n`);
    const down = await cli(dir, 'run', 'down.http');
    assert.equal(down.code, 1);
    assert.match(down.stdout, /✗ HS_CONNECT_REFUSED/);

    writeFileSync(join(dir, 'broken.http'), 'GET http://127.0.0.1/x\nnot a header\n');
    const broken = await cli(dir, 'run', 'broken.http');
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^broken\.http:2:1: error: /m);

    // One broken request does not stop the file's others: they are sent, the exit code still says 2.
    writeFileSync(join(dir, 'partly.http'), `GET ${server.url}/whoami\n\n###\nGET ${server.url}/broken\nnot a header\n\n###\nGET ${server.url}/whoami?again\n`);
    const partly = await cli(dir, 'run', 'partly.http');
    assert.equal(partly.code, 2);
    assert.match(partly.stderr, /^partly\.http:5:1: error: /m);
    assert.equal((partly.stdout.match(/\/whoami/g) ?? []).length, 2, partly.stdout);
    assert.doesNotMatch(partly.stdout, /\/broken/);

    const before = server.requests.length;
    const unresolved = await cli(dir, 'run', 'flow.http', '--name', 'me');
    assert.equal(unresolved.code, 2, 'no environment: {{host}} is unresolved');
    assert.match(unresolved.stderr, /flow\.http:8:\d+: not sent: .*'host'/);
    assert.equal(server.requests.length, before, 'nothing was sent');

    assert.equal((await cli(dir, 'run', 'flow.http', '--name', 'nobody')).code, 2);
  });
});
