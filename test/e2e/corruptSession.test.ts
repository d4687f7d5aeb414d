// Issue 12, point 7, in a real VS Code (code-server + Chromium): the workspace state holds saved
// sessions with a cookie whose expiry is not a date. On activation the value is moved to a key of its
// own (`httpSession.sessions.corrupt-<time>`), a warning names that key and the wrong field, and a
// fresh session works and is saved. Before, the state loaded and every later save threw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickCodeLens, openFile, screenshot, waitForStableCodeLenses, workbenchUrl } from '../support/browser';
import { openSessionWindow } from '../support/uiWindow';

// The extension's workspaceState, as VS Code in the browser keeps it: one JSON item per extension in
// the workspace's IndexedDB database.
const extensionItem = 'http-session.http-session';

const corruptState = {
  version: 1,
  sessions: {
    default: {
      version: 1,
      name: 'default',
      jar: {
        cookies: [
          { key: 'JSESSIONID', value: 'BEFORE', domain: '127.0.0.1', path: '/', httpOnly: true, hostOnly: true, creation: '2026-01-01T00:00:00.000Z' },
          { key: 'theme', value: 'dark', domain: '127.0.0.1', path: '/', hostOnly: true, expires: 'next tuesday', creation: '2026-01-01T00:00:00.000Z' },
        ],
      },
      lifecycles: { cookies: [] },
      history: [],
    },
  },
};

// Run in the page, as source text (see browser.ts on tsx's __name helper).
const workspaceDatabasesScript = `async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => n && n.startsWith('vscode-web-state-db-') && n !== 'vscode-web-state-db-global')`;
const itemScript = (database: string, write?: string) => `async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(${JSON.stringify(database)});
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    const transaction = db.transaction('ItemTable', ${write === undefined ? "'readonly'" : "'readwrite'"});
    const store = transaction.objectStore('ItemTable');
    const request = ${write === undefined ? `store.get(${JSON.stringify(extensionItem)})` : `store.put(${JSON.stringify(write)}, ${JSON.stringify(extensionItem)})`};
    return await new Promise((resolve, reject) => {
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}`;

async function readExtensionState(page: Page, database: string): Promise<Record<string, unknown>> {
  const text: unknown = await page.evaluate(`(${itemScript(database)})()`);
  return typeof text === 'string' ? (JSON.parse(text) as Record<string, unknown>) : {};
}

test('corrupt saved sessions in workspace state: moved to their own key, a warning names it and the field, a fresh session works', { timeout: 240_000 }, async (t) => {
  const ui = await openSessionWindow();
  t.after(() => ui.close());
  const { page, workspace, sessionServer } = ui;

  const [database] = (await page.evaluate(`(${workspaceDatabasesScript})()`)) as string[];
  assert.ok(database, 'the workbench keeps this workspace state in IndexedDB');
  // Written while no workbench is open (it would flush its own copy over it), then the window comes back.
  const serverUrl = ui.codeServer.url;
  await page.goto(new URL('/healthz', serverUrl).toString());
  await page.evaluate(`(${itemScript(database, JSON.stringify({ 'httpSession.sessions': corruptState }))})()`);
  await page.goto(workbenchUrl(serverUrl, workspace.folder));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

  // Opening a request file activates the extension, which reads the saved sessions.
  await openFile(page, 'requests.http');
  const toast = page.locator('.notification-toast', { hasText: 'HTTP Session: The saved sessions could not be read' });
  await toast.waitFor({ timeout: 60_000 });
  const warning = (await toast.innerText()).replace(/\s+/g, ' ');
  await screenshot(page, 'corrupt-session-warning');
  assert.match(warning, /session "default": jar\.cookies\[1\]\.expires is a string, expected a date or "Infinity"/);
  const key = /the workspace state key "(httpSession\.sessions\.corrupt-[\dT:Z-]+)"/.exec(warning)?.[1];
  assert.ok(key, `the warning names where the state went: ${warning}`);

  // A fresh session: the login gets a new JSESSIONID and "who am I" sends it.
  await waitForStableCodeLenses(page);
  const login = sessionServer.nextRequest();
  await clickCodeLens(page, 'Send Request', 1, { effect: login });
  assert.equal((await login).cookie, undefined, 'nothing of the corrupt jar went out');
  const [issued] = sessionServer.issuedSessions;
  const whoAmI = sessionServer.nextRequest();
  await clickCodeLens(page, 'Send Request', 0, { effect: whoAmI });
  assert.equal((await whoAmI).sessionId, issued);

  // Stored: the corrupt value whole under its own key, and the fresh session in the usual one.
  await page.waitForFunction(
    `(${itemScript(database)})().then((text) => typeof text === 'string' && JSON.stringify(JSON.parse(text)['httpSession.sessions'] ?? null).includes(${JSON.stringify(issued)}))`,
    undefined,
    { polling: 200, timeout: 30_000 },
  );
  const stored = await readExtensionState(page, database);
  assert.deepEqual(stored[key], corruptState);
  assert.deepEqual(Object.keys(stored).filter((name) => name.startsWith('httpSession.sessions.corrupt-')), [key]);
});
