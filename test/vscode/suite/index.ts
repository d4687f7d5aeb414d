// Entry point VS Code loads as `extensionTestsPath` (bundled to out/test/vscode/suite/index.js):
// the extension host calls run() and exits with 0 when it resolves, 1 when it rejects.
import path from 'node:path';
import * as vscode from 'vscode';
import { runSuites } from './hostTest';
import { resultsFileEnv } from './results';
import smoke from './smoke';

const suites = [smoke];

function resultsFile(): string {
  const fromEnv = process.env[resultsFileEnv];
  if (fromEnv) return fromEnv;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error(`set ${resultsFileEnv} or open a workspace folder`);
  return path.join(path.dirname(folder.uri.fsPath), 'vscode-test-results.json');
}

export async function run(): Promise<void> {
  await runSuites(suites, resultsFile());
}
