// One real VS Code window as a user sees it, for the UI tests: the packaged extension installed into
// code-server WITHOUT the smoke-test driver (it hides notification toasts), shown in one Chromium page.
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWorkbench } from './browser';
import { packageExtension } from './build';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { startSessionServer, type SessionServer } from './sessionServer';
import { copyWorkspace, pointRequestsAt, type TempWorkspace } from './workspace';

export interface UiWindow {
  readonly codeServer: CodeServer;
  readonly browser: Browser;
  /** One page for the whole file: a reload keeps its context, and so the window's workspaceState (IndexedDB). */
  readonly page: Page;
  close(): Promise<void>;
}

export interface UiWindowOptions {
  readonly vsix?: string;
  readonly codeServer?: Omit<CodeServerOptions, 'workspace' | 'extensionsToInstall' | 'smokeTestDriver'>;
}

/** Packages the extension, starts code-server on `folder` and opens the workbench in Chromium. */
export async function openUiWindow(folder: string, options: UiWindowOptions = {}): Promise<UiWindow> {
  const vsix = await packageExtension(options.vsix);
  const codeServer = await startCodeServer({ ...options.codeServer, workspace: folder, extensionsToInstall: [vsix] });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await openWorkbench(page, codeServer.url, folder);
    const opened = browser;
    return {
      codeServer,
      browser: opened,
      page,
      close: async () => {
        await opened.close();
        await codeServer.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await codeServer.stop();
    throw error;
  }
}

/** The Send Request lenses of the examples workspace's requests.http, in order. */
export const exampleLenses = { whoAmI: 0, login: 1 } as const;

export interface SessionWindow extends UiWindow {
  readonly workspace: TempWorkspace;
  readonly sessionServer: SessionServer;
}

/** A copy of the examples workspace, its requests pointed at a fresh session server, open in a UI window; `close` stops and removes all three. */
export async function openSessionWindow(options: UiWindowOptions = {}): Promise<SessionWindow> {
  const [sessionServer, workspace] = await Promise.all([startSessionServer(), copyWorkspace()]);
  try {
    await pointRequestsAt(workspace, sessionServer.url);
    const ui = await openUiWindow(workspace.folder, options);
    return {
      ...ui,
      workspace,
      sessionServer,
      close: async () => {
        await ui.close();
        await Promise.all([sessionServer.close(), workspace.remove()]);
      },
    };
  } catch (error) {
    await Promise.all([sessionServer.close(), workspace.remove()]);
    throw error;
  }
}

// Runs in the page (as source text: see browser.ts on tsx's __name helper). The extension's workspace
// state as the window's IndexedDB databases hold it: one JSON text per database that has it.
const workspaceStateScript = `async () => {
  const found = [];
  for (const { name } of await indexedDB.databases()) {
    if (!name || !name.startsWith('vscode-web-state-db-')) continue;
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!db.objectStoreNames.contains('ItemTable')) continue;
      const value = await new Promise((resolve, reject) => {
        const request = db.transaction('ItemTable').objectStore('ItemTable').get('http-session.http-session');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      if (typeof value === 'string') found.push(value);
    } finally {
      db.close();
    }
  }
  return found;
}`;

/** The extension's workspace state (sessions, panel history, environment) as the window keeps it: JSON texts. */
export async function extensionWorkspaceState(page: Page): Promise<string[]> {
  return page.evaluate(`(${workspaceStateScript})()`);
}

/** Waits until the window's workspace state holds saved sessions containing `text`: only then may the window reload. */
export async function waitForSavedSession(page: Page, text: string): Promise<void> {
  const saved = `(${workspaceStateScript})().then((states) => states.some((state) => JSON.stringify(JSON.parse(state)['httpSession.sessions'] ?? null).includes(${JSON.stringify(text)})))`;
  await page.waitForFunction(saved, undefined, { polling: 100, timeout: 10_000 });
}
