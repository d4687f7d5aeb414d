// A cloned repository's request file run through the core (parser, env files, session) against a real
// loopback server, with and without the Restricted Mode policy: restricted, none of the user's secrets
// (a file outside the folder, the process environment, .env, the private env file) reaches the server and
// every refusal names its line; unrestricted, the same file sends them — so the policy is what stops them.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { memoryStorage } from '../../../src/cli/jsonFileStorage';
import { nodeFileReader } from '../../../src/cli/nodeFileReader';
import { parseRequestFile } from '../../../src/core/parse';
import { systemClock } from '../../../src/core/ports';
import { runRequest, type RunOutcome } from '../../../src/core/run/runRequest';
import { SessionRegistry } from '../../../src/core/session';
import { loadEnvironments } from '../../../src/core/vars/environments';
import type { Restriction } from '../../../src/core/vars/restriction';
import { startServer, type LoopbackServer } from '../session/loopback';

const secrets = { outside: 'OUTSIDE-FILE-SECRET', processEnv: 'PROCESS-ENV-SECRET', dotenv: 'DOTENV-SECRET', private: 'PRIVATE-ENV-SECRET' };

/** One request as the server received it, whole. */
interface Received {
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: LoopbackServer;
const received: Received[] = [];
let parent: string;
let ws: string;

before(async () => {
  server = await startServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    received.push({ url: request.url ?? '', headers: request.headers, body });
    response.end('ok');
  });
  parent = await mkdtemp(join(tmpdir(), 'hs-restricted-'));
  ws = join(parent, 'cloned-repo');
  await mkdir(ws);
  await writeFile(join(parent, 'outside.txt'), secrets.outside);
  await symlink(join(parent, 'outside.txt'), join(ws, 'innocent.txt'));
  await writeFile(join(ws, '.env'), `API_KEY=${secrets.dotenv}\n`);
  await writeFile(join(ws, 'http-client.env.json'), JSON.stringify({ $shared: { host: server.url } }));
  await writeFile(join(ws, 'http-client.private.env.json'), JSON.stringify({ $shared: { token: secrets.private } }));
  await writeFile(
    join(ws, 'requests.http'),
    [
      '### include outside',
      'POST {{host}}/include',
      'Content-Type: text/plain',
      '',
      '< ../outside.txt',
      '',
      '### a symlink out',
      'POST {{host}}/symlink',
      'Content-Type: text/plain',
      '',
      '<@ ./innocent.txt',
      '',
      '### process environment',
      'GET {{host}}/env?value={{$processEnv HS_TEST_SECRET}}',
      '',
      '### .env',
      'GET {{host}}/dotenv',
      'X-Api-Key: {{$dotenv API_KEY}}',
      '',
      '### private env value',
      'GET {{host}}/private',
      'X-Token: {{token}}',
      '',
    ].join('\n'),
  );
});

after(async () => {
  await server.close();
  await rm(parent, { recursive: true, force: true });
});

/** Runs every request of the cloned repository's file in one session; the outcomes in order. */
async function runAll(restriction: Restriction | undefined): Promise<RunOutcome[]> {
  const path = join(ws, 'requests.http');
  const file = parseRequestFile(await readFile(path, 'utf8'), path);
  const { registry } = await SessionRegistry.restore(memoryStorage, { clock: systemClock });
  try {
    const context = {
      registry,
      reader: nodeFileReader,
      clock: systemClock,
      processEnv: { HS_TEST_SECRET: secrets.processEnv },
      restriction,
      environments: await loadEnvironments(path, ws, nodeFileReader, undefined, restriction),
    };
    const outcomes: RunOutcome[] = [];
    for (const template of file.requests) outcomes.push(await runRequest(template, file, path, context));
    return outcomes;
  } finally {
    registry.dispose();
  }
}

test('restricted: every secret-reading request is refused on its line and the server receives nothing', async () => {
  received.length = 0;
  const outcomes = await runAll({ workspaceFolder: ws });
  assert.deepEqual(outcomes.map((outcome) => outcome.kind), ['refused', 'refused', 'refused', 'refused', 'refused']);
  const diagnostics = outcomes.flatMap((outcome) => (outcome.kind === 'refused' ? outcome.diagnostics : []));
  assert.deepEqual(diagnostics.map((d) => d.range.startLine + 1), [5, 11, 14, 18, 22], 'one refusal on each line that reads a secret');
  const messages = diagnostics.map((d) => d.message).join('\n');
  assert.match(messages, /outside\.txt is outside the workspace folder/);
  assert.match(messages, /innocent\.txt is outside the workspace folder \(it leads to .*outside\.txt\)/);
  assert.match(messages, /\$processEnv is not available in Restricted Mode/);
  assert.match(messages, /\$dotenv is not available in Restricted Mode/);
  assert.match(messages, /Variable 'token' is not defined .*Restricted Mode reads no private env file/);
  assert.deepEqual(received, [], 'nothing reached the server');
});

test('unrestricted: the same file sends every secret (what the restriction stops)', async () => {
  received.length = 0;
  const outcomes = await runAll(undefined);
  assert.deepEqual(outcomes.map((outcome) => outcome.kind), ['sent', 'sent', 'sent', 'sent', 'sent']);
  assert.deepEqual(
    received.map(({ url, headers, body }) => [url, body || headers['x-api-key'] || headers['x-token'] || '']),
    [
      ['/include', secrets.outside],
      ['/symlink', secrets.outside],
      [`/env?value=${secrets.processEnv}`, ''],
      ['/dotenv', secrets.dotenv],
      ['/private', secrets.private],
    ],
  );
});
