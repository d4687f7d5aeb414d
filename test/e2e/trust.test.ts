// Workspace trust as a user sees it: the packaged extension in a real VS Code (code-server) with
// workspace trust ON, the folder left untrusted (Restricted Mode), like a freshly cloned repository.
// The extension still activates (`untrustedWorkspaces: limited`), but
// - a send asks first in a modal naming the target origin and the files the request reads; declining
//   sends nothing and is not remembered; accepted origins and files are not asked about again;
// - the repository cannot make a request carry the user's secrets: a file outside the folder, the
//   process environment, the private env file; each refusal names file:line, and the repository's own
//   `.vscode/settings.json` (a proxy, a default header) is not applied;
// - once the user trusts the folder, all of it works. One code-server launch.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickCodeLens, openFile, runCommand, screenshot, waitForStableCodeLenses } from '../support/browser';
import { untrustedWindowSettings } from '../support/codeServer';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../support/recordingServer';
import { startSessionServer, type SessionServer } from '../support/sessionServer';
import { exampleLenses, openUiWindow, type UiWindow } from '../support/uiWindow';
import { copyWorkspace, pointRequestsAt, type TempWorkspace } from '../support/workspace';

let workspace: TempWorkspace;
let sessionServer: SessionServer;
/** Where cloned.http sends, and the proxy the repository's settings name. */
let target: RecordingServer;
let plantedProxy: RecordingServer;
let ui: UiWindow;
let page: Page;

// cloned.http: the lenses in order, and the line (1-based) each secret is read on.
const cloned = { outsideFile: 0, processEnv: 1, privateValue: 2, plain: 3, insideFile: 4 } as const;
const secrets = { outsideFile: 'OUTSIDE-FILE-SECRET-7f3a', processEnv: 'PROCESS-ENV-SECRET-91c2', privateValue: 'PRIVATE-ENV-SECRET-5d08' };
const plantedHeader = 'planted-by-the-repository';

before(async () => {
  [sessionServer, target, plantedProxy] = await Promise.all([startSessionServer(), startRecordingServer(), startRecordingServer()]);
  workspace = await copyWorkspace();
  await pointRequestsAt(workspace, sessionServer.url);
  // What a hostile repository can hold, and a secret of the user's next to it.
  await writeFile(path.join(workspace.parentDir, 'outside.txt'), secrets.outsideFile);
  await writeFile(path.join(workspace.folder, 'payload.txt'), 'a file of the repository');
  await writeFile(path.join(workspace.folder, 'http-client.private.env.json'), JSON.stringify({ $shared: { token: secrets.privateValue } }));
  await mkdir(path.join(workspace.folder, '.vscode'));
  await writeFile(
    path.join(workspace.folder, '.vscode/settings.json'),
    JSON.stringify({ 'httpSession.proxy': plantedProxy.url, 'httpSession.defaultHeaders': { 'X-Planted': plantedHeader } }),
  );
  await writeFile(
    path.join(workspace.folder, 'cloned.http'),
    [
      `@host = ${target.url}`,
      '',
      '### A file outside the folder',
      'POST {{host}}/outside-file',
      'Content-Type: text/plain',
      '',
      '< ../outside.txt',
      '',
      '### The process environment',
      'GET {{host}}/process-env?value={{$processEnv HTTP_SESSION_E2E_SECRET}}',
      '',
      '### A private env value',
      'GET {{host}}/private-value',
      'X-Token: {{token}}',
      '',
      '### Nothing secret',
      'GET {{host}}/plain',
      '',
      '### A file of the repository',
      'POST {{host}}/inside-file',
      'Content-Type: text/plain',
      '',
      '< ./payload.txt',
      '',
    ].join('\n'),
  );
  ui = await openUiWindow(workspace.folder, {
    codeServer: { workspaceTrust: true, userSettings: { ...untrustedWindowSettings }, env: { HTTP_SESSION_E2E_SECRET: secrets.processEnv } },
  });
  page = ui.page;
}, { timeout: 180_000 });

after(async () => {
  await ui?.close();
  await Promise.all([sessionServer?.close(), target?.close(), plantedProxy?.close()]);
  await workspace?.remove();
});

const dialog = () => page.locator('.monaco-dialog-box');
const toast = (text: string) => page.locator('.notifications-toasts .notification-toast', { hasText: text });

/** Waits for the trust question and checks that it names the method, the origin and the files read. */
async function expectTrustQuestion(method: string, origin: string, reads = ''): Promise<void> {
  await dialog().waitFor({ timeout: 15_000 });
  assert.equal(await dialog().count(), 1);
  const text = (await dialog().locator('.dialog-message-container').textContent()) ?? '';
  assert.ok(text.includes(`This workspace is not trusted. Send ${method} to ${origin} through your HTTP session (cookies included)?`), text);
  assert.ok(text.includes(`${reads}Hosts and files you accept are not asked about again in this window.`), text);
  assert.equal(await dialog().locator('.dialog-icon.codicon-dialog-warning').count(), 1, 'a warning');
  const buttons = (await dialog().locator('.dialog-buttons .monaco-button').allTextContents()).map((label) => label.trim());
  assert.deepEqual([...buttons].sort(), ['Cancel', 'Send']);
}

async function answerSend(): Promise<void> {
  await dialog().locator('.dialog-buttons .monaco-button', { hasText: /^\s*Send\s*$/ }).click();
  await dialog().waitFor({ state: 'hidden' });
}

test('an untrusted window asks before sending, naming the origin; Cancel sends nothing; an accepted origin is not asked again', async () => {
  // Restricted Mode, and no startup trust dialog in the way.
  await page.locator('.statusbar-item[id="status.workspaceTrust"]').waitFor({ timeout: 30_000 });
  assert.equal(await dialog().count(), 0, 'no trust dialog at startup');

  await openFile(page, 'requests.http');
  const lenses = await waitForStableCodeLenses(page);
  assert.ok(lenses.filter((text) => text.trim() === 'Send Request').length >= 2, `the extension is active in Restricted Mode: ${JSON.stringify(lenses)}`);

  // 1. Send "Who am I" → asked, naming the origin; Cancel (Escape) → nothing sent.
  await clickCodeLens(page, 'Send Request', exampleLenses.whoAmI, { effect: dialog().waitFor({ timeout: 60_000 }) });
  await expectTrustQuestion('GET', sessionServer.url);
  await screenshot(page, 'untrusted-ask');
  await page.keyboard.press('Escape');
  await dialog().waitFor({ state: 'hidden' });
  // The extension host handles messages in order: this command's answer comes after the declined
  // send has returned. A declined send is not remembered as the last request either.
  await runCommand(page, 'HTTP Session: Re-send Last Request');
  await toast('HTTP Session: nothing has been sent yet in this window.').waitFor();
  assert.equal(sessionServer.requests.length, 0, 'declining sent nothing');

  // 2. Send "Log in" → asked again (the decline was not remembered); Send → it goes out.
  await clickCodeLens(page, 'Send Request', exampleLenses.login, { effect: dialog().waitFor({ timeout: 60_000 }) });
  await expectTrustQuestion('POST', sessionServer.url);
  assert.equal(sessionServer.requests.length, 0, 'nothing is sent while the question is open');
  const login = sessionServer.nextRequest();
  await answerSend();
  // The first request to arrive is the accepted /login: the declined /whoami never went out.
  assert.equal((await login).path, '/login');
  assert.equal(sessionServer.requests.length, 1);

  // 3. Send "Who am I" → same origin, already accepted: no question, and the session goes along.
  const whoAmI = sessionServer.nextRequest();
  await clickCodeLens(page, 'Send Request', exampleLenses.whoAmI, { effect: whoAmI });
  const received = await whoAmI;
  assert.equal(received.path, '/whoami');
  assert.equal(received.sessionId, sessionServer.issuedSessions[0], 'the session cookie from the login went along');
  assert.equal(await dialog().count(), 0, 'no question for an accepted origin');
  assert.equal(sessionServer.requests.length, 2);
});

test("Restricted Mode: the repository's requests carry none of the user's secrets and its settings are not applied", async () => {
  await openFile(page, 'cloned.http');
  await waitForStableCodeLenses(page);

  // Each secret-reading request is refused before anything is asked or sent, naming file:line.
  const refusals: readonly [lens: number, message: string][] = [
    [cloned.outsideFile, `HTTP Session: not sent — cloned.http:7: ${path.join(workspace.parentDir, 'outside.txt')} is outside the workspace folder`],
    [cloned.processEnv, 'HTTP Session: not sent — cloned.http:10: $processEnv is not available in Restricted Mode'],
    [cloned.privateValue, "HTTP Session: not sent — cloned.http:14: Variable 'token' is not defined (no environment selected) (Restricted Mode reads no private env file"],
  ];
  for (const [lens, message] of refusals) {
    await clickCodeLens(page, 'Send Request', lens, { effect: toast(message).waitFor({ timeout: 60_000 }) });
    assert.equal(await dialog().count(), 0, `${message}: nothing to ask about`);
  }
  await screenshot(page, 'untrusted-refused');

  // A new origin is asked about even though another one was accepted; it goes out directly, not
  // through the planted proxy, and without the planted default header.
  const plain = target.nextRequest();
  await clickCodeLens(page, 'Send Request', cloned.plain, { effect: dialog().waitFor({ timeout: 60_000 }) });
  await expectTrustQuestion('GET', target.url);
  await answerSend();
  const plainReceived = await plain;
  assert.equal(plainReceived.target, '/plain', 'sent to the host itself, not to a proxy');
  assert.equal(plainReceived.headers['x-planted'], undefined, 'the planted default header is not applied');
  assert.equal(plainReceived.headers['user-agent'], 'http-session', "the user's own default headers still are");

  // An accepted origin reading a file it has not read yet: asked again, naming the file.
  const inside = target.nextRequest();
  await clickCodeLens(page, 'Send Request', cloned.insideFile, { effect: dialog().waitFor({ timeout: 60_000 }) });
  await expectTrustQuestion('POST', target.url, 'It reads payload.txt. ');
  await screenshot(page, 'untrusted-ask-file');
  await answerSend();
  assert.equal((await inside).body, 'a file of the repository');

  assert.deepEqual(target.requests.map((request) => request.target), ['/plain', '/inside-file'], 'the refused requests never went out');
  assert.deepEqual(plantedProxy.requests, [], 'the planted proxy was never used');
  const everything = JSON.stringify(target.requests);
  for (const secret of Object.values(secrets)) assert.ok(!everything.includes(secret), `${secret} did not reach the server`);
});

test('once the folder is trusted, the same requests read their files, variables and settings', async () => {
  await runCommand(page, 'Workspaces: Manage Workspace Trust');
  await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^\s*Trust\s*$/ }).first().click();
  await page.locator('.statusbar-item[id="status.workspaceTrust"]').waitFor({ state: 'detached', timeout: 30_000 });
  await screenshot(page, 'trusted');
  // VS Code shows the trust editor as a modal editor over the window.
  await page.locator('.monaco-modal-editor-block .codicon-close').first().click();
  await page.locator('.monaco-modal-editor-block').waitFor({ state: 'detached' });
  await openFile(page, 'cloned.http');

  // The planted proxy now applies (as the user chose to trust it): every request arrives there.
  const expected: readonly [lens: number, carries: (request: RecordedRequest) => string | undefined, secret: string][] = [
    [cloned.outsideFile, (request) => request.body, secrets.outsideFile],
    [cloned.processEnv, (request) => new URL(request.target).searchParams.get('value') ?? undefined, secrets.processEnv],
    [cloned.privateValue, (request) => request.headers['x-token'] as string | undefined, secrets.privateValue],
  ];
  for (const [lens, carries, secret] of expected) {
    const proxied = plantedProxy.nextRequest();
    await clickCodeLens(page, 'Send Request', lens, { effect: proxied });
    const request = await proxied;
    assert.ok(request.target.startsWith(`${target.url}/`), `through the proxy: ${request.target}`);
    assert.equal(carries(request), secret);
    assert.equal(request.headers['x-planted'], plantedHeader, 'the default header of the workspace settings applies');
    assert.equal(await dialog().count(), 0, 'a trusted workspace is not asked about');
  }
});
