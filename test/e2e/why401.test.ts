// Issue 7 as a user sees it: the packaged extension in a real VS Code (code-server) driven by Chromium.
// A request gets a 401 from the demo server; the response panel explains it in a "Why 401?" card, and
// its fix re-runs the file's login (the session adds the CSRF header itself), after which the same
// request succeeds and the card is gone. One code-server launch for the whole file.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../../src/demo/demoServer';
import { clickCodeLens, openFile, panelShows, screenshot, webviewFrame } from '../support/browser';
import { openUiWindow, type UiWindow } from '../support/uiWindow';
import { copyWorkspace, type TempWorkspace } from '../support/workspace';

let workspace: TempWorkspace;
let demo: DemoServer;
let ui: UiWindow;
let page: Page;

before(async () => {
  demo = await startDemoServer({ port: 0, host: '127.0.0.1' });
  workspace = await copyWorkspace();
  await writeFile(
    path.join(workspace.folder, 'why401.http'),
    `### Who am I? Before the login the server answers 401
# @name me
GET ${demo.url}/api/me
Accept: application/json

### Log in: no token written, the session sends X-XSRF-TOKEN from the jar
# @name login
POST ${demo.url}/login
Content-Type: application/x-www-form-urlencoded

username=user&password=password
`,
  );
  ui = await openUiWindow(workspace.folder);
  page = ui.page;
});

after(async () => {
  await ui?.close();
  await demo?.close();
  await workspace?.remove();
});


test('a 401 shows the "Why 401?" card with the verdict; its fix logs in and the request then succeeds', async () => {
  await openFile(page, 'why401.http');
  await clickCodeLens(page, 'Send Request', 0, { effect: webviewFrame(page).locator('#history option').first().waitFor({ state: 'attached', timeout: 60_000 }) });
  const panel = webviewFrame(page);
  const card = panel.locator('section.findings');
  await panelShows(page, 1, /^401\b/);
  await card.waitFor();
  assert.equal((await card.locator('h2').textContent())?.trim(), '⚠Why 401?');
  const finding = card.locator('.finding[data-finding="no-session-cookie"]');
  assert.equal(
    await finding.locator('.verdict').textContent(),
    `Not logged in: no session cookie and no Authorization header went to ${demo.url}/api/me, so the server answered 401. Log in first.`,
  );
  const evidence = await finding.locator('.evidence li').allTextContents();
  assert.ok(evidence.includes('No login request has succeeded in this session'), evidence.join('\n'));
  const fix = finding.locator('button.fix');
  assert.equal((await fix.textContent())?.trim(), "Re-run 'login' to log in, then send this request again");
  // The Problems panel gets the same verdict on the request line.
  await page.locator('.statusbar-item[id="status.problems"]', { hasText: /\b1\b/ }).waitFor();
  await screenshot(page, 'why-401');

  await fix.click();
  await panelShows(page, 2, /^200\b/);
  assert.equal(await card.count(), 0, 'the login went through: nothing to explain');

  // The fix ran from the panel, which has the focus now: back to the request in the editor, and Ctrl+Alt+R.
  await page.locator('.editor-group-container .view-line', { hasText: '/api/me' }).click({ position: { x: 2, y: 5 } });
  await page.keyboard.press('Control+Alt+R');
  await panelShows(page, 3, /^200\b/);
  assert.equal(await card.count(), 0);
  await panel.locator('.request-line', { hasText: `${demo.url}/api/me` }).waitFor();
  await screenshot(page, 'why-401-fixed');
});
