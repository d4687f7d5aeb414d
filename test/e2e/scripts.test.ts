// JetBrains scripts as a user sees them in a real VS Code (code-server + Chromium): a response handler
// stores a token with client.global.set; the next request's {{token}} is sent;
// after a window reload the session still holds the token, so a request sends it without logging in.
// httpYac's assertions and script blocks in the Tests tab; REST Client's `# @prompt` in an input box.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickCodeLens, openFile, screenshot, waitForStableCodeLenses, webviewFrame } from '../support/browser';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../support/recordingServer';
import { openUiWindow, waitForSavedSession, type UiWindow } from '../support/uiWindow';
import { copyWorkspace, type TempWorkspace } from '../support/workspace';

let server: RecordingServer;
let workspace: TempWorkspace;
let ui: UiWindow;
let page: Page;

// scripts.http: its Send Request lenses in order.
const lenses = { login: 0, me: 1 } as const;

before(async () => {
  [server, workspace] = await Promise.all([startRecordingServer(), copyWorkspace()]);
  // The recording server answers {"received": "<path>"}: the handler makes the token from it.
  await writeFile(
    path.join(workspace.folder, 'scripts.http'),
    [
      '### log in',
      `POST ${server.url}/login`,
      '',
      '> {%',
      '  client.global.set("token", "tok" + response.body.received.replace("/", "-"));',
      '  client.test("answered", () => client.assert(response.status === 200));',
      '%}',
      '',
      '### who am I',
      `GET ${server.url}/me`,
      'Authorization: Bearer {{token}}',
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(workspace.folder, 'httpyac.http'),
    [
      '/* httpYac: assertions and a script block */',
      `POST ${server.url}/orders`,
      '',
      '?? status == 200',
      '?? body received == /nowhere',
      '',
      '{{',
      "  console.log('answered', response.parsedBody.received);",
      '}}',
      '',
    ].join('\n'),
  );
  await writeFile(path.join(workspace.folder, 'prompt.http'), ['# @prompt orderId The order to fetch', `GET ${server.url}/orders/{{orderId}}`, ''].join('\n'));
  ui = await openUiWindow(workspace.folder);
  page = ui.page;
}, { timeout: 180_000 });

after(async () => {
  await ui?.close();
  await server?.close();
  await workspace?.remove();
});

async function send(lens: number): Promise<RecordedRequest> {
  const arrived = server.nextRequest();
  await clickCodeLens(page, 'Send Request', lens, { effect: arrived });
  return arrived;
}

const uiTest = { timeout: 150_000 };

test('a handler stores a token; the next request sends it; after a reload the session still has it', uiTest, async () => {
  await openFile(page, 'scripts.http');
  await waitForStableCodeLenses(page);

  assert.equal((await send(lenses.login)).target, '/login');
  // The response panel's Tests tab shows the handler's test.
  const panel = webviewFrame(page);
  await panel.getByRole('tab', { name: /Tests/ }).click();
  await panel.locator('#panel-tests .test.passed', { hasText: 'answered' }).waitFor();
  await screenshot(page, 'scripts-tests-tab');
  assert.equal((await send(lenses.me)).headers.authorization, 'Bearer tok-login');
  await screenshot(page, 'scripts-token-sent');

  await waitForSavedSession(page, 'tok-login');
  await page.reload();
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await openFile(page, 'scripts.http');
  await waitForStableCodeLenses(page);
  assert.equal((await send(lenses.me)).headers.authorization, 'Bearer tok-login', 'client.global survived the reload');
  assert.deepEqual(server.requests.map((r) => r.target), ['/login', '/me', '/me'], 'no second login');
});

test('an httpYac file: its ?? assertions pass and fail in the Tests tab, its console.log below them', uiTest, async () => {
  await openFile(page, 'httpyac.http');
  await waitForStableCodeLenses(page);
  const arrived = server.nextRequest();
  await clickCodeLens(page, 'Send Request', 0, { effect: arrived });
  assert.equal((await arrived).target, '/orders');
  const panel = webviewFrame(page);
  await panel.getByRole('tab', { name: /Tests/ }).click();
  await panel.locator('#panel-tests .test.passed', { hasText: 'status == 200' }).waitFor();
  const failed = panel.locator('#panel-tests .test.failed', { hasText: 'received == /nowhere' });
  await failed.waitFor();
  assert.match(await failed.innerText(), /got \/orders, expected == \/nowhere/);
  assert.match(await panel.locator('#panel-tests').innerText(), /answered \/orders/);
  await screenshot(page, 'scripts-httpyac-tests-tab');
});

test('# @prompt: an input box asks the question, the answer is sent; Escape sends nothing and says so', uiTest, async () => {
  await openFile(page, 'prompt.http');
  await waitForStableCodeLenses(page);
  const question = page.locator('.quick-input-widget', { hasText: 'The order to fetch' });
  await clickCodeLens(page, 'Send Request', 0, { effect: question.waitFor() });
  await page.locator('.quick-input-widget input').pressSequentially('42');
  await screenshot(page, 'prompt-input-box');
  const arrived = server.nextRequest();
  await page.keyboard.press('Enter');
  assert.equal((await arrived).target, '/orders/42');
  // The panel shows the response (and takes the focus) before the second send.
  await webviewFrame(page).locator('#history option', { hasText: '/orders/42' }).waitFor({ state: 'attached' });

  const sentBefore = server.requests.length;
  await question.waitFor({ state: 'hidden' });
  // The response panel has the focus now: back to the file's tab, or the click could land on another file's lens.
  await page.locator('.tabs-container .tab', { hasText: 'prompt.http' }).first().click();
  await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: 'prompt.http' }).waitFor();
  await waitForStableCodeLenses(page);
  await clickCodeLens(page, 'Send Request', 0, { effect: question.waitFor() });
  await page.keyboard.press('Escape');
  await page.locator('.notification-toast', { hasText: 'cancelled — prompt.http:2' }).filter({ hasText: 'was not answered' }).waitFor();
  assert.equal(server.requests.length, sentBefore, 'nothing was sent');
});
