// UI smoke test: the packaged extension installed into a real VS Code, driven by a real browser.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openFile, openWorkbench, runCommand, screenshot, waitForStableCodeLenses } from '../support/browser';
import { packageExtension } from '../support/build';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { copyWorkspace, type TempWorkspace } from '../support/workspace';

let workspace: TempWorkspace;
let server: CodeServer;
let browser: Browser;
let page: Page;

before(async () => {
  const vsix = await packageExtension();
  workspace = await copyWorkspace();
  // No smoke-test driver here: it hides notification toasts, which UI tests look at.
  server = await startCodeServer({ workspace: workspace.folder, extensionsToInstall: [vsix] });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openWorkbench(page, server.url, workspace.folder);
});

after(async () => {
  await browser?.close();
  await server?.stop();
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
