// Ctrl+C while `http-session run` waits for a browser sign-in (Authorization Code): the CLI, a whole
// process, has printed the sign-in URL and listens for the redirect; SIGINT ends it and its loopback
// listener with it, so nothing is left waiting for a code.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildExtension } from '../../support/build';
import { startCli } from '../../support/cli';

let dir: string;

before(async () => {
  await buildExtension();
  dir = await mkdtemp(join(tmpdir(), 'hs-cli-cancel-'));
  // Nobody visits the Auth URL or the Token URL: the sign-in is interrupted before.
  const web = { Type: 'OAuth2', 'Grant Type': 'Authorization Code', 'Auth URL': 'http://127.0.0.1:9/authorize', 'Token URL': 'http://127.0.0.1:9/token', 'Redirect URL': 'http://127.0.0.1:0/callback', 'Client ID': 'web', 'Client Credentials': 'none', PKCE: true };
  await writeFile(join(dir, 'http-client.env.json'), JSON.stringify({ dev: { Security: { Auth: { web } } } }));
  await writeFile(join(dir, 'web.http'), 'GET http://127.0.0.1:9/api\nAuthorization: Bearer {{$auth.token("web")}}\n');
});
after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

test('Ctrl+C while the CLI waits for the sign-in: the process ends and its redirect listener is closed', { timeout: 60_000 }, async () => {
  const cli = startCli(dir, 'run', 'web.http', '--env', 'dev');
  const [, signInUrl] = await cli.line(/^auth configuration 'web': sign in at (\S+)$/);
  const redirect = new URL(signInUrl!).searchParams.get('redirect_uri')!;
  const waiting = await fetch(redirect); // no state: refused, and the listener waits on
  assert.equal(waiting.status, 400);
  cli.interrupt();
  const run = await cli.done;
  assert.notEqual(run.code, 0);
  await assert.rejects(fetch(redirect), 'the listener is gone');
});
