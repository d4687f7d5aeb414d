import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { nodeFileReader } from '../../../src/cli/nodeFileReader';
import { loadEnvironments, type EnvironmentSet } from '../../../src/core/vars/environments';
import { tempTree } from './support';

let root = '';
let cleanup: () => Promise<void> = async () => {};

before(async () => {
  ({ root, cleanup } = await tempTree({
    // Above the workspace root: must never be read.
    'http-client.env.json': JSON.stringify({ above: { leaked: 'yes' } }),
    'http-client.private.env.json': JSON.stringify({ dev: { password: 'above-secret' } }),
    'ws/http-client.env.json': JSON.stringify({ $shared: { host: 'root-shared' }, dev: { host: 'root-dev' }, rootOnly: {} }),
    'ws/http-client.private.env.json': JSON.stringify({ $shared: { apiKey: 'shared-secret' }, dev: { password: 'root-secret', user: 'bob' } }),
    'ws/api/http-client.env.json': JSON.stringify({
      $schema: 'https://example.com/schema.json',
      $shared: { version: 1, host: 'api-shared', user: 'shared-user' },
      dev: { host: 'dev.local', port: 8080, debug: true, user: 'alice', nothing: null, auth: { realm: 'users', tries: 3 }, tags: ['a', 'b'] },
      prod: { host: 'prod.example.com' },
    }),
    'ws/api/users/get.http': 'GET {{host}}',
    'ws/broken/http-client.env.json': '{\n  "dev": {\n    "host": "x"\n    "port": 1\n  }\n}\n',
    // As JetBrains users write them: a BOM, comments, a trailing comma.
    'ws/jsonc/http-client.env.json': '\uFEFF// environments\n{\n  /* local */ "dev": { "host": "localhost", // the dev box\n  },\n}\n',
    'ws/jsonc/req.http': '',
    'ws/broken/http-client.private.env.json': JSON.stringify({ dev: { password: 'still-loaded' } }),
    'ws/broken/req.http': '',
    'ws/truncated/http-client.env.json': '{\n  "dev": {\n',
    'ws/truncated/req.http': '',
    'ws/shape/http-client.env.json': '{\n  "dev": "oops",\n  "ok": { "a": "1" }\n}',
    'ws/shape/req.http': '',
    'ws/lone/req.http': '',
  }));
});
after(() => cleanup());

function values(set: EnvironmentSet, env: string | undefined): Record<string, string> {
  return Object.fromEntries([...set.variables(env)].map(([key, value]) => [key, value.value]));
}

test('nearest public file and nearest private file are found independently, climbing to the workspace root', async () => {
  const set = await loadEnvironments(join(root, 'ws/api/users/get.http'), join(root, 'ws'), nodeFileReader);
  assert.deepEqual(set.files, [join(root, 'ws/api/http-client.env.json'), join(root, 'ws/http-client.private.env.json')]);
  assert.deepEqual(set.names, ['dev', 'prod']);
  assert.deepEqual(set.diagnostics, []);
});

const lookups: readonly { env: string | undefined; key: string; value: string | undefined; private?: boolean; why: string }[] = [
  { env: 'dev', key: 'host', value: 'dev.local', why: 'env value overrides $shared' },
  { env: 'prod', key: 'host', value: 'prod.example.com', why: 'each env has its own' },
  { env: 'prod', key: 'version', value: '1', why: '$shared applies to every env; numbers become strings' },
  { env: undefined, key: 'host', value: 'api-shared', why: 'no env selected: $shared only' },
  { env: 'dev', key: 'port', value: '8080', why: 'number' },
  { env: 'dev', key: 'debug', value: 'true', why: 'boolean' },
  { env: 'dev', key: 'nothing', value: '', why: 'null is empty' },
  { env: 'dev', key: 'auth', value: '{"realm":"users","tries":3}', why: 'object kept as JSON' },
  { env: 'dev', key: 'auth.realm', value: 'users', why: 'object flattened to dotted keys' },
  { env: 'dev', key: 'auth.tries', value: '3', why: 'nested number' },
  { env: 'dev', key: 'tags', value: '["a","b"]', why: 'array kept as JSON only' },
  { env: 'dev', key: 'user', value: 'bob', private: true, why: 'private overrides public per key' },
  { env: 'dev', key: 'password', value: 'root-secret', private: true, why: 'private-only key' },
  { env: 'prod', key: 'apiKey', value: 'shared-secret', private: true, why: 'private $shared applies to every env' },
  { env: 'prod', key: 'user', value: 'shared-user', private: false, why: 'private dev value does not leak into prod' },
  { env: 'dev', key: 'leaked', value: undefined, why: 'files above the workspace root are not read' },
  { env: 'dev', key: '$schema', value: undefined, why: '$schema is metadata' },
];

for (const { env, key, value, private: isPrivate, why } of lookups) {
  test(`env ${env ?? '(none)'} ${key}: ${why}`, async () => {
    const set = await loadEnvironments(join(root, 'ws/api/users/get.http'), join(root, 'ws'), nodeFileReader);
    const found = set.variables(env).get(key);
    assert.equal(found?.value, value);
    if (isPrivate !== undefined) assert.equal(found?.private, isPrivate);
  });
}

test('private values carry the file they came from', async () => {
  const set = await loadEnvironments(join(root, 'ws/api/users/get.http'), join(root, 'ws'), nodeFileReader);
  assert.equal(set.variables('dev').get('password')?.origin, join(root, 'ws/http-client.private.env.json'));
  assert.equal(set.variables('dev').get('host')?.origin, join(root, 'ws/api/http-client.env.json'));
});

test('without a workspace root only the request file directory is searched', async () => {
  const set = await loadEnvironments(join(root, 'ws/api/users/get.http'), undefined, nodeFileReader);
  assert.deepEqual(set.files, []);
  assert.deepEqual(set.names, []);
});

test('a request file outside the workspace does not climb', async () => {
  const set = await loadEnvironments(join(root, 'ws/lone/req.http'), join(root, 'ws/api'), nodeFileReader);
  assert.deepEqual(set.files, []);
});

test('broken JSON gives a diagnostic with file, line and column; the private file still loads', async () => {
  const file = join(root, 'ws/broken/http-client.env.json');
  const set = await loadEnvironments(join(root, 'ws/broken/req.http'), join(root, 'ws'), nodeFileReader);
  assert.equal(set.diagnostics.length, 1);
  const [diagnostic] = set.diagnostics;
  assert.equal(diagnostic!.file, file);
  assert.equal(diagnostic!.code, 'env-file-json');
  assert.deepEqual([diagnostic!.range.startLine, diagnostic!.range.startColumn], [3, 4]);
  assert.match(diagnostic!.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:5: invalid JSON: CommaExpected`));
  assert.deepEqual(values(set, 'dev'), { password: 'still-loaded' });
});

test('env files with a UTF-8 BOM, // and /* */ comments and trailing commas load', async () => {
  const set = await loadEnvironments(join(root, 'ws/jsonc/req.http'), join(root, 'ws'), nodeFileReader);
  assert.deepEqual(set.diagnostics, []);
  assert.equal(values(set, 'dev').host, 'localhost', 'the nearest file wins over the workspace root\'s root-dev');
});

test('JSON cut short is reported at its end', async () => {
  const set = await loadEnvironments(join(root, 'ws/truncated/req.http'), join(root, 'ws'), nodeFileReader);
  assert.deepEqual(set.diagnostics.map((d) => [d.range.startLine, d.range.startColumn]), [[2, 0]]);
});

test('an environment that is not an object is a warning on its line; the others load', async () => {
  const set = await loadEnvironments(join(root, 'ws/shape/req.http'), join(root, 'ws'), nodeFileReader);
  assert.deepEqual(
    set.diagnostics.map((d) => [d.severity, d.range.startLine, d.code]),
    [['warning', 1, 'env-file-shape']],
  );
  assert.deepEqual(values(set, 'ok'), { a: '1', apiKey: 'shared-secret' });
  // `dev` still exists through the private file of the workspace root, without the broken public entry.
  assert.deepEqual(values(set, 'dev'), { apiKey: 'shared-secret', password: 'root-secret', user: 'bob' });
});

test('environments from settings (REST Client) merge under the env files', async () => {
  const extra = {
    $shared: { host: 'settings-shared', fromSettings: 's' },
    dev: { host: 'settings-dev', onlySettings: 'x' },
    staging: { host: 'staging' },
  };
  const set = await loadEnvironments(join(root, 'ws/api/users/get.http'), join(root, 'ws'), nodeFileReader, extra);
  assert.deepEqual(set.names, ['dev', 'prod', 'staging']);
  assert.equal(set.variables('dev').get('host')?.value, 'dev.local');
  assert.equal(set.variables('dev').get('onlySettings')?.value, 'x');
  assert.equal(set.variables('dev').get('onlySettings')?.origin, 'settings');
  // An env's own value from settings beats the env file's $shared.
  assert.equal(set.variables('staging').get('host')?.value, 'staging');
  assert.equal(set.variables('staging').get('version')?.value, '1');
  assert.equal(set.variables('prod').get('fromSettings')?.value, 's');
  assert.equal(set.shared('host')?.value, 'api-shared');
});
