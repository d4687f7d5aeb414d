// Cancelling a request whose token waits for a person (the Authorization Code sign-in in the browser,
// the Device Authorization poll): the request's AbortSignal reaches the token store through
// prepareRequest, the wait stops, the loopback redirect listener closes, and the request is refused with
// a message naming the auth configuration and the line. A real loopback authorization server answers.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { memoryStorage } from '../../../src/cli/jsonFileStorage';
import { nodeFileReader } from '../../../src/cli/nodeFileReader';
import { parseRequestFile } from '../../../src/core/parse';
import { systemClock } from '../../../src/core/ports';
import { prepareRequest } from '../../../src/core/run/runRequest';
import { SessionRegistry } from '../../../src/core/session';
import { loadEnvironments } from '../../../src/core/vars/environments';
import { startServer, type LoopbackServer } from '../session/loopback';

let authServer: LoopbackServer;
/** The paths the authorization server was asked for, in order. */
const asked: string[] = [];
let dir: string;

before(async () => {
  authServer = await startServer((request, response) => {
    asked.push(request.url ?? '');
    response.setHeader('Content-Type', 'application/json');
    if (request.url === '/device') return response.end(JSON.stringify({ device_code: 'D', user_code: 'ABCD-EFGH', verification_uri: `${authServer.url}/activate`, interval: 1, expires_in: 60 }));
    response.writeHead(400).end(JSON.stringify({ error: 'authorization_pending' }));
  });
  dir = await mkdtemp(join(tmpdir(), 'hs-cancel-sign-in-'));
  const common = { Type: 'OAuth2', 'Token URL': `${authServer.url}/token`, 'Client ID': 'c', 'Client Credentials': 'none', Scope: 'read' };
  const auth = {
    web: { ...common, 'Grant Type': 'Authorization Code', 'Auth URL': `${authServer.url}/authorize`, 'Redirect URL': 'http://127.0.0.1:0/callback', PKCE: true },
    tv: { ...common, 'Grant Type': 'Device Authorization', 'Device Auth URL': `${authServer.url}/device` },
  };
  await writeFile(join(dir, 'http-client.env.json'), JSON.stringify({ dev: { Security: { Auth: auth } } }));
});
after(async () => {
  await authServer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

for (const { config, grant } of [
  { config: 'web', grant: 'Authorization Code: the sign-in page is open' },
  { config: 'tv', grant: 'Device Authorization: the user code is shown, the poll waits' },
]) {
  test(`cancelled while waiting for the user — ${grant}: the request is refused as cancelled and nothing waits any more`, async () => {
    asked.length = 0;
    const path = join(dir, `${config}.http`);
    const cancel = new AbortController();
    const opened: string[] = [];
    // Plays the user: they see the page, then press Cancel instead of signing in.
    const authorizationPrompt = {
      openAuthorizationUrl(url: string) {
        opened.push(url);
        cancel.abort();
      },
    };
    const { registry } = await SessionRegistry.restore(memoryStorage, { clock: systemClock, authorizationPrompt });
    try {
      const file = parseRequestFile(`\nGET ${authServer.url}/api\nAuthorization: Bearer {{$auth.token("${config}")}}\n`, path);
      const context = { registry, reader: nodeFileReader, clock: systemClock, processEnv: {}, environmentName: 'dev', environments: await loadEnvironments(path, dir, nodeFileReader) };
      const outcome = await prepareRequest(file.requests[0]!, file, path, context, cancel.signal);
      assert.equal(outcome.kind, 'refused');
      const [diagnostic] = outcome.kind === 'refused' ? outcome.diagnostics : [];
      assert.equal(diagnostic!.range.startLine + 1, 3, 'on the line that uses the token');
      assert.equal(diagnostic!.message, `auth configuration '${config}': the sign-in was cancelled`);
      assert.equal(opened.length, 1);
      if (config === 'web') {
        const redirect = new URL(opened[0]!).searchParams.get('redirect_uri')!;
        await assert.rejects(fetch(redirect), 'the redirect listener is closed');
      }
      assert.deepEqual(asked.filter((url) => url.startsWith('/token')), [], 'no token was asked for after the cancel');
    } finally {
      registry.dispose();
    }
  });
}
