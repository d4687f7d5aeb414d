// Runs the in-host suite (test/vscode/suite) inside a real VS Code: code-server with the smoke-test
// driver, opened by Chromium with extensionDevelopmentPath / extensionTestsPath in `?payload=`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { resultsFileEnv, type HostTestResult } from '../vscode/suite/results';
import { launchBrowser, workbenchUrl } from './browser';
import { buildHostSuite } from './build';
import { startCodeServer } from './codeServer';
import { copyWorkspace, defaultWorkspaceFixture } from './workspace';

export interface ExtensionHostRunOptions {
  /** Folder holding the extension's package.json (the repo root for the real extension). */
  extensionDevelopmentPath: string;
  /** Copied to a temp folder that the window opens; test/vscode/workspace by default. */
  workspaceFixture?: string;
  timeoutMs?: number;
}

export interface ExtensionHostRun {
  /** What the extension host passed to `codeAutomationExit`: 0 when run() resolved. */
  exitCode: number;
  results: HostTestResult[];
  /** The window's console, where the extension host's output is forwarded. */
  console: string[];
  timings: { healthzMs: number; runMs: number };
}

function remoteUri(port: number, absolutePath: string): string {
  return `vscode-remote://127.0.0.1:${port}${absolutePath}`;
}

// The extension host's console.log arrives styled ("%c INFO color: #33f …"): keep the text.
const consoleStyle = /^%c\s*\w+\s+color:\s*#\w+\s*/;

export async function runExtensionHostTests(options: ExtensionHostRunOptions): Promise<ExtensionHostRun> {
  const started = Date.now();
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const suiteBundle = await buildHostSuite();
    const workspace = await copyWorkspace(options.workspaceFixture ?? defaultWorkspaceFixture);
    cleanups.push(workspace.remove);
    const resultsFile = path.join(workspace.parentDir, 'results.json');
    const server = await startCodeServer({ workspace: workspace.folder, smokeTestDriver: true, env: { [resultsFileEnv]: resultsFile } });
    cleanups.push(server.stop);
    const healthzMs = Date.now() - started;
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());

    const page = await browser.newPage();
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text().replace(consoleStyle, '')}`));
    page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));

    const timeoutMs = options.timeoutMs ?? 120_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the extension host did not finish within ${timeoutMs} ms:\n${consoleLines.join('\n')}`)), timeoutMs);
    });
    await page.goto(
      workbenchUrl(server.url, workspace.folder, [
        ['extensionDevelopmentPath', remoteUri(server.port, options.extensionDevelopmentPath)],
        ['extensionTestsPath', remoteUri(server.port, suiteBundle)],
      ]),
    );
    const exitCode = await Promise.race([exited, deadline]).finally(() => clearTimeout(timer));
    const results = await readFile(resultsFile, 'utf8').then(
      (text) => JSON.parse(text) as HostTestResult[],
      (): HostTestResult[] => [],
    );
    return { exitCode, results, console: consoleLines, timings: { healthzMs, runMs: Date.now() - started } };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}
