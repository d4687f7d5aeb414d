// Issue 15 as a user sees it: the packaged extension in a real VS Code (code-server driven by Chromium)
// against the real Spring Authorization Server and the Spring Boot test app as its resource server, with
// a client-credentials configuration written the JetBrains way. Send: the token shows in the Session
// tab's timeline and, masked, in the Cookies view's Tokens node. Reload the window: the token kept in
// SecretStorage is reused (the authorization server sees no second token request). Clear the session: the
// token is gone. Nothing the extension writes (workspace state, the panel's history, its log) holds the
// token or the client secret. The tests run in order on one window.
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { maskSecret } from '../../src/core/secrets';
import { authServerClient, startAuthServer, type AuthServer } from '../integration/support/authServer';
import { startSpringBootApp, type SpringBootApp } from '../integration/support/springBoot';
import { clickCodeLens, openFile, panelShows, runCommand, screenshot, selectEnvironment, waitForStableCodeLenses, webviewFrame } from '../support/browser';
import { extensionWorkspaceState, openUiWindow, waitForSavedSession, type UiWindow } from '../support/uiWindow';
import { copyWorkspace, type TempWorkspace } from '../support/workspace';

let authServer: AuthServer;
let resourceServer: SpringBootApp;
/** Stands before the authorization server's token endpoint: counts the token requests, keeps the tokens issued. */
let tokenEndpoint: Server;
const issuedTokens: string[] = [];
let workspace: TempWorkspace;
let ui: UiWindow;
let page: Page;

before(async () => {
  // Ten minutes: a reload must not outlive the token (the fixture's 30 s is for the expiry tests).
  authServer = await startAuthServer({ properties: { 'spring.security.oauth2.authorizationserver.client.api.token.access-token-time-to-live': '10m' } });
  // Warmed up first: the resource server reads this at start-up with a short timeout, and a cold JVM on a busy machine can miss it.
  assert.equal((await fetch(`${authServer.issuer}/.well-known/openid-configuration`)).status, 200);
  tokenEndpoint = createServer((request, response) => {
    void (async () => {
      let body = '';
      for await (const chunk of request) body += String(chunk);
      const answer = await fetch(`${authServer.issuer}${request.url}`, { method: 'POST', headers: { Authorization: request.headers.authorization ?? '', 'Content-Type': request.headers['content-type'] ?? '' }, body });
      const text = await answer.text();
      issuedTokens.push((JSON.parse(text) as { access_token: string }).access_token);
      response.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(text);
    })();
  });
  await new Promise<void>((resolve) => tokenEndpoint.listen(0, '127.0.0.1', resolve));
  [resourceServer, workspace] = await Promise.all([
    startSpringBootApp({ boot: '4.0', profile: 'resource-server', extraProperties: { 'jwt.issuer': authServer.issuer, 'jwt.audience': authServerClient.id } }),
    copyWorkspace(),
  ]);
  const tokenUrl = `http://127.0.0.1:${(tokenEndpoint.address() as AddressInfo).port}/oauth2/token`;
  const api = { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': tokenUrl, 'Client ID': authServerClient.id, Scope: 'read' };
  await writeFile(path.join(workspace.folder, 'http-client.env.json'), JSON.stringify({ dev: { spring: resourceServer.baseUrl, Security: { Auth: { api } } } }));
  await writeFile(path.join(workspace.folder, 'http-client.private.env.json'), JSON.stringify({ dev: { Security: { Auth: { api: { 'Client Secret': authServerClient.secret } } } } }));
  await writeFile(path.join(workspace.folder, 'tokens.http'), '### Who am I\nGET {{spring}}/api/me\nAuthorization: Bearer {{$auth.token("api")}}\n');
  ui = await openUiWindow(workspace.folder);
  page = ui.page;
}, { timeout: 300_000 });

after(async () => {
  await ui?.close();
  tokenEndpoint?.closeAllConnections();
  tokenEndpoint?.close();
  await resourceServer?.stop();
  await authServer?.stop();
  await workspace?.remove();
});

const uiTest = { timeout: 120_000 };

/** Sends the file's request; `open` brings the file to the front first (after a reload the restored panel may cover it). */
async function sendWhoAmI(count: number, open = true): Promise<void> {
  if (open) await openFile(page, 'tokens.http');
  await waitForStableCodeLenses(page);
  const panel = webviewFrame(page);
  await clickCodeLens(page, 'Send Request', 0, { effect: panel.locator('#history option').nth(count - 1).waitFor({ state: 'attached', timeout: 60_000 }) });
  await panelShows(page, count, /^200\b/);
}

/** The token card of the Session tab, once shown. */
async function tokenCard() {
  const panel = webviewFrame(page);
  await panel.getByRole('tab', { name: /Session/ }).click();
  const card = panel.locator('#panel-session section.token-card[data-config="api"]');
  await card.waitFor();
  return card;
}

test('send: the resource server accepts the token; the Session tab shows its lifetime, the Tokens node shows it masked', uiTest, async () => {
  await openFile(page, 'tokens.http');
  await selectEnvironment(page, 'dev');
  await sendWhoAmI(1);
  assert.equal(issuedTokens.length, 1);
  const [token] = issuedTokens;

  const card = await tokenCard();
  assert.match(await card.locator('.facts').innerText(), /Issued\s+\d\d:\d\d:\d\d by client credentials with scope read\s+Expires\s+\d\d:\d\d:\d\d \(in (9m|10m) \d\ds\)/);
  assert.deepEqual(await card.locator('li').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind'))), ['issued']);
  assert.ok(!(await webviewFrame(page).locator('body').innerText()).includes(token!), 'the panel never shows the token');
  await screenshot(page, 'tokens-session-tab');

  await page.locator('.part.activitybar .action-item a[aria-label^="HTTP Session"]').click();
  const sidebar = page.locator('.part.sidebar');
  await sidebar.locator('.monaco-list-row', { hasText: /^Tokens/ }).waitFor();
  const row = sidebar.locator('.monaco-list-row', { hasText: 'api' });
  const text = await row.innerText();
  assert.ok(text.includes(maskSecret(token!)), `the Tokens node shows the token masked: ${text}`);
  assert.ok(!text.includes(token!));
  assert.match(text, /expires in (9m|10m) \d\ds/);
  await screenshot(page, 'tokens-cookies-view');
});

test('window reload: the token kept in SecretStorage goes out again; the authorization server sees no second token request', uiTest, async () => {
  // Only once the window saved what it holds (the panel's history with it) may it reload.
  await waitForSavedSession(page, '/api/me');
  await page.reload();
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await sendWhoAmI(2);
  assert.equal(issuedTokens.length, 1, 'no second token request');
  const card = await tokenCard();
  assert.deepEqual(await card.locator('li').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind'))), ['issued', 'used'], 'the timeline from before the reload, and the reuse');
  await screenshot(page, 'tokens-after-reload');
});

test('Clear Session Cookies forgets the token too: the next send acquires a new one', uiTest, async () => {
  await runCommand(page, 'HTTP Session: Clear Session Cookies');
  await page.locator('.part.sidebar .monaco-list-row', { hasText: /^Tokens/ }).waitFor({ state: 'detached' });
  // The file is still open beside the panel.
  await sendWhoAmI(3, false);
  assert.equal(issuedTokens.length, 2);
  await page.locator('.part.sidebar .monaco-list-row', { hasText: /^Tokens/ }).waitFor();
});

/** Every file under `dir`, as text, with its path. */
async function filesUnder(dir: string): Promise<{ file: string; text: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return { file, text: await readFile(file, 'latin1') };
      }),
  );
}

test('no token and no client secret in workspace state (sessions, panel history) or in anything on the server side (the log)', uiTest, async () => {
  assert.equal(issuedTokens.length, 2);
  const secrets = [...issuedTokens, authServerClient.secret];
  const [state, ...others] = await extensionWorkspaceState(page);
  assert.equal(others.length, 0);
  assert.match(state!, /\/api\/me/, 'the state holds the exchanges (the grep reads the right thing)');
  for (const secret of secrets) assert.ok(!state!.includes(secret), `workspace state holds ${secret.slice(0, 8)}…`);

  const files = await filesUnder(ui.codeServer.runDir);
  const log = files.find(({ file, text }) => file.endsWith('HTTP Session.log') && text.includes('/api/me'));
  assert.ok(log, 'the extension\'s log, with its wire trace, is among the files read');
  for (const { file, text } of files) for (const secret of secrets) assert.ok(!text.includes(secret), `${file} holds ${secret.slice(0, 8)}…`);
});
