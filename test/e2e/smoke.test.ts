// UI smoke test: the packaged extension installed into a real VS Code, driven by a real browser.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { clickCodeLens, launchBrowser, openFile, openWorkbench, screenshot, waitForStableCodeLenses } from '../support/browser';
import { repoRoot, startCodeServer, type CodeServer } from '../support/codeServer';
import { copyWorkspace, type TempWorkspace } from '../support/workspace';

let workspace: TempWorkspace;
let server: CodeServer;
let browser: Browser;
let page: Page;

before(async () => {
  workspace = await copyWorkspace();
  // No smoke-test driver here: it hides notification toasts, which UI tests look at.
  server = await startCodeServer({ workspace: workspace.folder, extensionsToInstall: [path.join(repoRoot, 'test/fixtures/smoke-extension')] });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openWorkbench(page, server.url, workspace.folder);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await workspace?.remove();
});

test('an .http file shows a CodeLens above each request', async () => {
  await openFile(page, 'requests.http');
  const lenses = await waitForStableCodeLenses(page);
  assert.deepEqual(lenses, ['Smoke Send', 'Smoke Send']);
  await screenshot(page, 'smoke-codelenses');
});

test('clicking a CodeLens runs its command', async () => {
  await clickCodeLens(page, 'Smoke Send');
  await page.locator('.notification-toast', { hasText: 'Hello from the smoke extension (1)' }).waitFor();
  await screenshot(page, 'smoke-codelens-clicked');
});
