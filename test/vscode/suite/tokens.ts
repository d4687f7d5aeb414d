// Issue 15 in the real VS Code, with a loopback token endpoint: the session's OAuth2 tokens live in
// SecretStorage (per workspace and session), never in workspace state; the next activation finds them; the
// Cookies view's Tokens node shows them masked, copies, decodes and forgets them; clearing the session
// deletes them from SecretStorage.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { maskSecret } from '../../../src/core/secrets';
import type { CookieNode } from '../../../src/vscode/cookiesView';
import type { HttpSessionApi } from '../../../src/vscode/extension';
import { defineSuite } from './hostTest';
import { clearAllCookies, openRequestFile, sendForStatus, writeWorkspaceFile } from './requestFiles';
import { activateExtension } from './workspace';

const clientSecret = 'host-suite-client-secret-4f2a9c';
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token endpoint that issues a JWT per request (client credentials), and an API that wants one. */
async function withTokenServer(body: (server: { url: string; issued: string[] }) => Promise<void>): Promise<void> {
  const issued: string[] = [];
  const server: Server = createServer((request, response) => {
    if (request.url === '/oauth2/token') {
      const token = `${part({ alg: 'RS256', kid: 'k' })}.${part({ sub: 'api-client', scope: 'read', n: issued.length + 1 })}.c2lnbmF0dXJl`;
      issued.push(token);
      return void response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 300, scope: 'read' }));
    }
    const ok = issued.length > 0 && request.headers.authorization === `Bearer ${issued.at(-1)}`;
    response.writeHead(ok ? 200 : 401).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, issued });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

/** Env files with a client-credentials configuration `api` (the secret in the private file) and a request file using it. */
async function openTokenFile(api: HttpSessionApi, serverUrl: string, session?: string): Promise<vscode.TextDocument> {
  const auth = { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': `${serverUrl}/oauth2/token`, 'Client ID': 'api-client', Scope: 'read' };
  const folder = `tokens-${Date.now().toString(36)}`;
  await writeWorkspaceFile(`${folder}/http-client.env.json`, JSON.stringify({ tokens: { api: serverUrl, Security: { Auth: { api: auth } } } }));
  await writeWorkspaceFile(`${folder}/http-client.private.env.json`, JSON.stringify({ tokens: { Security: { Auth: { api: { 'Client Secret': clientSecret } } } } }));
  await api.environments.select('tokens');
  return openRequestFile(`${folder}/api.http`, `${session ? `# @session ${session}\n` : ''}GET {{api}}/orders\nAuthorization: Bearer {{$auth.token("api")}}\n`);
}

function tokenNodes(api: HttpSessionApi): CookieNode[] {
  const tokens = api.cookiesView.getChildren().find((node) => node.kind === 'tokens');
  return tokens ? api.cookiesView.getChildren(tokens) : [];
}

export default defineSuite('OAuth2 tokens in SecretStorage', (test) => {
  test('the token is kept in SecretStorage, not in workspace state; the next activation reuses it; Clear Session deletes it', async () => {
    const { api } = await activateExtension();
    await withTokenServer(async (server) => {
      await clearAllCookies(api);
      const document = await openTokenFile(api, server.url);
      assert.equal(await sendForStatus(document, '/orders'), 200);
      await api.flush();
      const [token] = server.issued;
      assert.ok(token);
      assert.ok(JSON.stringify(await api.tokenVault.load('default')).includes(token), 'SecretStorage holds the token');
      const state = JSON.stringify(api.storedState());
      assert.ok(!state.includes(token), 'workspace state (sessions and panel history) does not');
      assert.ok(!state.includes(clientSecret), 'nor the client secret');

      // What the next activation (a window reload) sees: the same token, not a new token request.
      const { registry } = await api.restoreStored();
      try {
        await registry.get().tokensSettled();
        assert.equal(registry.get().keptTokens().api?.accessToken, token);
        assert.deepEqual(registry.get().tokenTimeline().map((event) => event.kind), ['issued']);
      } finally {
        registry.dispose();
      }
      assert.equal(await sendForStatus(document, '/orders'), 200);
      assert.equal(server.issued.length, 1, 'reused, not acquired again');

      await vscode.commands.executeCommand('httpSession.clearCookies');
      await api.flush();
      assert.equal(await api.tokenVault.load('default'), undefined, 'Clear Session deleted it from SecretStorage');
      assert.deepEqual(tokenNodes(api), []);
    });
  });

  test('the Tokens node: masked with its expiry; Copy Token, Decode JWT (read-only, signature not checked), Forget Token', async () => {
    const { api } = await activateExtension();
    await withTokenServer(async (server) => {
      await clearAllCookies(api);
      assert.equal(await sendForStatus(await openTokenFile(api, server.url), '/orders'), 200);
      const [token] = server.issued;
      const [node, ...others] = tokenNodes(api);
      assert.ok(node && others.length === 0);
      const item = api.cookiesView.getTreeItem(node);
      assert.equal(item.label, 'api');
      assert.equal(item.contextValue, 'token');
      assert.match(String(item.description), new RegExp(`^${maskSecret(token!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · expires in [45]m \\d\\ds$`));
      assert.ok(!String(item.description).includes(token!));

      await vscode.commands.executeCommand('httpSession.tokens.copy', node);
      assert.equal(await vscode.env.clipboard.readText(), token);

      await vscode.commands.executeCommand('httpSession.tokens.decodeJwt', node);
      const decoded = vscode.window.activeTextEditor?.document;
      assert.equal(decoded?.uri.scheme, 'httpsession-jwt', 'a read-only document of its own scheme');
      assert.equal(decoded.languageId, 'jsonc');
      const [comment, ...json] = decoded.getText().split('\n');
      assert.match(comment!, /WITHOUT checking its signature/);
      assert.deepEqual(JSON.parse(json.join('\n')), { header: { alg: 'RS256', kid: 'k' }, claims: { sub: 'api-client', scope: 'read', n: 1 } });
      assert.ok(!decoded.getText().includes(token!.split('.')[2]!), 'no signature in the document');

      await vscode.commands.executeCommand('httpSession.tokens.forget', node);
      await api.registry.get().tokensSettled();
      assert.deepEqual(tokenNodes(api), []);
      assert.equal(await api.tokenVault.load('default'), undefined);
    });
  });

  test('a named session keeps its own token under its own key', async () => {
    const { api } = await activateExtension();
    await withTokenServer(async (server) => {
      await clearAllCookies(api);
      assert.equal(await sendForStatus(await openTokenFile(api, server.url, 'admin'), '/orders'), 200);
      await api.flush();
      assert.ok(JSON.stringify(await api.tokenVault.load('admin')).includes(server.issued[0]!));
      assert.equal(await api.tokenVault.load('default'), undefined);
      assert.notEqual(api.tokenVault.key('admin'), api.tokenVault.key('default'));
      await clearAllCookies(api);
      await api.flush();
      assert.equal(await api.tokenVault.load('admin'), undefined);
    });
  });
});
