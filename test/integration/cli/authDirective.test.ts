// `# @auth name` through `http-session run` as a whole process: a file-level default (a block of its own
// before the first request) and a per-request one add `Authorization: Bearer` with the session's token of
// that auth configuration (or the `Basic`/`Bearer` credentials written); a request that writes its own
// Authorization keeps it. Also the YAML `auth:` key.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildExtension } from '../../support/build';
import { runCli } from '../../support/cli';

const clientSecret = 'auth-directive-secret-1b7e';
/** The Authorization header of each API request, in order; tokens are `token-<config>-<n>`. */
const apiSaw: (string | undefined)[] = [];
let issuedCount = 0;
let server: Server;
let dir: string;

before(async () => {
  await buildExtension();
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/token/')) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return void response.end(JSON.stringify({ access_token: `token-${url.pathname.slice(7)}-${++issuedCount}`, expires_in: 3600 }));
    }
    apiSaw.push(request.headers.authorization);
    response.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'hs-auth-directive-'));
  const config = (name: string) => ({ Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': `${base}/token/${name}`, 'Client ID': 'c' });
  await writeFile(join(dir, 'http-client.env.json'), JSON.stringify({ dev: { base, Security: { Auth: { api: config('api'), admin: config('admin') } } } }));
  await writeFile(join(dir, 'http-client.private.env.json'), JSON.stringify({ dev: { Security: { Auth: { api: { 'Client Secret': clientSecret }, admin: { 'Client Secret': clientSecret } } } } }));
});
after(async () => {
  server?.closeAllConnections();
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cases: readonly (readonly [what: string, file: string, text: string, expected: (string | undefined)[]])[] = [
  [
    'a file-level @auth: every request without its own Authorization; a request @auth and a written header win',
    'file.http',
    ['# @auth api', '', '### one', 'GET {{base}}/a', '', '### two', 'GET {{base}}/b', '', '### admin', '# @auth admin', 'GET {{base}}/c', '', '### own', 'GET {{base}}/d', 'Authorization: Basic dTpw', ''].join('\n'),
    ['Bearer token-api-N', 'Bearer token-api-N', 'Bearer token-admin-N', 'Basic dTpw'],
  ],
  ['@auth on one request only', 'one.http', ['GET {{base}}/a', '', '###', '# @auth api', 'GET {{base}}/b', ''].join('\n'), [undefined, 'Bearer token-api-N']],
  ['YAML `auth:` on a request', 'requests.http.yaml', ['requests:', '  - GET: "{{base}}/a"', '    auth: admin', ''].join('\n'), ['Bearer token-admin-N']],
  [
    'Basic and Bearer credentials as the file default (variables resolved, Basic encoded)',
    'basic.http',
    ['@user = alice', '# @auth Basic {{user}} s3cret', '', '### one', 'GET {{base}}/a', '', '### bearer', '# @auth Bearer fixed-{{user}}', 'GET {{base}}/b', ''].join('\n'),
    [`Basic ${Buffer.from('alice:s3cret').toString('base64')}`, 'Bearer fixed-alice'],
  ],
];

test('@auth adds the Bearer token of its auth configuration, or the Basic/Bearer credentials it writes, per case', { timeout: 120_000 }, async () => {
  for (const [what, file, text, expected] of cases) {
    await writeFile(join(dir, file), text);
    apiSaw.length = 0;
    const { code, stdout, stderr } = await runCli(dir, 'run', file, '--env', 'dev');
    assert.equal(code, 0, `${what}\n${stdout}${stderr}`);
    assert.deepEqual(apiSaw.map((header) => header?.replace(/-\d+$/, '-N')), expected, what);
    assert.ok(!`${stdout}${stderr}`.includes('token-api-') && !`${stdout}${stderr}`.includes(clientSecret), `${what}: nothing secret printed`);
  }
});
