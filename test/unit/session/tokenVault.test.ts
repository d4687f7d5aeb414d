// The session's tokens in a TokenVault (VS Code's SecretStorage): kept per session apart from the stored
// state, restored by the next session object (a window reload) and reused, deleted with the session.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { OAuth2Config } from '../../../src/core/auth/oauth2';
import type { Logger, TokenVault } from '../../../src/core/ports';
import { Session } from '../../../src/core/session/session';

let server: Server;
let config: OAuth2Config;
/** Token requests the endpoint answered; each gets a token of its own. */
let issued = 0;

before(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ access_token: `vault-token-${++issued}-0123456789`, expires_in: 3600, scope: 'read' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  config = { grant: 'client_credentials', tokenUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`, clientId: 'c', clientSecret: 's', clientAuth: 'basic' };
});
after(() => {
  server.closeAllConnections();
  server.close();
});

/** A vault in memory, as SecretStorage keeps text. */
class MemoryVault implements TokenVault {
  readonly kept = new Map<string, string>();
  async load(sessionName: string): Promise<unknown> {
    const text = this.kept.get(sessionName);
    return text === undefined ? undefined : JSON.parse(text);
  }
  async save(sessionName: string, kept: unknown): Promise<void> {
    if (kept === undefined) this.kept.delete(sessionName);
    else this.kept.set(sessionName, JSON.stringify(kept));
  }
}

async function sessionWith(vault: TokenVault, name = 'default', logger?: Logger): Promise<Session> {
  const session = new Session({ name, tokenVault: vault, ...(logger && { logger }) });
  await session.tokensSettled();
  return session;
}

test('a token kept in the vault is reused by the next session object, not acquired again; the state never holds it', async () => {
  const vault = new MemoryVault();
  const first = await sessionWith(vault);
  const token = await first.authToken('api', config);
  await first.tokensSettled();
  const requestsBefore = issued;
  assert.ok(vault.kept.get('default')?.includes(token.accessToken), 'kept in the vault');
  assert.ok(!JSON.stringify(first.serialize()).includes(token.accessToken), 'not in the stored state');
  first.dispose();

  const reloaded = await sessionWith(vault);
  assert.deepEqual(reloaded.keptTokens(), { api: token });
  assert.equal((await reloaded.authToken('api', config)).accessToken, token.accessToken);
  assert.equal(issued, requestsBefore, 'no second token request');
  assert.deepEqual(
    reloaded.tokenTimeline().map((event) => [event.kind, event.grant, event.scope]),
    [
      ['issued', 'client_credentials', 'read'],
      ['used', undefined, undefined],
    ],
    'the timeline from before the reload is kept',
  );
  reloaded.dispose();
});

test('named sessions keep their own tokens under their own names', async () => {
  const vault = new MemoryVault();
  const [user, admin] = [await sessionWith(vault), await sessionWith(vault, 'admin')];
  const [userToken, adminToken] = [await user.authToken('api', config), await admin.authToken('api', config)];
  await Promise.all([user.tokensSettled(), admin.tokensSettled()]);
  assert.notEqual(userToken.accessToken, adminToken.accessToken);
  assert.deepEqual([...vault.kept.keys()].sort(), ['admin', 'default']);
  assert.equal((await (await sessionWith(vault, 'admin')).authToken('api', config)).accessToken, adminToken.accessToken);
  user.dispose();
  admin.dispose();
});

const removals: readonly (readonly [how: string, remove: (session: Session) => Promise<void> | void])[] = [
  ['clearing the session', (session) => session.clearCookies()],
  ['forgetting the token', (session) => session.forgetToken('api')],
];

test('clearing the session or forgetting its only token deletes it from the vault', async () => {
  for (const [how, remove] of removals) {
    const vault = new MemoryVault();
    const session = await sessionWith(vault);
    await session.authToken('api', config);
    await session.tokensSettled();
    assert.equal(vault.kept.size, 1, how);
    await remove(session);
    await session.tokensSettled();
    assert.equal(vault.kept.size, 0, how);
    assert.deepEqual(session.keptTokens(), {}, how);
    session.dispose();
  }
});

const unreadable: readonly (readonly [what: string, load: () => Promise<unknown>, reason: RegExp])[] = [
  ['not JSON', () => Promise.resolve().then(() => JSON.parse('{')), /JSON/],
  ['not an object', () => Promise.resolve('a string'), /tokens is a string, expected an object/],
  ['a token without its value', () => Promise.resolve({ tokens: { api: { issuedAt: 1 } }, timeline: [] }), /tokens\.tokens\.api\.accessToken is missing/],
  ['an event of an unknown kind', () => Promise.resolve({ tokens: {}, timeline: [{ kind: 'stolen', at: 1, configName: 'api' }] }), /tokens\.timeline\[0\]\.kind/],
];

test('unreadable vault contents are reported with the session name and the token is acquired again', async () => {
  for (const [what, load, reason] of unreadable) {
    const warnings: string[] = [];
    const logger: Logger = { trace() {}, info() {}, warn: (line) => warnings.push(line), error() {} };
    const vault: TokenVault = { load, save: async () => undefined };
    const session = await sessionWith(vault, 'admin', logger);
    const requestsBefore = issued;
    await session.authToken('api', config);
    assert.equal(issued, requestsBefore + 1, what);
    assert.equal(warnings.length, 1, what);
    assert.match(warnings[0]!, /^session admin: the kept OAuth2 tokens could not be read/, what);
    assert.match(warnings[0]!, reason, what);
    session.dispose();
  }
});
