// Issue 12 (point 11) as a user sees it: with `httpSession.panel.mode: perRequest`, each request has
// its own response panel. After a window reload VS Code restores every panel tab, and each one must
// come back showing its own request (and keep being that request's panel), not all as one panel.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickCodeLens, openFile, runCommand, screenshot, waitForStableCodeLenses, webviewFrame } from '../support/browser';
import type { SessionServer } from '../support/sessionServer';
import { exampleLenses, openSessionWindow, type SessionWindow } from '../support/uiWindow';

let ui: SessionWindow;
let sessionServer: SessionServer;
let page: Page;

before(async () => {
  ui = await openSessionWindow({ codeServer: { userSettings: { 'httpSession.panel.mode': 'perRequest' } } });
  ({ page, sessionServer } = ui);
}, { timeout: 180_000 });

after(async () => {
  await ui?.close();
});

/** The editor tabs of response panels, by their titles ("POST /login · 200 OK"). */
const panelTab = (title: string) => page.locator('.tabs-container .tab', { hasText: title });
const panelTabTitles = async () => (await page.locator('.tabs-container .tab .label-name').allTextContents()).filter((title) => title.includes(' · '));

/** Waits until the visible panel shows this request path with its history holding `count` entries. */
async function visiblePanelShows(requestPath: string, count: number): Promise<void> {
  const panel = webviewFrame(page);
  await panel.locator('.request-line', { hasText: `${sessionServer.url}${requestPath}` }).waitFor({ timeout: 60_000 });
  await panel.locator('#history option').nth(count - 1).waitFor({ state: 'attached' });
  assert.equal(await panel.locator('#history option').count(), count);
}

async function clickSend(nth: number, path: string): Promise<void> {
  const arrived = sessionServer.nextRequest();
  await clickCodeLens(page, 'Send Request', nth, { effect: arrived });
  assert.equal((await arrived).path, path);
}

const uiTest = { timeout: 180_000 };
/** Both panels' tab titles, sorted. */
const bothPanels = ['GET /whoami · 200 OK', 'POST /login · 200 OK'];

test('perRequest panels come back after a reload, each with its own request, and stay that request\'s panel', uiTest, async () => {
  await openFile(page, 'requests.http');
  await waitForStableCodeLenses(page);

  await clickSend(exampleLenses.login, '/login');
  await panelTab('POST /login · 200 OK').waitFor({ timeout: 60_000 });
  await visiblePanelShows('/login', 1);
  await openFile(page, 'requests.http');
  await clickSend(exampleLenses.whoAmI, '/whoami');
  await panelTab('GET /whoami · 200 OK').waitFor({ timeout: 60_000 });
  await visiblePanelShows('/whoami', 2);
  assert.deepEqual((await panelTabTitles()).sort(), bothPanels);

  // The command, not page.reload(): it shuts the workbench down as a user's reload does, saving the
  // open editors and each panel's webview state first.
  const reloaded = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

  // VS Code revives a restored panel when it first becomes visible: show each in turn.
  await panelTab('POST /login · 200 OK').click();
  await visiblePanelShows('/login', 2);
  await panelTab('GET /whoami · 200 OK').click();
  await visiblePanelShows('/whoami', 2);
  assert.deepEqual((await panelTabTitles()).sort(), bothPanels, 'both panels are still open after both were revived');
  await screenshot(page, 'panel-restore-per-request');

  // Sending the login again goes to the restored login panel, not to a new one.
  await page.locator('.tabs-container .tab[aria-label="requests.http, Editor Group 1"]').click();
  await waitForStableCodeLenses(page);
  await clickSend(exampleLenses.login, '/login');
  await visiblePanelShows('/login', 3);
  assert.deepEqual((await panelTabTitles()).sort(), bothPanels);
});
