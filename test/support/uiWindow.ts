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
