import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SessionStorage } from '../../../src/core/ports';
import { SessionRegistry, sessionStateVersion } from '../../../src/core/session';
import { get, type LoopbackServer, startServer, text } from './loopback';

class MemoryStorage implements SessionStorage {
  saves = 0;
  setAsideState: unknown;
  constructor(public state: unknown = undefined) {}
  async load(): Promise<unknown> {
    return this.state === undefined ? undefined : JSON.parse(JSON.stringify(this.state));
  }
  async save(state: unknown): Promise<void> {
    this.saves++;
    this.state = JSON.parse(JSON.stringify(state)); // proves it is JSON-safe
  }
  async setAside(): Promise<string> {
    this.setAsideState = this.state;
    this.state = undefined;
    return 'the side shelf';
  }
}

let server: LoopbackServer;
before(async () => {
  server = await startServer((request, response) => {
    if (request.url === '/login') {
      response.writeHead(200, { 'set-cookie': 'JSESSIONID=ABC; Path=/; HttpOnly' });
      return response.end('x'.repeat(10_000));
    }
    response.end(`cookie=${request.headers.cookie ?? ''}`);
  });
});
after(() => server.close());

test('sessions survive save and restore: jar, lifecycles, bounded history', async () => {
  const storage = new MemoryStorage();
  const first = await SessionRegistry.restore(storage);
  assert.equal(first.problem, undefined);
  const admin = first.registry.get('admin');
  await first.registry.get().send(get(`${server.url}/login`, { name: 'login' }));
  await admin.send(get(`${server.url}/other`));
  await first.registry.save();
  first.registry.dispose();

  const stored = storage.state as { version: number; sessions: Record<string, { version: number; history: { response: { body: string } }[] }> };
  assert.equal(stored.sessions.default.version, sessionStateVersion);
  assert.ok(stored.sessions.default.history[0].response.body.length < 10_000, 'stored bodies are capped');

  const second = await SessionRegistry.restore(storage);
  try {
    assert.equal(second.problem, undefined);
    assert.deepEqual(second.registry.sessions.map((session) => session.name).sort(), ['admin', 'default']);
    const session = second.registry.get();
    assert.equal(session.cookieValue('JSESSIONID', `${server.url}/`), 'ABC');
    assert.equal(session.lifecycles()[0].events[0].kind, 'issued');
    const login = session.lastExchange('login');
    assert.equal(login?.response?.status, 200);
    assert.equal(login?.response?.truncated, true);
    assert.equal(text((await session.send(get(`${server.url}/check`))).response?.body), 'cookie=JSESSIONID=ABC');
    assert.equal(second.registry.get('admin').cookieValue('JSESSIONID', `${server.url}/`), undefined, 'named sessions keep their own jar');
  } finally {
    second.registry.dispose();
  }
});

const fine = { version: 1, name: 'default', jar: { cookies: [] }, lifecycles: { cookies: [] }, history: [] };
for (const [label, state, cause] of [
  ['a foreign version', { version: 99, sessions: {} }, /version 99, expected 1/],
  ['not an object', 'garbage', /version undefined/],
  ['a session with a broken jar', { version: 1, sessions: { default: { ...fine, jar: { cookies: 'no' } } } }, /session "default": jar\.cookies is a string, expected a list/],
  ['a session with an old version', { version: 1, sessions: { default: { version: 0 } } }, /session "default": version is 0, expected one of 1/],
  // Not half-loaded: the good session goes aside with the bad one.
  ['a good session and one with a bad cookie date', { version: 1, sessions: { admin: fine, default: { ...fine, jar: { cookies: [{ key: 'a', value: 'b', domain: 'x.test', path: '/', creation: 'yesterday' }] } } } }, /session "default": jar\.cookies\[0\]\.creation is a string, expected a date/],
  ['a session with an unreadable history entry', { version: 1, sessions: { default: { ...fine, history: [{ id: 'x' }] } } }, /session "default": history\[0\]\.sessionName is missing, expected text/],
] as const) {
  test(`stored state that is ${label} is set aside whole, says why, and a fresh session works`, async () => {
    const storage = new MemoryStorage(state);
    const { registry, problem } = await SessionRegistry.restore(storage);
    try {
      assert.match(problem ?? '', cause);
      assert.match(problem ?? '', /moved to the side shelf; a fresh session was started/);
      assert.deepEqual(storage.setAsideState, state, 'the storage keeps the whole state aside');
      assert.deepEqual(registry.sessions.map((session) => session.name), ['default']);
      const session = registry.get();
      assert.deepEqual(session.listCookies(), []);
      assert.equal((await session.send(get(`${server.url}/`))).response?.status, 200);
    } finally {
      registry.dispose();
    }
  });
}

test('a storage that fails to load is reported, not thrown, and nothing is set aside', async () => {
  const failing: SessionStorage = {
    load: () => Promise.reject(new Error('disk on fire')),
    save: () => Promise.resolve(),
    setAside: () => Promise.reject(new Error('nothing was read: nothing to set aside')),
  };
  const { registry, problem } = await SessionRegistry.restore(failing);
  assert.equal(problem, 'The saved sessions could not be loaded (disk on fire); a fresh session was started.');
  assert.equal(registry.sessions.length, 1);
  registry.dispose();
});

test("client.global is saved with the session and restored; a wrong value is refused naming it; clearing the session forgets it", async () => {
  const storage = new MemoryStorage();
  const first = await SessionRegistry.restore(storage);
  first.registry.get().setGlobalVariables({ token: 't-1' });
  first.registry.get('admin').setGlobalVariables({ token: 'admin-token' });
  await first.registry.save();
  first.registry.dispose();

  const second = await SessionRegistry.restore(storage);
  assert.deepEqual([second.registry.get().globalVariables(), second.registry.get('admin').globalVariables()], [{ token: 't-1' }, { token: 'admin-token' }]);
  await second.registry.get().clearCookies();
  assert.deepEqual(second.registry.get().globalVariables(), {});
  await second.registry.save();
  second.registry.dispose();
  const saved = storage.state as { sessions: Record<string, { globals?: unknown }> };
  assert.equal(saved.sessions.default!.globals, undefined, 'nothing of it stays stored');

  const corrupt = new MemoryStorage({ ...saved, sessions: { ...saved.sessions, admin: { ...saved.sessions.admin, globals: { token: 42 } } } });
  const third = await SessionRegistry.restore(corrupt);
  assert.match(third.problem ?? '', /globals\.token .*expected text/);
  third.registry.dispose();
});
