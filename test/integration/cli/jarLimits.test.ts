// `http-session run` as a whole process against a server that floods the jar: the evictions and the refusal of
// an oversized cookie are printed with their reason, the Cookie header stays bounded, and a saved session
// holding 12,000 cookies loads trimmed to the browsers' limit.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { buildExtension } from '../../support/build';
import { repoRoot } from '../../support/codeServer';
import { type LoopbackServer, startServer } from '../session/loopback';

const cookieHeaders = new Map<string, string | undefined>();
let server: LoopbackServer;
let dir: string;

before(async () => {
  await buildExtension();
  server = await startServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    cookieHeaders.set(url.pathname, request.headers.cookie);
    if (url.pathname === '/flood') response.setHeader('set-cookie', Array.from({ length: 200 }, (_, i) => `f${i}=v`));
    if (url.pathname === '/big') response.setHeader('set-cookie', `big=${'x'.repeat(5 * 1024)}`);
    if (url.pathname === '/seed') response.setHeader('set-cookie', 'seed=1');
    response.end();
  });
  dir = await mkdtemp(join(tmpdir(), 'hs-jar-limits-'));
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'dist/cli.js'), 'run', ...args], { cwd: dir });
  return stdout;
}

test('run -v prints each eviction and the oversized cookie with its reason; the next Cookie header carries 180 cookies', async () => {
  await writeFile(join(dir, 'flood.http'), `GET ${server.url}/flood\n\n###\nGET ${server.url}/big\n\n###\nGET ${server.url}/echo\n`);
  const stdout = await run('flood.http', '-v', '--session', 'state.json');

  const evictions = stdout.split('\n').filter((line) => line.includes('— evicted: more than 180 cookies for 127.0.0.1'));
  assert.equal(evictions.length, 20, stdout);
  assert.match(evictions[0]!, /cookie rejected: f0=\S*; Path=\/ — evicted/, 'the least recently used (the first set) is evicted');
  assert.match(stdout, /cookie rejected: big=\S* — Its name and value are 5123 bytes, over the 4096-byte limit browsers apply \(RFC 6265bis\)\./);
  assert.doesNotMatch(stdout, /x{64}/, 'the refused value stays masked');
  assert.equal(cookieHeaders.get('/echo')?.split('; ').length, 180);
});

test('a saved session of 12,000 cookies loads trimmed: the next request carries 180', async () => {
  await writeFile(join(dir, 'seed.http'), `GET ${server.url}/seed\n`);
  await run('seed.http', '--session', 'seeded.json');
  const path = join(dir, 'seeded.json');
  const saved = JSON.parse(await readFile(path, 'utf8')) as { sessions: { default: { jar: { cookies: { key: string }[] } } } };
  const { cookies } = saved.sessions.default.jar;
  cookies.push(...Array.from({ length: 12_000 }, (_, i) => ({ ...cookies[0]!, key: `stored${i}` })));
  await writeFile(path, JSON.stringify(saved));
  await writeFile(join(dir, 'echo.http'), `GET ${server.url}/after-load\n`);

  await run('echo.http', '--session', 'seeded.json');
  const sent = cookieHeaders.get('/after-load') ?? '';
  assert.equal(sent.split('; ').length, 180);
  assert.ok(Buffer.byteLength(sent) < 3 * 1024, `Cookie header of ${Buffer.byteLength(sent)} bytes`);
});
