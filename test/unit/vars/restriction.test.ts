// Restricted resolution (VS Code's Restricted Mode) on a real file tree: symlinks, `..` and absolute paths
// cannot reach a file outside the workspace folder; `$processEnv` / `$dotenv`, the private env file and
// the settings' environments are not read. Each case also runs unrestricted, where the same read works.
import assert from 'node:assert/strict';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { nodeFileReader } from '../../../src/cli/nodeFileReader';
import { parseHttpFile } from '../../../src/core/parse/httpParser';
import { checkVariables } from '../../../src/core/vars/editorSupport';
import { loadEnvironments } from '../../../src/core/vars/environments';
import { resolveRequest } from '../../../src/core/vars/resolveRequest';
import { permittedPath, type Restriction } from '../../../src/core/vars/restriction';
import { makeContext, tempTree } from './support';

let root = '';
let ws = '';
let restricted: Restriction;
let cleanup: () => Promise<void> = async () => {};

before(async () => {
  ({ root, cleanup } = await tempTree({
    'outside.txt': 'OUTSIDE-SECRET',
    'outside-env.json': JSON.stringify({ $shared: { leaked: 'OUTSIDE-ENV' } }),
    'ws/data/body.txt': 'inside body',
    'ws/.env': 'TOKEN=DOTENV-SECRET\n',
    'ws/http-client.env.json': JSON.stringify({ $shared: { host: 'http://127.0.0.1:1' } }),
    'ws/http-client.private.env.json': JSON.stringify({ $shared: { token: 'PRIVATE-SECRET' } }),
    'ws/linked/http-client.private.env.json': JSON.stringify({ $shared: { token: 'PRIVATE-SECRET' } }),
  }));
  ws = join(root, 'ws');
  restricted = { workspaceFolder: ws };
  await symlink(join(root, 'outside.txt'), join(ws, 'link-out.txt'));
  await symlink(join(ws, 'data/body.txt'), join(ws, 'link-in.txt'));
  await symlink(root, join(ws, 'parent'));
  await symlink(ws, join(root, 'ws-link'));
  await symlink(join(root, 'outside-env.json'), join(ws, 'linked/http-client.env.json'));
});
after(() => cleanup());

test('permittedPath: only real paths inside the workspace folder, whatever the path says', async () => {
  const cases: readonly { path: string; restriction?: Restriction; read?: string; refusedFor?: RegExp; why: string }[] = [
    { path: join(ws, 'data/body.txt'), restriction: restricted, read: join(ws, 'data/body.txt'), why: 'a file inside' },
    { path: join(ws, 'link-in.txt'), restriction: restricted, read: join(ws, 'data/body.txt'), why: 'a symlink to a file inside reads its target' },
    { path: join(ws, 'link-out.txt'), restriction: restricted, refusedFor: /link-out\.txt is outside the workspace folder \(it leads to .*outside\.txt\)/, why: 'a symlink out' },
    { path: join(ws, 'parent/outside.txt'), restriction: restricted, refusedFor: /outside the workspace folder/, why: 'through a symlinked directory' },
    { path: join(ws, '../outside.txt'), restriction: restricted, refusedFor: /outside\.txt is outside the workspace folder/, why: '`..`' },
    { path: join(root, 'outside.txt'), restriction: restricted, refusedFor: /outside the workspace folder/, why: 'an absolute path' },
    { path: ws, restriction: restricted, refusedFor: /outside the workspace folder/, why: 'the folder itself is no file inside it' },
    { path: join(root, 'ws-link/data/body.txt'), restriction: { workspaceFolder: join(root, 'ws-link') }, read: join(ws, 'data/body.txt'), why: 'a workspace folder opened through a symlink' },
    { path: join(root, 'outside.txt'), restriction: { workspaceFolder: undefined }, refusedFor: /outside a workspace folder/, why: 'no workspace folder: no file' },
    { path: join(ws, 'missing.txt'), restriction: restricted, read: join(ws, 'missing.txt'), why: 'a missing file keeps its path: the read reports it' },
    { path: join(ws, 'link-out.txt'), read: join(ws, 'link-out.txt'), why: 'unrestricted: any path, as written' },
  ];
  for (const { path, restriction, read, refusedFor, why } of cases) {
    const permitted = await permittedPath(path, restriction, nodeFileReader);
    if (refusedFor) {
      assert.ok('refusal' in permitted, `${why}: expected a refusal, got ${JSON.stringify(permitted)}`);
      assert.match(permitted.refusal, refusedFor, why);
    } else assert.deepEqual(permitted, { path: read }, why);
  }
});

function bodyText(body: string | Uint8Array | undefined): string {
  return typeof body === 'string' ? body : Buffer.from(body ?? new Uint8Array()).toString('utf8');
}

/** Resolves the only request of `text`, written as `ws/requests.http`. */
function resolveIn(text: string, restriction: Restriction | undefined, processEnv: Record<string, string> = {}) {
  const file = parseHttpFile(text);
  return resolveRequest(file.requests[0]!, file, makeContext({ requestFile: join(ws, 'requests.http'), restriction, processEnv }));
}

test('a body include outside the folder refuses the request on the include line; unrestricted it is sent', async () => {
  for (const include of ['< ../outside.txt', '<@ ./link-out.txt', `< ${join(root, 'outside.txt')}`, '< ./parent/outside.txt']) {
    const text = `POST http://127.0.0.1:1/upload\nContent-Type: text/plain\n\n${include}\n`;
    const refused = await resolveIn(text, restricted);
    assert.ok('diagnostics' in refused, `${include}: refused`);
    assert.equal(refused.diagnostics.length, 1);
    assert.equal(refused.diagnostics[0]!.code, 'restricted-mode');
    assert.equal(refused.diagnostics[0]!.range.startLine, 3, `${include}: on the include line`);
    assert.match(refused.diagnostics[0]!.message, /outside the workspace folder.*Trust the workspace/);

    const sent = await resolveIn(text, undefined);
    assert.ok('request' in sent, `${include}: unrestricted`);
    assert.equal(bodyText(sent.request.body), 'OUTSIDE-SECRET', include);
  }
});

test('a multipart file part outside the folder is refused; one inside is read and listed in filesRead', async () => {
  const multipart = (path: string) =>
    `POST http://127.0.0.1:1/upload\nContent-Type: multipart/form-data; boundary=b\n\n--b\nContent-Disposition: form-data; name="f"; filename="x"\n\n< ${path}\n--b--\n`;
  const refused = await resolveIn(multipart('./link-out.txt'), restricted);
  assert.ok('diagnostics' in refused);
  assert.deepEqual(refused.diagnostics.map((d) => [d.code, d.range.startLine]), [['restricted-mode', 6]]);

  const inside = await resolveIn(multipart('./link-in.txt'), restricted);
  assert.ok('request' in inside, JSON.stringify(inside));
  assert.deepEqual(inside.filesRead, [join(ws, 'data/body.txt')]);
  assert.match(bodyText(inside.request.body), /\r\n\r\ninside body\r\n--b--/);
});

test('$processEnv and $dotenv are refused at the reference, indirect ones too; unrestricted they resolve', async () => {
  const text = [
    '@keyName = TOKEN',
    'GET http://127.0.0.1:1/?home={{$processEnv HOME}}',
    'X-Token: {{$dotenv TOKEN}}',
    'X-Indirect: {{$processEnv %keyName}}',
    '',
  ].join('\n');
  const env = { HOME: '/home/victim', TOKEN: 'PROCESS-SECRET' };
  const refused = await resolveIn(text, restricted, env);
  assert.ok('diagnostics' in refused);
  assert.deepEqual(
    refused.diagnostics.map((d) => [d.code, d.range.startLine]),
    [
      ['restricted-mode', 1],
      ['restricted-mode', 2],
      ['restricted-mode', 3],
    ],
  );
  const [processEnv, dotenv] = refused.diagnostics;
  assert.equal(processEnv!.message, '$processEnv is not available in Restricted Mode: an untrusted workspace cannot read the process environment. Trust the workspace to use it');
  assert.match(dotenv!.message, /^\$dotenv is not available in Restricted Mode: .* cannot read the \.env file/);

  const sent = await resolveIn(text, undefined, env);
  assert.ok('request' in sent);
  assert.equal(sent.request.url, 'http://127.0.0.1:1/?home=/home/victim');
  assert.deepEqual(sent.request.headers, [['X-Token', 'DOTENV-SECRET'], ['X-Indirect', 'PROCESS-SECRET']]);
});

test('environments: restricted reads the public file only, and only from inside the folder', async () => {
  const settings = { $shared: { fromSettings: 'USER-SETTING' } };
  const restrictedSet = await loadEnvironments(join(ws, 'requests.http'), ws, nodeFileReader, settings, restricted);
  assert.deepEqual(restrictedSet.files, [join(ws, 'http-client.env.json')]);
  assert.deepEqual([...restrictedSet.variables(undefined).keys()], ['host']);

  const trustedSet = await loadEnvironments(join(ws, 'requests.http'), ws, nodeFileReader, settings);
  assert.deepEqual([...trustedSet.variables(undefined).keys()].sort(), ['fromSettings', 'host', 'token']);

  // A public env file that is a symlink out of the folder is not read, and says why.
  const linked = await loadEnvironments(join(ws, 'linked/requests.http'), ws, nodeFileReader, undefined, restricted);
  assert.deepEqual(linked.files, []);
  assert.equal(linked.variables(undefined).size, 0);
  assert.deepEqual(linked.diagnostics.map((d) => [d.code, d.severity, d.file]), [['restricted-mode', 'warning', join(ws, 'linked/http-client.env.json')]]);
  assert.match(linked.diagnostics[0]!.message, /^Not read: .*it leads to .*outside-env\.json/);
  const unrestricted = await loadEnvironments(join(ws, 'linked/requests.http'), ws, nodeFileReader);
  assert.equal(unrestricted.variables(undefined).get('leaked')?.value, 'OUTSIDE-ENV');
});

test('a private value is unresolved in Restricted Mode, and the message says why', async () => {
  const text = 'GET http://127.0.0.1:1/\nX-Token: {{token}}\n';
  const file = parseHttpFile(text);
  const environments = await loadEnvironments(join(ws, 'requests.http'), ws, nodeFileReader, undefined, restricted);
  const result = await resolveRequest(file.requests[0]!, file, makeContext({ requestFile: join(ws, 'requests.http'), restriction: restricted, environments }));
  assert.ok('diagnostics' in result);
  assert.equal(result.diagnostics[0]!.range.startLine, 1);
  assert.match(result.diagnostics[0]!.message, /^Variable 'token' is not defined \(no environment selected\) \(Restricted Mode reads no private env file/);
});

test('the editor check marks $processEnv and $dotenv as errors in Restricted Mode only', async () => {
  const line = 'GET http://127.0.0.1:1/?a={{$processEnv HOME}}&b={{$dotenv X}}&c={{$uuid}}';
  const file = parseHttpFile(`${line}\n`);
  const restrictedCheck = checkVariables(file, makeContext({ restriction: restricted }));
  assert.deepEqual(
    restrictedCheck.map((d) => [d.severity, d.code, d.range.startColumn]),
    [
      ['error', 'restricted-mode', line.indexOf('{{$processEnv')],
      ['error', 'restricted-mode', line.indexOf('{{$dotenv')],
    ],
  );
  assert.deepEqual(checkVariables(file, makeContext()), []);
});
