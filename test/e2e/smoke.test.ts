// UI smoke test: the packaged extension installed into a real VS Code, driven by a real browser.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openFile, runCommand, screenshot, waitForStableCodeLenses } from '../support/browser';
import { openUiWindow, type UiWindow } from '../support/uiWindow';
import { copyWorkspace, type TempWorkspace } from '../support/workspace';

let workspace: TempWorkspace;
let ui: UiWindow;
let page: Page;

before(async () => {
  workspace = await copyWorkspace();
  ui = await openUiWindow(workspace.folder);
  page = ui.page;
});

after(async () => {
  await ui?.close();
  await workspace?.remove();
});

test('an .http file shows Send All and a Send Request above each request', async () => {
  await openFile(page, 'requests.http');
  assert.deepEqual(await waitForStableCodeLenses(page), ['Send All', 'Send Request', 'Send Request']);
  await screenshot(page, 'smoke-codelenses');
});

test('the command palette runs the extension\'s commands', async () => {
  await runCommand(page, 'HTTP Session: Show Session Log');
  await page.locator('.panel .monaco-editor .view-lines', { hasText: 'HTTP Session activated' }).waitFor();
  await screenshot(page, 'smoke-session-log');
});
