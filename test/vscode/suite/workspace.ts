// Helpers for tests that use the fixture workspace (a temp copy of test/vscode/workspace).
import * as vscode from 'vscode';

export const extensionId = 'http-session-harness.smoke-extension';

/** Opens a file of the first workspace folder in an editor and returns its document. */
export async function openWorkspaceFile(relativePath: string): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the extension-host tests need a workspace folder');
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, relativePath));
  await vscode.window.showTextDocument(document);
  return document;
}
