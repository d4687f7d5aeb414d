// The sign-in grants as a VS Code user meets them: the packaged extension in a real VS Code (code-server)
// driven by Debian's Chromium, against the real Spring Authorization Server and the Spring Boot test app
// as a resource server that introspects every token. Send Request on `{{$auth.token("web")}}`
// (Authorization Code with PKCE) makes the extension open the sign-in page through `env.openExternal`
// (VS Code asks first, then a new browser tab); the user signs in and consents, the code comes back to the
// extension host's loopback listener, and the panel shows 200. Then `{{$auth.token("tv")}}` (Device
// Authorization): the verification page opens, a notification shows the user code, the user approves,
// and the polling extension gets the token: 200. Before those, a sign-in cancelled with Cancel Running
// Requests closes its listener and says so; after them, the 5 s token is refreshed without a browser,
// and the password and client credentials grants get their tokens with no page at all. Last, the 5 s
// token ends while the resource server checks it (a slow introspection, as on a cold server's first
// request): the 401 invalid_token makes the extension refresh it, with no browser, and send again.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { clickCodeLens, openFile, panelShows, runCommand, screenshot, webviewFrame } from '../support/browser';
import { openUiWindow, type UiWindow } from '../support/uiWindow';
import { copyWorkspace, type TempWorkspace } from '../support/workspace';
import { authServerUser, consentOnPage, signInOnLoginPage, startAuthServer, type AuthServer } from '../integration/support/authServer';
import { startServer, type LoopbackServer } from '../integration/session/loopback';
import { startSpringBootApp, type SpringBootApp } from '../integration/support/springBoot';

let authServer: AuthServer;
let resourceServer: SpringBootApp;
let introspection: LoopbackServer;
/** The tokens the resource server checked at the authorization server, in order. */
const introspected: string[] = [];
/** How many of the next introspections wait 6 s first: longer than the 5 s sign-in token lives. */
let slowIntrospections = 0;
let workspace: TempWorkspace;
let ui: UiWindow;
let page: Page;

before(async () => {
  // VS Code's openExternal sends 127.0.0.1 and localhost URLs through code-server's port proxy, which
  // the server's absolute redirects (to /login) leave; 127.0.0.2 is loopback too, and opened as it is.
  [authServer, workspace] = await Promise.all([startAuthServer({ address: '127.0.0.2' }), copyWorkspace()]);
  // Passes the resource server's introspection requests on to the authorization server, noting each token.
  introspection = await startServer((request, response) => {
    void (async () => {
      let body = '';
      for await (const chunk of request) body += String(chunk);
      if (slowIntrospections > 0) {
        slowIntrospections--;
        await delay(6000);
      }
      introspected.push(new URLSearchParams(body).get('token') ?? '');
      const answer = await fetch(`${authServer.issuer}/oauth2/introspect`, { method: 'POST', headers: { Authorization: request.headers.authorization ?? '', 'Content-Type': request.headers['content-type'] ?? '' }, body });
      response.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
    })();
  });
  // Checks every token at the authorization server, so it takes every client's tokens.
  resourceServer = await startSpringBootApp({
    boot: '4.0',
    profile: 'resource-server',
    extraProperties: { 'opaque.introspection-uri': `${introspection.url}/oauth2/introspect`, 'opaque.client-id': 'api-client', 'opaque.client-secret': 'api-secret-5d1c9e7a4b' },
  });
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
  const tv = {
    Type: 'OAuth2',
    'Grant Type': 'Device Authorization',
    'Device Auth URL': `${authServer.issuer}/oauth2/device_authorization`,
    'Token URL': `${authServer.issuer}/oauth2/token`,
    'Client ID': 'device-client',
    Scope: 'read',
  };
  const tokenUrl = `${authServer.issuer}/oauth2/token`;
  const legacy = { Type: 'OAuth2', 'Grant Type': 'Password', 'Token URL': tokenUrl, 'Client ID': 'legacy-client', Username: authServerUser.name, Scope: 'read' };
  const api = { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': tokenUrl, 'Client ID': 'api-client', Scope: 'read' };
  await writeFile(path.join(workspace.folder, 'http-client.env.json'), JSON.stringify({ $shared: { Security: { Auth: { web, tv, legacy, api } } } }));
  const secrets = {
    web: { 'Client Secret': 'pkce-secret-2b9f6d0e8a' },
    tv: { 'Client Secret': 'device-secret-3a7c5e91bd' },
    legacy: { 'Client Secret': 'legacy-secret-9d4a2c7e15', Password: authServerUser.password },
    api: { 'Client Secret': 'api-secret-5d1c9e7a4b' },
  };
  await writeFile(path.join(workspace.folder, 'http-client.private.env.json'), JSON.stringify({ $shared: { Security: { Auth: secrets } } }));
  // web-again, web-slow: web's request in a file not opened yet (openFile waits for a new active tab).
  for (const name of ['web', 'tv', 'legacy', 'api', 'web-again', 'api-again', 'web-slow']) {
    await writeFile(path.join(workspace.folder, `${name}.http`), `GET ${resourceServer.baseUrl}/api/me\nAuthorization: Bearer {{$auth.token("${name.replace(/-(again|slow)$/, '')}")}}\n`);
  }
  ui = await openUiWindow(workspace.folder);
  page = ui.page;
});
after(async () => {
  await ui?.close();
  await resourceServer?.stop();
  await introspection?.close();
  await authServer?.stop();
  await workspace?.remove();
});

/** Sends the request of `file`, says Open when VS Code asks, and returns the new tab: `path` on the authorization server, or its login page. */
async function sendAndOpenSignInPage(file: string, path: string): Promise<Page> {
  await openFile(page, file);
  // VS Code asks before it opens a site it does not trust; the user says Open. (code-server's dialog may
  // still show the previous URL it asked about: the page that opens is checked instead.)
  const dialog = page.locator('.monaco-dialog-box');
  // One click: a second one while the first waits for the sign-in would send the request twice.
  await clickCodeLens(page, 'Send Request', 0, { effect: dialog.waitFor({ timeout: 60_000 }), missedAfterMs: 60_000 });
  assert.match((await dialog.textContent()) ?? '', /open the external website\?/);
  const signInPage = page.context().waitForEvent('page');
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  const signIn = await signInPage;
  await signIn.waitForURL((url) => url.href.startsWith(`${authServer.issuer}${path}`) || url.href === `${authServer.issuer}/login`);
  return signIn;
}

test('Cancel Running Requests while the sign-in page waits: the redirect listener closes and a notification says the request was cancelled', { timeout: 240_000 }, async () => {
  let redirectUri: string | undefined;
  const seeRedirect = (request: { url(): string }) => (redirectUri ??= new URL(request.url()).searchParams.get('redirect_uri') ?? undefined);
  page.context().on('request', seeRedirect);
  const signIn = await sendAndOpenSignInPage('web.http', '/oauth2/authorize');
  page.context().off('request', seeRedirect);
  assert.match(redirectUri ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  await fetch(redirectUri!); // listening (a request without state is refused, the listener waits on)
  await runCommand(page, 'HTTP Session: Cancel Running Requests');
  await page.locator('.notification-toast', { hasText: "cancelled — web.http:2: auth configuration 'web': the sign-in was cancelled" }).waitFor();
  await assert.rejects(fetch(redirectUri!), 'the listener is closed');
  await signIn.close();
});

test('Send Request opens the sign-in page in the browser; after signing in and consenting there, the panel shows 200', { timeout: 240_000 }, async () => {
  const signIn = await sendAndOpenSignInPage('web.http', '/oauth2/authorize');
  await signIn.waitForURL(`${authServer.issuer}/login`);
  await signInOnLoginPage(signIn);
  await consentOnPage(signIn);
  await signIn.getByText('Signed in. You can close this tab.').waitFor();
  await signIn.close();
  await panelShows(page, 1, /^200\b/);
  await screenshot(page, 'oauth2-sign-in');
});

test('Device Authorization: the page opens and a notification shows the user code; after approving there, the panel shows 200', { timeout: 240_000 }, async () => {
  const approve = await sendAndOpenSignInPage('tv.http', '/oauth2/device_verification');
  const userCode = /user_code=([A-Z]{4}-[A-Z]{4})/.exec(decodeURIComponent(approve.url()))?.[1];
  assert.ok(userCode, approve.url());
  await page.locator('.notification-toast', { hasText: `confirm the code ${userCode} in the browser to sign in for 'tv'` }).waitFor();
  // The browser is still signed in at the authorization server from the test above: straight to consent.
  await consentOnPage(approve);
  await approve.waitForURL(/\?success$/);
  await approve.close();
  await panelShows(page, 2, /^200\b/);
});

/** Sends `file`'s request and waits for the panel to hold `count` exchanges, the last one 200; no browser tab may open. */
async function sendAndSee200(file: string, count: number): Promise<void> {
  const pagesBefore = page.context().pages().length;
  await openFile(page, file);
  const panelGrew = webviewFrame(page).locator('#history option').nth(count - 1).waitFor({ state: 'attached', timeout: 60_000 });
  await clickCodeLens(page, 'Send Request', 0, { effect: panelGrew });
  await panelShows(page, count, /^200\b/);
  assert.equal(page.context().pages().length, pagesBefore, 'no sign-in page opened');
}

test('the 5 s sign-in token is refreshed without a browser: Send Request again answers 200', { timeout: 120_000 }, async () => {
  await sendAndSee200('web-again.http', 3);
});

test('the password grant and client credentials: tokens without any page, 200 in the panel', { timeout: 120_000 }, async () => {
  await sendAndSee200('legacy.http', 4);
  await sendAndSee200('api.http', 5);
});

test('a token revoked at the authorization server: the resource server\'s 401 invalid_token makes the extension fetch a new token and send again, 200', { timeout: 120_000 }, async () => {
  const revoked = introspected.at(-1)!; // api's token, from the test above
  const basic = `Basic ${Buffer.from('api-client:api-secret-5d1c9e7a4b').toString('base64')}`;
  const revocation = await fetch(`${authServer.issuer}/oauth2/revoke`, { method: 'POST', headers: { Authorization: basic }, body: new URLSearchParams({ token: revoked, token_type_hint: 'access_token' }) });
  assert.equal(revocation.status, 200);
  introspected.length = 0;
  await sendAndSee200('api-again.http', 6);
  assert.equal(introspected.length, 2, 'the revoked token, then the new one');
  assert.equal(introspected[0], revoked);
  assert.notEqual(introspected[1], revoked);
});

test('a sign-in token that ends while the resource server checks it: the 401 invalid_token makes the extension refresh it, no browser, and the retry answers 200', { timeout: 120_000 }, async () => {
  introspected.length = 0;
  slowIntrospections = 1;
  await sendAndSee200('web-slow.http', 7);
  assert.equal(introspected.length, 2, 'the token that ended during its check, then the refreshed one');
  assert.notEqual(introspected[0], introspected[1]);
});
