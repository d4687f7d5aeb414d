// Issue 12, point 7: stored session state is untrusted input (a file, workspace state). A seeded fuzz of
// thousands of mutations of a real stored state — type swaps, deletions, bad dates, huge numbers, nulls,
// prototype keys — each loaded; every state that loads is used for a send to a loopback server that
// answers 401 and sets cookies, then saved. No throw escapes, and a state is loaded whole or set aside
// whole, never half (a set-aside state leaves a fresh session: nothing of it is left to send with).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { HttpRequest } from '../../../src/core/model/exchange';
import type { SessionStorage } from '../../../src/core/ports';
import { SessionRegistry } from '../../../src/core/session';
import { mulberry32 } from '../../support/seededRandom';
import { startServer, type LoopbackServer } from './loopback';

const seed = 0x5eed12;
const mutationCount = 2000;

/** Keeps the state as JSON text, as the file and workspace state do; `setAside` keeps the text it moved. */
class TextStorage implements SessionStorage {
  setAsideText: string | undefined;
  constructor(public text: string | undefined) {}
  async load(): Promise<unknown> {
    return this.text === undefined ? undefined : JSON.parse(this.text);
  }
  async save(state: unknown): Promise<void> {
    this.text = JSON.stringify(state);
  }
  async setAside(): Promise<string> {
    this.setAsideText = this.text;
    this.text = undefined;
    return 'the test storage';
  }
}

let server: LoopbackServer;
let logins = 0;
before(async () => {
  server = await startServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/login') {
      logins++;
      response.writeHead(302, {
        Location: '/home',
        'Set-Cookie': [`JSESSIONID=S${logins}; Path=/; HttpOnly`, 'XSRF-TOKEN=t0k3n; Path=/', 'remember-me=r; Max-Age=3600; Path=/'],
      });
      return response.end();
    }
    if (path === '/home') {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      return response.end('<form><input type="hidden" name="_csrf" value="m4sk3d"></form>');
    }
    if (path === '/logout') {
      response.writeHead(302, { Location: '/login?logout' });
      return response.end();
    }
    // Everything else: a Spring-like 401 that also rotates the session cookie.
    response.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Basic realm="x"', 'Set-Cookie': 'JSESSIONID=fresh; Path=/; HttpOnly' });
    response.end(JSON.stringify({ status: 401, error: 'Unauthorized', path }));
  });
});
after(() => server.close());

const request = (method: string, path: string, name?: string): HttpRequest => ({
  method,
  url: path.includes('://') || path.startsWith('not') ? path : `${server.url}${path}`,
  headers: [],
  ...(name ? { name } : {}),
});

/** A stored state as a real session leaves it: two sessions, cookies of several kinds, lifecycles, a history with redirects and findings. */
async function realState(): Promise<string> {
  const storage = new TextStorage(undefined);
  const { registry } = await SessionRegistry.restore(storage);
  try {
    const session = registry.get();
    await session.send(request('POST', '/login', 'login'));
    await session.send(request('GET', '/home'));
    await session.send(request('POST', '/api/notes', 'note'));
    await session.send(request('GET', '/logout'));
    await session.send(request('GET', '/api/me'));
    await session.send(request('GET', 'not a url'));
    // A session cookie of another host: a 401 makes the doctor look through the history for that host.
    await session.setCookie({ name: 'SESSION', value: 'elsewhere', domain: 'example.com', path: '/', secure: true, httpOnly: false, hostOnly: false, expires: '2999-01-01T00:00:00.000Z' });
    await registry.get('admin').send(request('POST', '/login', 'adminLogin'));
    await registry.save();
  } finally {
    registry.dispose();
  }
  return storage.text!;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Slot = { readonly parent: Json[] | { [key: string]: Json }; readonly key: string | number; readonly path: string };

function slots(value: Json, path: string, into: Slot[]): Slot[] {
  if (Array.isArray(value)) value.forEach((item, index) => (into.push({ parent: value, key: index, path: `${path}[${index}]` }), slots(item, `${path}[${index}]`, into)));
  else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) (into.push({ parent: value, key, path: `${path}.${key}` }), slots(value[key]!, `${path}.${key}`, into));
  return into;
}

const prototypeKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const hugeNumbers = [1e308, -1e308, 2 ** 53 + 2, 8.64e15 + 1, -1, 0.5, 1e21];
const badDates = ['not a date', '2024-02-30T25:61:00Z', '', '+999999-01-01T00:00:00.000Z', 'Infinity', '-Infinity'];

/** Sets an own property, `__proto__` included (an assignment would change the prototype instead). */
function put(parent: Slot['parent'], key: string | number, value: Json): void {
  Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}

function swapType(value: Json, pick: <T>(values: readonly T[]) => T): Json {
  if (typeof value === 'string') return pick([42, true, [], {}, null]);
  if (typeof value === 'number') return pick([String(value), false, [], {}]);
  if (typeof value === 'boolean') return pick([String(value), 1, null]);
  if (Array.isArray(value)) return pick([{}, 'x', [null], [1, 'a']]);
  if (value !== null && typeof value === 'object') return pick([[], 'x', 0, {}]);
  return pick(['x', 0, {}]);
}

/** One random change of one random place; jar, lifecycles and history are picked equally often. */
function mutate(state: Json, next: () => number): string {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const all = slots(state, '', []);
  const section = pick(['.jar.', '.lifecycles.', '.history[', '']);
  const candidates = all.filter((slot) => slot.path.includes(section));
  const slot = pick(candidates.length > 0 ? candidates : all);
  const current = (slot.parent as Record<string | number, Json>)[slot.key]!;
  const kind = pick(['delete', 'null', 'swap', 'date', 'huge', 'prototype', 'prototype'] as const);
  switch (kind) {
    case 'delete':
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key as string];
      break;
    case 'null':
      put(slot.parent, slot.key, null);
      break;
    case 'swap':
      put(slot.parent, slot.key, swapType(current, pick));
      break;
    case 'date':
      put(slot.parent, slot.key, pick(badDates));
      break;
    case 'huge':
      put(slot.parent, slot.key, pick(hugeNumbers));
      break;
    case 'prototype': {
      const target = current !== null && typeof current === 'object' && !Array.isArray(current) ? current : slot.parent;
      if (!Array.isArray(target)) put(target, pick(prototypeKeys), pick<Json>([{ polluted: true }, 'x', 1, null, []]));
      break;
    }
  }
  return `${kind} ${slot.path}`;
}

test(`${mutationCount} mutated stored states: loaded whole or set aside whole; a loaded one survives a 401 with cookies and a save`, { timeout: 120_000 }, async (t) => {
  const valid = await realState();
  const unchanged = await SessionRegistry.restore(new TextStorage(valid));
  unchanged.registry.dispose();
  assert.equal(unchanged.problem, undefined, 'the state a real session saved loads as it is');
  const next = mulberry32(seed);
  let loaded = 0;
  let setAside = 0;
  for (let index = 0; index < mutationCount; index++) {
    const state = JSON.parse(valid) as Json;
    const changes = [mutate(state, next), ...(next() < 0.3 ? [mutate(state, next)] : [])];
    const text = JSON.stringify(state);
    const storage = new TextStorage(text);
    const where = `mutation ${index} (${changes.join(', ')})`;
    const { registry, problem } = await SessionRegistry.restore(storage);
    try {
      if (problem) {
        setAside++;
        assert.equal(storage.setAsideText, text, `${where}: the whole state is kept aside: ${problem}`);
        assert.deepEqual(registry.sessions.map((session) => [session.name, session.history.length, session.listCookies().length]), [['default', 0, 0]], `${where}: nothing of it is half-loaded`);
        continue;
      }
      loaded++;
      assert.equal(storage.setAsideText, undefined, `${where}: a loaded state stays where it is`);
      // Every session of a loaded state is used: a 401 that sets a cookie (the doctor reads the history), then a save.
      for (const session of registry.sessions) {
        const exchange = await session.send(request('POST', '/api/notes'));
        assert.equal(exchange.response?.status, 401, `${where}: ${exchange.error?.message}`);
        session.lifecycles();
        session.listCookies();
      }
      await registry.save();
    } finally {
      registry.dispose();
    }
    // What a loaded state saves is itself a valid state.
    const again = await SessionRegistry.restore(new TextStorage(storage.text));
    again.registry.dispose();
    assert.equal(again.problem, undefined, `${where}: the state saved after it does not load: ${again.problem}`);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
  t.diagnostic(`${loaded} mutated states loaded, ${setAside} set aside`);
  // Both outcomes are exercised: the fuzz neither refuses everything nor accepts everything.
  assert.ok(loaded > mutationCount / 20 && setAside > mutationCount / 4, `${loaded} loaded, ${setAside} set aside`);
});
