// One real VS Code window as a user sees it, for the UI tests: the packaged extension installed into
// code-server WITHOUT the smoke-test driver (it hides notification toasts), shown in one Chromium page.
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWorkbench } from './browser';
import { packageExtension } from './build';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';

export interface UiWindow {
  readonly codeServer: CodeServer;
  readonly browser: Browser;
  /** One page for the whole file: a reload keeps its context, and so the window's workspaceState (IndexedDB). */
  readonly page: Page;
  close(): Promise<void>;
}

/** Packages the extension, starts code-server on `folder` and opens the workbench in Chromium. */
export async function openUiWindow(
  folder: string,
  options: { vsix?: string; codeServer?: Omit<CodeServerOptions, 'workspace' | 'extensionsToInstall' | 'smokeTestDriver'> } = {},
): Promise<UiWindow> {
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
