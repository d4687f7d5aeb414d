// Entry point VS Code loads as `extensionTestsPath` (bundled to out/test/vscode/suite/index.js):
// the extension host calls run() and exits with 0 when it resolves, 1 when it rejects.
import path from 'node:path';
import * as vscode from 'vscode';
import activation from './activation';
import codeLens from './codeLens';
import cookiesView from './cookiesView';
import editorAssist from './editorAssist';
import findings from './findings';
import { runSuites } from './hostTest';
import panel from './panel';
import curlImport from './curlImport';
import pythonExport from './pythonExport';
import { resultsFileEnv } from './results';
import secrets from './secrets';
import send from './send';
import smoke from './smoke';
import testExplorer from './testExplorer';
import tokens from './tokens';

// activation runs first: it proves that opening an .http file is what activates the extension.
const suites = [activation, smoke, panel, codeLens, send, cookiesView, editorAssist, findings, pythonExport, curlImport, secrets, tokens, testExplorer];

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
