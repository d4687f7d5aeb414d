// Helpers for in-host tests: the extension under test and the fixture workspace (a temp copy of
// test/vscode/workspace).
import * as vscode from 'vscode';
import type { HttpSessionApi } from '../../../src/vscode/extension';

export const extensionId = 'http-session.http-session';

/** Activates the extension (a no-op once active) and returns it with the API `activate` returned. */
export async function activateExtension(): Promise<{ extension: vscode.Extension<HttpSessionApi>; api: HttpSessionApi }> {
  const extension = vscode.extensions.getExtension<HttpSessionApi>(extensionId);
  if (!extension) throw new Error(`${extensionId} is not installed in the extension host`);
  return { extension, api: await extension.activate() };
}

/** Opens a file of the first workspace folder in an editor and returns its document. */
export async function openWorkspaceFile(relativePath: string): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the extension-host tests need a workspace folder');
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, relativePath));
  await vscode.window.showTextDocument(document);
  return document;
}
