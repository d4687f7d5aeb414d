// The Python export's generator: what it writes for each construct (a golden file), and that a
// private value never reaches a script. Running the scripts against real servers is in
// test/integration/export/.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeFileReader } from '../../../src/cli/nodeFileReader';
import { defaultCsrfNames } from '../../../src/core/doctor/context';
import { exportPythonScript } from '../../../src/core/export/pythonExport';
import { parseRequestFile } from '../../../src/core/parse';
import { loadEnvironments } from '../../../src/core/vars/environments';

const golden = join(import.meta.dirname, 'golden');

async function exportFile(file: string, environmentName: string, only?: string[]) {
  const path = join(golden, file);
  const parsed = parseRequestFile(readFileSync(path, 'utf8'), path);
  const environments = await loadEnvironments(path, golden, nodeFileReader);
  const requests = only?.length ? parsed.requests.filter((request) => request.name !== undefined && only.includes(request.name)) : undefined;
  return exportPythonScript({ file: parsed, requestFile: path, environments, environmentName, requests, csrf: { ...defaultCsrfNames, mode: 'auto' } });
}

test('every construct is written as the golden script says (UPDATE_GOLDEN=1 rewrites it)', async () => {
  const { script, environmentVariables } = await exportFile('constructs.http', 'dev');
  const expectedPath = join(golden, 'constructs.py');
  if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, script);
  assert.equal(script, readFileSync(expectedPath, 'utf8'));
  assert.deepEqual(environmentVariables, ['secret', 'HOME']);
});

test('a private env value is never written into the script, whichever requests are exported', async () => {
  for (const only of [[], ['login'], ['profile']]) {
    const { script } = await exportFile('constructs.http', 'dev', only);
    assert.ok(!script.includes('s3cr3t-PRIVATE-value'), `exported ${JSON.stringify(only)}`);
  }
  const { script } = await exportFile('constructs.http', 'dev', ['login']);
  assert.match(script, /^SECRET = os\.environ\["secret"\]$/m);
  assert.match(script, /^ {4}secret {2}\(private value from http-client\.private\.env\.json\)$/m, 'the docstring says what to set');
});

test('--name exports only those requests, with what they read from earlier ones', async () => {
  const { script } = await exportFile('constructs.http', 'dev', ['profile']);
  assert.match(script, /^profile = report\(/m);
  assert.doesNotMatch(script, /^login = report\(/m);
  // A value from a request the script does not send is left to the user, with a comment saying so.
  assert.match(script, /^login_token = "" {2}# TODO: \{\{login\.response\.body\.\$\.token\}\} reads request 'login', which this script does not send before; set it by hand$/m);
});

test('session defaults: headers (secret ones from the environment), proxy and TLS settings', async () => {
  const path = join(golden, 'constructs.http');
  const parsed = parseRequestFile(readFileSync(path, 'utf8'), path);
  const environments = await loadEnvironments(path, golden, nodeFileReader);
  const { script, environmentVariables } = exportPythonScript({
    file: parsed,
    requestFile: path,
    environments,
    environmentName: 'dev',
    requests: parsed.requests.slice(0, 1),
    csrf: { ...defaultCsrfNames, mode: 'auto' },
    defaultHeaders: [['X-Team', 'core'], ['Authorization', 'Bearer settings-secret']],
    proxy: 'http://proxy.test:3128',
    tls: { 'api.example.test': { rejectUnauthorized: false, ca: '-----BEGIN CERTIFICATE-----' } },
  });
  assert.match(script, /^ {4}"X-Team": "core",$/m);
  assert.match(script, /^ {4}"Authorization": os\.environ\["HTTP_SESSION_AUTHORIZATION"\],$/m);
  assert.ok(!script.includes('settings-secret'));
  assert.ok(environmentVariables.includes('HTTP_SESSION_AUTHORIZATION'));
  assert.match(script, /^session\.proxies = \{"http": "http:\/\/proxy\.test:3128", "https": "http:\/\/proxy\.test:3128"\}$/m);
  assert.match(script, /^session\.verify = False {2}# httpSession\.tls\["api\.example\.test"\]/m);
  assert.match(script, /^# TODO: httpSession\.tls\["api\.example\.test"\] trusts its own CA/m);
  assert.ok(!script.includes('BEGIN CERTIFICATE'));
});
