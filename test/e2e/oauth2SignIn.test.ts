// Authorization Code with PKCE as a VS Code user meets it: the packaged extension in a real VS Code
// (code-server) driven by Debian's Chromium, against the real Spring Authorization Server and the Spring
// Boot test app as resource server. Send Request on a request with `{{$auth.token("web")}}` makes the
// extension open the sign-in page through `env.openExternal` (VS Code asks first, then a new browser
// tab); the user signs in and consents there, the code comes back to the extension host's loopback listener, and the response panel
// shows the resource server's 200.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickCodeLens, openFile, panelShows, screenshot } from '../support/browser';
import { openUiWindow, type UiWindow } from '../support/uiWindow';
import { copyWorkspace, type TempWorkspace } from '../support/workspace';
import { consentOnPage, signInOnLoginPage, startAuthServer, type AuthServer } from '../integration/support/authServer';
import { startSpringBootApp, type SpringBootApp } from '../integration/support/springBoot';

let authServer: AuthServer;
let resourceServer: SpringBootApp;
let workspace: TempWorkspace;
let ui: UiWindow;
let page: Page;

before(async () => {
  // VS Code's openExternal sends 127.0.0.1 and localhost URLs through code-server's port proxy, which
  // the server's absolute redirects (to /login) leave; 127.0.0.2 is loopback too, and opened as it is.
  [authServer, workspace] = await Promise.all([startAuthServer('127.0.0.2'), copyWorkspace()]);
  resourceServer = await startSpringBootApp({ boot: '4.0', profile: 'resource-server', extraProperties: { 'jwt.issuer': authServer.issuer, 'jwt.audience': 'pkce-client' } });
  // `$shared`: used with no environment selected.
  const web = {
    Type: 'OAuth2',
    'Grant Type': 'Authorization Code',
    'Auth URL': `${authServer.issuer}/oauth2/authorize`,
    'Token URL': `${authServer.issuer}/oauth2/token`,
    'Redirect URL': 'http://127.0.0.1:0/callback',
    'Client ID': 'pkce-client',
    Scope: 'read',
    PKCE: true,
  };
  await writeFile(path.join(workspace.folder, 'http-client.env.json'), JSON.stringify({ $shared: { Security: { Auth: { web } } } }));
  await writeFile(path.join(workspace.folder, 'http-client.private.env.json'), JSON.stringify({ $shared: { Security: { Auth: { web: { 'Client Secret': 'pkce-secret-2b9f6d0e8a' } } } } }));
  await writeFile(path.join(workspace.folder, 'web.http'), `GET ${resourceServer.baseUrl}/api/me\nAuthorization: Bearer {{$auth.token("web")}}\n`);
  ui = await openUiWindow(workspace.folder);
  page = ui.page;
});
after(async () => {
  await ui?.close();
  await resourceServer?.stop();
  await authServer?.stop();
  await workspace?.remove();
});

test('Send Request opens the sign-in page in the browser; after signing in and consenting there, the panel shows 200', { timeout: 240_000 }, async () => {
  await openFile(page, 'web.http');
  // VS Code asks before it opens a site it does not trust; the user says Open.
  const dialog = page.locator('.monaco-dialog-box');
  await clickCodeLens(page, 'Send Request', 0, { effect: dialog.waitFor({ timeout: 60_000 }) });
  assert.match((await dialog.textContent()) ?? '', new RegExp(`open the external website.*${authServer.issuer.replace(/\./g, '\\.')}/oauth2/authorize`, 's'));
  const signInPage = page.context().waitForEvent('page');
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  const signIn = await signInPage;
  await signIn.waitForURL(`${authServer.issuer}/login`);
  await signInOnLoginPage(signIn);
  await consentOnPage(signIn);
  await signIn.getByText('Signed in. You can close this tab.').waitFor();
  await signIn.close();
  await panelShows(page, 1, /^200\b/);
  await screenshot(page, 'oauth2-sign-in');
});
