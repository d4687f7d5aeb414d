// Workspace trust as a user sees it: the packaged extension in a real VS Code (code-server) with
// workspace trust ON, the folder left untrusted (Restricted Mode). The extension still activates
// (`untrustedWorkspaces: limited`), but a send asks first in a modal; declining sends nothing and is
// not remembered; accepting sends, and the window does not ask again. One code-server launch.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickCodeLens, openFile, runCommand, screenshot, waitForStableCodeLenses } from '../support/browser';
import { untrustedWindowSettings } from '../support/codeServer';
import { startSessionServer, type SessionServer } from '../support/sessionServer';
import { openUiWindow, type UiWindow } from '../support/uiWindow';
import { copyWorkspace, pointRequestsAt, type TempWorkspace } from '../support/workspace';

let workspace: TempWorkspace;
let sessionServer: SessionServer;
let ui: UiWindow;
let page: Page;

// requests.http: "Who am I" (GET /whoami) first, "Log in" (POST /login) second.
const whoAmILens = 0;
const loginLens = 1;
const question = 'This workspace is not trusted. Send requests from its files through your HTTP session (cookies included)?';

before(async () => {
  sessionServer = await startSessionServer();
  workspace = await copyWorkspace();
  await pointRequestsAt(workspace, sessionServer.url);
  ui = await openUiWindow(workspace.folder, { codeServer: { workspaceTrust: true, userSettings: { ...untrustedWindowSettings } } });
  page = ui.page;
}, { timeout: 180_000 });

after(async () => {
  await ui?.close();
  await sessionServer?.close();
  await workspace?.remove();
});

const dialog = () => page.locator('.monaco-dialog-box');

/** Waits for the trust question and checks its text and buttons. */
async function expectTrustQuestion(): Promise<void> {
  await dialog().waitFor({ timeout: 15_000 });
  assert.equal(await dialog().count(), 1);
  // VS Code 1.139 puts a modal message without a title into the dialog's detail line.
  assert.equal((await dialog().locator('.dialog-message-container').textContent())?.trim(), question);
  assert.equal(await dialog().locator('.dialog-icon.codicon-dialog-warning').count(), 1, 'a warning');
  const buttons = (await dialog().locator('.dialog-buttons .monaco-button').allTextContents()).map((text) => text.trim());
  assert.deepEqual([...buttons].sort(), ['Cancel', 'Send']);
}

test('an untrusted window asks before sending; Cancel sends nothing, Send sends, and it asks once per window', async () => {
  // Restricted Mode, and no startup trust dialog in the way.
  await page.locator('.statusbar-item[id="status.workspaceTrust"]').waitFor({ timeout: 30_000 });
  assert.equal(await dialog().count(), 0, 'no trust dialog at startup');

  await openFile(page, 'requests.http');
  const lenses = await waitForStableCodeLenses(page);
  assert.ok(lenses.filter((text) => text.trim() === 'Send Request').length >= 2, `the extension is active in Restricted Mode: ${JSON.stringify(lenses)}`);

  // 1. Send "Who am I" → asked; Cancel (Escape) → nothing sent.
  await clickCodeLens(page, 'Send Request', whoAmILens, { effect: dialog().waitFor({ timeout: 60_000 }) });
  await expectTrustQuestion();
  await screenshot(page, 'untrusted-ask');
  await page.keyboard.press('Escape');
  await dialog().waitFor({ state: 'hidden' });
  // The extension host handles messages in order: this command's answer comes after the declined
  // send has returned. A declined send is not remembered as the last request either.
  await runCommand(page, 'HTTP Session: Re-send Last Request');
  await page.locator('.notifications-toasts .notification-toast', { hasText: 'HTTP Session: nothing has been sent yet in this window.' }).waitFor();
  assert.equal(sessionServer.requests.length, 0, 'declining sent nothing');

  // 2. Send "Log in" → asked again (the decline was not remembered); Send → it goes out.
  await clickCodeLens(page, 'Send Request', loginLens, { effect: dialog().waitFor({ timeout: 60_000 }) });
  await expectTrustQuestion();
  assert.equal(sessionServer.requests.length, 0, 'nothing is sent while the question is open');
  const login = sessionServer.nextRequest();
  await dialog().locator('.dialog-buttons .monaco-button', { hasText: /^\s*Send\s*$/ }).click();
  // The first request to arrive is the accepted /login: the declined /whoami never went out.
  assert.equal((await login).path, '/login');
  await dialog().waitFor({ state: 'hidden' });
  assert.equal(sessionServer.requests.length, 1);

  // 3. Send "Who am I" → goes out without a question (asked once per window), with the session.
  const whoAmI = sessionServer.nextRequest();
  await clickCodeLens(page, 'Send Request', whoAmILens, { effect: whoAmI });
  const received = await whoAmI;
  assert.equal(received.path, '/whoami');
  assert.equal(received.sessionId, sessionServer.issuedSessions[0], 'the session cookie from the login went along');
  assert.equal(await dialog().count(), 0, 'no question the second time');
  assert.equal(sessionServer.requests.length, 2);
});
