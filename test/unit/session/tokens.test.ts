// The session's OAuth2 tokens and its stored state: kept only where the storage is private to the user.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { OAuth2Config } from '../../../src/core/auth/oauth2';
import { Session } from '../../../src/core/session/session';

const accessToken = 'token-from-the-loopback-endpoint-0123456789';
let server: Server;
let config: OAuth2Config;

before(async () => {
  server = createServer((request, response) => {
    // A resource that wants a scope the token endpoint below does not grant.
    if (request.url === '/admin') return void response.writeHead(403, { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="write"' }).end();
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ access_token: accessToken, expires_in: 3600 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  config = { grant: 'client_credentials', tokenUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`, clientId: 'c', clientSecret: 's', clientAuth: 'basic' };
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const cases: readonly (readonly [keepTokens: boolean | undefined, stored: boolean])[] = [
  [undefined, false],
  [false, false],
  [true, true],
];

test('the stored state holds the tokens only with keepTokens (the CLI file), never by default (VS Code workspace state)', async () => {
  for (const [keepTokens, stored] of cases) {
    const session = new Session({ name: 'default', ...(keepTokens !== undefined && { keepTokens }) });
    assert.equal((await session.authToken('api', config)).accessToken, accessToken);
    const state = JSON.stringify(session.serialize());
    assert.equal(state.includes(accessToken), stored, `keepTokens ${String(keepTokens)}`);
    if (stored) {
      const restored = new Session({ name: 'default', keepTokens: true, state: session.serialize() });
      assert.deepEqual(restored.tokenTimeline(), []);
      assert.equal((await restored.authToken('api', config)).accessToken, accessToken);
      assert.deepEqual(restored.tokenTimeline().map((event) => event.kind), ['used'], 'the restored token is reused, not fetched again');
      restored.dispose();
    }
    await session.clearCookies();
    assert.ok(!JSON.stringify(session.serialize()).includes(accessToken), 'clearing the session forgets its tokens');
    session.dispose();
  }
});

test("the doctor cites the session's own token: an insufficient_scope 403 names the configuration that issued it", async () => {
  const session = new Session({ name: 'default' });
  const token = await session.authToken('api', config);
  const exchange = await session.send({ method: 'GET', url: config.tokenUrl.replace('/token', '/admin'), headers: [['Authorization', `Bearer ${token.accessToken}`]] });
  const finding = exchange.findings.find((candidate) => candidate.id === 'access-denied');
  assert.ok(finding, JSON.stringify(exchange.findings));
  assert.ok(finding.evidence.some((line) => /^The token of auth configuration 'api' was issued .* by client credentials without a scope; the API needs write$/.test(line)), finding.evidence.join('\n'));
  assert.ok(!JSON.stringify(finding).includes(accessToken));
  session.dispose();
});
