// The auth seam (core/auth) on the wire: what a loopback server receives as `Authorization`, from a
// hand-written Basic header (REST Client / JetBrains style), from the session's default scheme, and
// through the CLI as a whole process.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { Session } from '../../../src/core/session';
import { buildExtension } from '../../support/build';
import { get, startServer, text, type LoopbackServer } from './loopback';

let server: LoopbackServer;
/** What the server received, newest last. */
const authorizations: (string | undefined)[] = [];
/** Echoes the Authorization header it received. */
before(async () => {
  server = await startServer((request, response) => {
    authorizations.push(request.headers.authorization);
    response.end(request.headers.authorization ?? '(none)');
  });
});
after(() => server.close());

const encoded = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;

async function received(session: Session, headers: [string, string][] = []): Promise<string> {
  return text((await session.send(get(`${server.url}/`, { headers }))).response?.body);
}

test('a hand-written `Basic user password` or `Basic user:password` goes out encoded; an encoded one is left alone', async () => {
  const session = new Session({ name: 'default' });
  try {
    assert.equal(await received(session, [['Authorization', 'Basic alice s3cret pass']]), encoded('alice:s3cret pass'));
    assert.equal(await received(session, [['authorization', 'basic alice:s3cret']]), encoded('alice:s3cret'));
    assert.equal(await received(session, [['Authorization', encoded('bob:pw')]]), encoded('bob:pw'));
    assert.equal(await received(session, [['Authorization', 'Bearer a.b.c']]), 'Bearer a.b.c');
    // The exchange records the header as sent (masked in every view), not the plain password.
    const exchange = await session.send(get(`${server.url}/`, { headers: [['Authorization', 'Basic alice secret']] }));
    assert.deepEqual(exchange.request.headers.find(([name]) => name === 'Authorization'), ['Authorization', encoded('alice:secret')]);
  } finally {
    session.dispose();
  }
});

test('the session\'s default auth is sent by requests that write no Authorization, and a request\'s own header wins', async () => {
  const session = new Session({ name: 'default', defaults: { auth: { kind: 'bearer', token: 'tok-1' } } });
  try {
    assert.equal(await received(session), 'Bearer tok-1');
    assert.equal(await received(session, [['Authorization', 'Basic carol pw']]), encoded('carol:pw'));
    session.updateDefaults({ auth: { kind: 'basic', user: 'dave', password: 'pä ss' } });
    assert.equal(await received(session), encoded('dave:pä ss'));
    session.updateDefaults({});
    assert.equal(await received(session), '(none)');
  } finally {
    session.dispose();
  }
});

test('the CLI sends `Authorization: Basic {{user}} {{password}}` encoded', async () => {
  await buildExtension();
  const dir = mkdtempSync(join(tmpdir(), 'hs-auth-'));
  try {
    writeFileSync(join(dir, 'basic.http'), `@user = erin\n@password = open sesame\nGET ${server.url}/\nAuthorization: Basic {{user}} {{password}}\n`);
    const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'run', 'basic.http', '--json'], { cwd: dir });
    assert.match(stdout, /"status":\s*200/);
    assert.equal(authorizations.at(-1), encoded('erin:open sesame'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
