// Issue 12, point 7, as a CLI user meets it: `http-session run --session FILE` with a FILE that is not
// JSON, or whose cookie has a date that is not one. The file is kept aside as FILE.corrupt-<time>, the
// warning says why (where the JSON breaks, which field is wrong) and where it went, and the run works
// and saves its own session. A saved session that loads never throws later, at a 401 or at the save.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { JsonFileStorage } from '../../../src/cli/jsonFileStorage';
import { SessionRegistry } from '../../../src/core/session';
import { buildExtension } from '../../support/build';
import { repoRoot } from '../../support/codeServer';

let server: Server;
let base: string;
let dir: string;
let logins = 0;

before(async () => {
  await buildExtension();
  server = createServer((request, response) => {
    if (request.url === '/login') {
      logins++;
      response.writeHead(200, { 'Set-Cookie': `JSESSIONID=S${logins}; Path=/; HttpOnly` });
      return response.end('logged in');
    }
    const session = /JSESSIONID=(\w+)/.exec(request.headers.cookie ?? '')?.[1];
    response.writeHead(session === `S${logins}` ? 200 : 401, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ session: session ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-corrupt-'));
  await writeFile(join(dir, 'flow.http'), `# @name login\nPOST ${base}/login\n\n###\n# @name me\nGET ${base}/me\n`);
});

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'dist/cli.js'), 'run', ...args], { cwd: dir }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** The one `state.json.corrupt-<time>` file of the run folder, by name. */
async function setAsideFile(): Promise<string> {
  const names = (await readdir(dir)).filter((name) => name.startsWith('state.json.corrupt-'));
  assert.equal(names.length, 1, `one file kept aside: ${names.join(', ')}`);
  assert.match(names[0]!, /^state\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
  return names[0]!;
}

async function savedSessionId(): Promise<unknown> {
  const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { sessions: { default: { jar: { cookies: { key: string; value: string }[] } } } };
  return state.sessions.default.jar.cookies.find((cookie) => cookie.key === 'JSESSIONID')?.value;
}

test('a --session file that is not JSON is kept aside as FILE.corrupt-<time>; the warning says where the JSON breaks and where the file went; the run saves a fresh session', async (t) => {
  t.after(() => rm(dir, { recursive: true, force: true }));
  const broken = '{\n  "version": 1,\n  "sessions": { default: {} }\n}\n';
  await writeFile(join(dir, 'state.json'), broken);

  const { code, stdout, stderr } = await run('flow.http', '--session', 'state.json');

  assert.equal(code, 0, stderr);
  assert.match(stdout, /✓ 200 .*\(login\)/);
  assert.match(stdout, /✓ 200 .*\(me\)/);
  const aside = await setAsideFile();
  assert.equal(
    stderr.trim(),
    `warning: state.json: The saved sessions could not be read (not JSON: Expected a key at offset 34 (line 3, column 17)). They were moved to ${join(dir, aside)}; a fresh session was started.`,
  );
  assert.equal(await readFile(join(dir, aside), 'utf8'), broken, 'the unreadable file is kept as it was');
  assert.equal(await savedSessionId(), `S${logins}`, 'the run saved its own session in state.json');
});

test("a --session file whose cookie has a bad date: the warning names the field, and the run's results are printed and saved", async (t) => {
  t.after(() => rm(dir, { recursive: true, force: true }));
  assert.equal((await run('flow.http', '--session', 'state.json')).code, 0);
  const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
  // A second cookie the run does not replace, with an expiry that is not a date.
  state.sessions.default.jar.cookies.push({ ...state.sessions.default.jar.cookies[0], key: 'theme', value: 'dark', expires: 'next tuesday' });
  const edited = JSON.stringify(state);
  await writeFile(join(dir, 'state.json'), edited);

  const { code, stdout, stderr } = await run('flow.http', '--session', 'state.json', '--json');

  assert.equal(code, 0, stderr);
  const { results } = JSON.parse(stdout) as { results: { name: string; status: number }[] };
  assert.deepEqual(results.map((result) => [result.name, result.status]), [['login', 200], ['me', 200]]);
  const aside = await setAsideFile();
  assert.equal(
    stderr.trim(),
    `warning: state.json: The saved sessions could not be read (session "default": jar.cookies[1].expires is a string, expected a date or "Infinity"). They were moved to ${join(dir, aside)}; a fresh session was started.`,
  );
  assert.equal(await readFile(join(dir, aside), 'utf8'), edited);
  assert.equal(await savedSessionId(), `S${logins}`, "this run's session was saved");
});

test('a saved session that loads never throws later: a 401 after a refused request, with a session cookie of another host in the jar', async (t) => {
  t.after(() => rm(dir, { recursive: true, force: true }));
  // A state another client of the session API can leave: it holds a request refused for its URL.
  const storage = new JsonFileStorage(join(dir, 'state.json'));
  const { registry } = await SessionRegistry.restore(storage);
  const session = registry.get();
  await session.setCookie({ name: 'JSESSIONID', value: 'elsewhere', domain: 'example.com', path: '/', secure: false, httpOnly: true, hostOnly: true });
  await session.send({ method: 'GET', url: 'not a url', headers: [] });
  await registry.save();
  registry.dispose();

  const { code, stdout, stderr } = await run('flow.http', '--session', 'state.json', '--name', 'me', '--explain');

  assert.equal(stderr, '', 'no warning, no stack trace');
  assert.equal(code, 0);
  assert.match(stdout, /^! 401 .*\(me\)/m);
  assert.match(stdout, /why: \[/, 'the 401 is explained');
});
